/**
 * Label selectors from catalog annotations, checked before they are pasted into PromQL: a
 * selector is a comma-separated list of `label op "value"` matchers and nothing else, so an
 * annotation cannot close the braces and add a query of its own.
 */

const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const OPS = ['=~', '!~', '!=', '='] as const;

/** Parse and re-emit a selector (`job="payments-api",env="prod"`); throws a message saying where it broke. */
export function normalizeSelector(text: string): string {
  const out: string[] = [];
  let i = 0;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const fail: (what: string) => never = (what) => {
    throw new Error(`"${text}" is not a label selector: ${what} at character ${i + 1}`);
  };
  skip();
  if (text[i] === '{') fail('leave out the braces');
  while (i < text.length) {
    LABEL.lastIndex = i;
    const label = LABEL.exec(text)?.[0];
    if (!label) fail('expected a label name');
    i += label.length;
    skip();
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) fail(`expected =, !=, =~ or !~ after "${label}"`);
    i += op.length;
    skip();
    const quote = text[i];
    if (quote !== '"' && quote !== "'") fail(`expected a quoted value after "${label}${op}"`);
    let value = '';
    i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i];
      if (c === '\\') {
        if (i + 1 >= text.length) fail('unterminated string');
        value += text.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === quote) break;
      if (c === '\n') fail('line break inside a string');
      value += c;
      i++;
    }
    i++;
    // Re-quote with double quotes: an escaped single quote needs no escape there, a bare double quote does.
    const requoted = quote === '"' ? value : value.replace(/\\'/g, "'").replace(/(^|[^\\])"/g, '$1\\"');
    out.push(`${label}${op}"${requoted}"`);
    skip();
    if (i >= text.length) break;
    if (text[i] !== ',') fail('expected "," between matchers');
    i++;
    skip();
  }
  if (out.length === 0) fail('no matchers');
  return out.join(',');
}

/** `job="<name>"` for the `prometheus.io/job` shorthand, with the name escaped as a PromQL string. */
export function jobSelector(job: string): string {
  return `job="${job.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
