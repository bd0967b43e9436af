/**
 * Secrets never reach the log. A server is started with every secret configured — GitHub token,
 * PagerDuty token, webhook secret, a DATABASE_URL with a password, API tokens — at log level
 * trace, its collectors pointed at sources that fail; requests that log errors are made; then
 * the captured log is searched for each secret.
 */
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createToken } from '../../server/src/routes/test-app.js';
import { Runtime } from '../../server/src/scoring/index.js';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { openStore } from '../../server/src/store/index.js';
import { startFakeGithub, type FakeGithub } from '../fake-github/server.js';
import { startFakePagerDuty, type FakePagerDuty } from '../fake-pagerduty/server.js';
import { createTestDatabase, postgresAvailable } from '../support/services.js';

const SECRETS = {
  github: 'ghp_S3cretGithubTokenValue0123456789abcd',
  pagerduty: 'pd-S3cretPagerDutyKey-u+9Zq',
  webhook: 'whsec-S3cretWebhookValue-42',
  dbPassword: 'pgS3cretPassw0rd',
};

const pgUp = await postgresAvailable();

describe('secrets in logs', () => {
  let gh: FakeGithub;
  let pd: FakePagerDuty;
  let server: RunningServer;
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let admin: string;
  let reader: string;
  const lines: string[] = [];

  beforeAll(async () => {
    // GitHub knows no token of ours (401 Bad credentials); PagerDuty fails every request.
    gh = await startFakeGithub({ repos: 3, tokens: ['some-other-token'] });
    pd = await startFakePagerDuty({ users: [], escalationPolicies: [], services: [], incidents: [] }, { token: 'another-key' });
    pd.faults.status = 500;
    let databaseUrl: string | undefined;
    if (pgUp) {
      db = await createTestDatabase();
      const url = new URL(db.url);
      url.password = SECRETS.dbPassword;
      databaseUrl = url.toString();
    }
    const config = loadConfig({}, {
      databaseUrl, dataDir: 'memory://', port: 0, logLevel: 'trace', webDir: 'test-output/no-web', scheduler: true,
      catalogPaths: ['examples/catalog/catalog-info.yaml'],
      github: { apiUrl: gh.url, token: SECRETS.github, webhookSecret: SECRETS.webhook },
      pagerduty: { apiUrl: pd.url, token: SECRETS.pagerduty },
      prometheus: { url: 'http://127.0.0.1:9' },
    });
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const runtime = await Runtime.open(config, { store });
    await runtime.syncCatalog();
    admin = await createToken(runtime, 'log-admin', 'admin');
    reader = await createToken(runtime, 'log-reader', 'read');
    const sink = new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } });
    server = await startServer({ runtime, logger: createLogger(config, sink), handleSignals: false });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await gh?.close();
    await pd?.close();
  });

  it('none of them appears in the log, whatever the requests and failures', async () => {
    const url = server.url;
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    const revokedLooking = `ys_${admin.slice(3, 15)}_${'A'.repeat(43)}`;
    const requests: [string, RequestInit][] = [
      [`${url}/api/v1/entities`, { headers: auth(admin) }],
      [`${url}/api/v1/entities`, { headers: auth(revokedLooking) }],
      // Tokens are read from the Authorization header only; one pasted into the URL must still not be logged.
      [`${url}/api/v1/entities?token=${reader}&access_token=${admin}`, {}],
      [`${url}/api/v1/definitions/reload`, { method: 'POST', headers: auth(reader) }],
      [`${url}/api/v1/gate`, { method: 'POST', headers: { ...auth(admin), 'content-type': 'application/json', cookie: `session=${admin}` }, body: '{"repo":' }],
      [`${url}/api/v1/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': '1', 'x-hub-signature-256': `sha256=${createHmac('sha256', 'wrong').update('{}').digest('hex')}` }, body: '{}' }],
      [`${url}/api/v1/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': '2', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRETS.webhook).update('{"repository":{"full_name":"larkspur/payments-api"}}').digest('hex')}` }, body: '{"repository":{"full_name":"larkspur/payments-api"}}' }],
      // "Refresh now" runs every collector against the failing sources, inside the request.
      [`${url}/api/v1/entities/component/default/payments-api/refresh`, { method: 'POST', headers: auth(admin) }],
    ];
    const statuses: number[] = [];
    for (const [u, init] of requests) statuses.push((await fetch(u, init)).status);
    expect(statuses.slice(0, 6)).toEqual([200, 401, 401, 403, 400, 401]);

    // Wait for the in-process scheduler's GitHub sweep to fail (every entity an error) and log it.
    const end = Date.now() + 30_000;
    const swept = () => lines.some((l) => l.includes('github sweep done') && /"errors":[1-9]/.test(l));
    while (Date.now() < end && !swept()) await new Promise((r) => setTimeout(r, 200));
    expect(swept()).toBe(true);
    // What a careless log line elsewhere might do: log the config, a settings section, a connection string, a header bag.
    const { config } = server.app.runtime;
    server.app.log.error({ config }, 'config dump');
    server.app.log.warn({ github: config.github, pagerduty: config.pagerduty }, 'collector settings');
    server.app.log.warn({ databaseUrl: config.databaseUrl, webhookSecret: config.github.webhookSecret, backstageToken: 'x' }, 'connection');
    server.app.log.warn({ headers: { authorization: `Bearer ${admin}` }, settings: { headers: { authorization: `token ${SECRETS.github}` } } }, 'outgoing request');
    // …or quote one inside a message or an error text, where no redaction path reaches.
    server.app.log.error(new Error(`could not connect to ${config.databaseUrl ?? 'postgres://postgres:' + SECRETS.dbPassword + '@db/x'}`), `GitHub said no to ${SECRETS.github}`);
    server.app.log.warn(`token ${admin} was used; webhook secret is "${SECRETS.webhook}", PagerDuty key ${SECRETS.pagerduty}`);
    const log = lines.join('');
    // The log did capture the failures and the requests (so the search below means something).
    expect(log).toContain('"code":"YS_ERR_AUTH_INVALID"');
    expect(log).toContain('"code":"YS_ERR_WEBHOOK_SIGNATURE"');
    expect(log).toContain('"url":"/api/v1/entities?token=[redacted]&access_token=[redacted]"');
    expect(log).toContain('[redacted]');

    const secrets: Record<string, string> = {
      ...SECRETS,
      adminToken: admin, adminSecretPart: admin.slice(16), readerToken: reader, readerSecretPart: reader.slice(16), presentedBadToken: revokedLooking.slice(16),
    };
    if (!pgUp) delete secrets.dbPassword;
    const found = Object.entries(secrets).filter(([, s]) => log.includes(s)).map(([name]) => name);
    expect(found).toEqual([]);
  }, 90_000);
});
