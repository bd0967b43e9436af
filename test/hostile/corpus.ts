/**
 * The hostile-input corpus: requests built to break the API — malformed and wrong-typed JSON,
 * an oversized body, JsonLogic nested 10,000 deep or holding a million elements, a regex made for
 * catastrophic backtracking, unicode and control characters in names. Each row says what a
 * correct server answers. Kept as data so a new attack is one more row.
 */
export const ENTITY_REF = 'component:default/payments-api';
export const REPO = 'larkspur/payments-api';
export const SHA = 'c'.repeat(40);

/** `{"!":[` … 10,000 times … `]}`: built as text, since building it as an object and stringifying it is itself deep recursion. */
export function deepRule(depth: number, leaf = '{"var":"entity.kind"}'): string {
  return '{"!":['.repeat(depth) + leaf + ']}'.repeat(depth);
}

/** `[0,0,…]` with `n` elements, as text. */
export function bigArray(n: number, item = '0'): string {
  return `[${new Array(n).fill(item).join(',')}]`;
}

const check = (rule: string, extra = '') =>
  `{"id":"hostile","name":"Hostile","description":"A check built to hurt.","facts":["github.repository"],"rule":${rule},"remediation":"None."${extra}}`;

export interface HttpCase {
  name: string;
  method: 'POST' | 'GET' | 'DELETE';
  url: string;
  /** Raw body text (sent as-is), or undefined. */
  body?: string | (() => string);
  contentType?: string;
  token: 'admin' | 'ci' | 'read';
  status: number;
  code: string;
  /** The message must name the place that is wrong. */
  names?: RegExp;
}

const gate = (facts: string) => `{"repo":"${REPO}","sha":"${SHA}","facts":${facts}}`;
const push = (fact: string) => `{"facts":[${fact}]}`;

export const httpCorpus: HttpCase[] = [
  // Malformed JSON
  { name: 'gate: truncated JSON', method: 'POST', url: '/api/v1/gate', body: '{"repo":"larkspur/payments-api","sha":', token: 'ci', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /not valid JSON/ },
  { name: 'gate: empty body with a JSON content type', method: 'POST', url: '/api/v1/gate', body: '', token: 'ci', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /empty/ },
  { name: 'gate: a JSON string instead of an object', method: 'POST', url: '/api/v1/gate', body: '"gate me"', token: 'ci', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body must be object/ },
  { name: 'exemption: a one-element array where a string belongs is not read as the string', method: 'POST', url: '/api/v1/exemptions', body: `{"entityRef":"${ENTITY_REF}","checkId":["has-docs"],"reason":"array smuggling","expiresAt":"2099-01-01T00:00:00Z"}`, token: 'admin', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /checkId/ },
  { name: 'gate: __proto__ pollution attempt', method: 'POST', url: '/api/v1/gate', body: `{"repo":"${REPO}","sha":"${SHA}","__proto__":{"admin":true}}`, token: 'ci', status: 400, code: 'YS_ERR_REQUEST_INVALID' },
  { name: 'gate: YAML sent as JSON', method: 'POST', url: '/api/v1/gate', body: `repo: ${REPO}\nsha: ${SHA}\n`, token: 'ci', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /not valid JSON/ },
  { name: 'gate: YAML content type', method: 'POST', url: '/api/v1/gate', body: `repo: ${REPO}\n`, contentType: 'application/yaml', token: 'ci', status: 415, code: 'YS_ERR_MEDIA_TYPE_UNSUPPORTED' },
  { name: 'facts: NaN literal', method: 'POST', url: '/api/v1/facts', body: push(`{"entityRef":"${ENTITY_REF}","id":"ci.coverage","data":{"line":NaN}}`), token: 'admin', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /not valid JSON/ },
  { name: 'facts: trailing garbage', method: 'POST', url: '/api/v1/facts', body: `${push(`{"entityRef":"${ENTITY_REF}","id":"ci.coverage","data":{"line":50}}`)}}}}`, token: 'admin', status: 400, code: 'YS_ERR_REQUEST_INVALID' },
  // Wrong types
  { name: 'gate: sha is a number', method: 'POST', url: '/api/v1/gate', body: `{"repo":"${REPO}","sha":12345}`, token: 'ci', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/sha/ },
  { name: 'gate: facts is an object', method: 'POST', url: '/api/v1/gate', body: gate('{"id":"ci.coverage"}'), token: 'ci', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/facts/ },
  { name: 'gate: fact data of the wrong type', method: 'POST', url: '/api/v1/gate', body: gate('[{"id":"ci.coverage","data":{"line":"seventy"}}]'), token: 'ci', status: 422, code: 'YS_ERR_FACT_INVALID', names: /\/facts\/0\/data\/line/ },
  { name: 'gate: pullRequest negative', method: 'POST', url: '/api/v1/gate', body: `{"repo":"${REPO}","sha":"${SHA}","pullRequest":-1}`, token: 'ci', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /pullRequest/ },
  { name: 'facts: facts is null', method: 'POST', url: '/api/v1/facts', body: '{"facts":null}', token: 'admin', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/facts/ },
  { name: 'facts: data out of range', method: 'POST', url: '/api/v1/facts', body: push(`{"entityRef":"${ENTITY_REF}","id":"ci.coverage","data":{"line":1e308}}`), token: 'admin', status: 422, code: 'YS_ERR_FACT_INVALID', names: /\/facts\/0\/data\/line/ },
  { name: 'facts: one bad fact among good ones → nothing written', method: 'POST', url: '/api/v1/facts', body: `{"facts":[{"entityRef":"${ENTITY_REF}","id":"ci.coverage","data":{"line":12}},{"entityRef":"${ENTITY_REF}","id":"ci.coverage","data":{"line":-4}}]}`, token: 'admin', status: 422, code: 'YS_ERR_FACT_INVALID', names: /\/facts\/1\/data\/line/ },
  { name: 'exemptions: expiresAt not a date', method: 'POST', url: '/api/v1/exemptions', body: `{"entityRef":"${ENTITY_REF}","checkId":"has-docs","reason":"because","expiresAt":"tomorrow-ish!"}`, token: 'admin', status: 422, code: 'YS_ERR_EXEMPTION_INVALID', names: /expiresAt/ },
  { name: 'exemptions: checkId is an object', method: 'POST', url: '/api/v1/exemptions', body: `{"entityRef":"${ENTITY_REF}","checkId":{"$ne":null},"reason":"because","expiresAt":"2099-01-01"}`, token: 'admin', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /checkId/ },
  { name: 'preview: checks is a string', method: 'POST', url: '/api/v1/preview', body: '{"checks":"all of them"}', token: 'read', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/checks/ },
  { name: 'preview: rule with an unknown operator', method: 'POST', url: '/api/v1/preview', body: `{"checks":[${check('{"eval":["process.exit()"]}')}]}`, token: 'read', status: 422, code: 'YS_ERR_DEFINITIONS_INVALID', names: /draft:checks\/hostile\.json.*\/rule/ },
  // Size
  { name: 'gate: a 50 MB body', method: 'POST', url: '/api/v1/gate', body: () => gate(`[{"id":"ci.coverage","data":{"line":50,"pad":"${'x'.repeat(50 * 1024 * 1024)}"}}]`), token: 'ci', status: 413, code: 'YS_ERR_BODY_TOO_LARGE' },
  { name: 'facts: a 50 MB body', method: 'POST', url: '/api/v1/facts', body: () => push(`{"entityRef":"${ENTITY_REF}","id":"ci.coverage","data":{"pad":"${'x'.repeat(50 * 1024 * 1024)}"}}`), token: 'admin', status: 413, code: 'YS_ERR_BODY_TOO_LARGE' },
  // Depth and breadth
  { name: 'preview: JsonLogic nested 10,000 deep', method: 'POST', url: '/api/v1/preview', body: () => `{"checks":[${check(deepRule(10_000))}]}`, token: 'read', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/checks\/0\/rule\/!\/0.* is nested deeper than 128 levels/ },
  { name: 'preview: JsonLogic with a million-element array', method: 'POST', url: '/api/v1/preview', body: () => `{"checks":[${check(`{"in":[{"var":"github.repository.defaultBranch"},${bigArray(1_000_000)}]}`)}]}`, token: 'read', status: 422, code: 'YS_ERR_DEFINITIONS_INVALID', names: /draft:checks\/hostile\.json/ },
  { name: 'preview: appliesTo nested 10,000 deep', method: 'POST', url: '/api/v1/preview', body: () => `{"checks":[${check('true', `,"appliesTo":${deepRule(10_000)}`)}]}`, token: 'read', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/checks\/0\/appliesTo\/!\/0.* is nested deeper/ },
  { name: 'facts: fact data nested 10,000 deep', method: 'POST', url: '/api/v1/facts', body: () => push(`{"entityRef":"${ENTITY_REF}","id":"ci.coverage","data":${deepRule(10_000)}}`), token: 'admin', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/facts\/0\/data\/!\/0.* is nested deeper/ },
  { name: 'facts: a million-element array where the schema has none', method: 'POST', url: '/api/v1/facts', body: () => push(`{"entityRef":"${ENTITY_REF}","id":"ci.coverage","data":{"line":50,"lines":${bigArray(1_000_000)}}}`), token: 'admin', status: 422, code: 'YS_ERR_FACT_INVALID', names: /\/facts\/0\/data/ },
  { name: 'gate: fact data nested 10,000 deep', method: 'POST', url: '/api/v1/gate', body: () => gate(`[{"id":"ci.coverage","data":${deepRule(10_000)}}]`), token: 'ci', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/facts\/0\/data\/!\/0.* is nested deeper/ },
  { name: 'gate: a million facts', method: 'POST', url: '/api/v1/gate', body: () => gate(bigArray(1_000_000, '{}')), token: 'ci', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/facts/ },
  // Regex
  { name: 'preview: catastrophic-backtracking regex', method: 'POST', url: '/api/v1/preview', body: `{"checks":[${check('{"regex_match":["^(a+)+$",{"cat":[{"var":"github.repository.description"},"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"]}]}')}]}`, token: 'read', status: 200, code: '' },
  { name: 'preview: backreference (not RE2) regex', method: 'POST', url: '/api/v1/preview', body: `{"checks":[${check('{"regex_match":["(a)\\\\1",{"var":"github.repository.description"}]}')}]}`, token: 'read', status: 422, code: 'YS_ERR_DEFINITIONS_INVALID', names: /regex_match/ },
  // Names with unicode and control characters
  { name: 'facts: control characters in the entity ref', method: 'POST', url: '/api/v1/facts', body: push('{"entityRef":"component:default/pay\\u0000ments\\u001b[31m","id":"ci.coverage","data":{"line":50}}'), token: 'admin', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/facts\/0\/entityRef contains a NUL character/ },
  { name: 'facts: RTL override in the fact id', method: 'POST', url: '/api/v1/facts', body: push(`{"entityRef":"${ENTITY_REF}","id":"ci.\\u202egarevoc","data":{"line":50}}`), token: 'admin', status: 422, code: 'YS_ERR_FACT_INVALID', names: /\/facts\/0\/id/ },
  { name: 'gate: emoji and NUL in the repo name', method: 'POST', url: '/api/v1/gate', body: `{"repo":"larkspur/pay\\u0000💥","sha":"${SHA}"}`, token: 'admin', status: 400, code: 'YS_ERR_REQUEST_INVALID', names: /body\/repo/ },
  { name: 'gate: unknown entity with a homoglyph name', method: 'POST', url: '/api/v1/gate', body: `{"repo":"${REPO}","sha":"${SHA}","entities":["component:default/pаyments-api"]}`, token: 'ci', status: 404, code: 'YS_ERR_ENTITY_NOT_FOUND' },
  { name: 'preview: check id with control characters', method: 'POST', url: '/api/v1/preview', body: `{"checks":[${check('true').replace('"id":"hostile"', '"id":"host\\u0007ile\\n"')}]}`, token: 'read', status: 422, code: 'YS_ERR_DEFINITIONS_INVALID', names: /\/id/ },
  { name: 'exemptions: check id with a newline (log injection)', method: 'POST', url: '/api/v1/exemptions', body: `{"entityRef":"${ENTITY_REF}","checkId":"has-docs\\n{\\"level\\":60}","reason":"because","expiresAt":"2099-01-01"}`, token: 'admin', status: 422, code: 'YS_ERR_EXEMPTION_INVALID', names: /\/checkId: unknown check/ },
  { name: 'entities: ref with encoded NUL and traversal in the path', method: 'GET', url: '/api/v1/entities/component/default/..%2F..%00etc', token: 'read', status: 400, code: 'YS_ERR_ENTITY_REF_INVALID' },
  { name: 'entities: unicode name', method: 'GET', url: `/api/v1/entities/component/default/${encodeURIComponent('zahlungs-dienst-ü')}`, token: 'read', status: 400, code: 'YS_ERR_ENTITY_REF_INVALID' },
];
