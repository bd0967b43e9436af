/**
 * Test fixture: the example organisation (examples/catalog + examples/facts) scored on a test
 * store, one token of each kind, and the app built on top. Used by the route and auth tests.
 */
import { readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp, createLogger } from '../app.js';
import { generateToken } from '../auth/index.js';
import { exampleFactFiles } from '../cli/shared.js';
import { loadConfig, type ConfigOverrides } from '../config.js';
import { Runtime } from '../scoring/index.js';
import type { TokenScope } from '../store/index.js';
import { openTestStore, type Dialect, type TestStore } from '../../../test/support/services.js';

/** A repository of the example catalog and one of its components (for ci-token tests). */
export const EXAMPLE_REPO = 'larkspur/payments-api';
export const EXAMPLE_REF = 'component:default/payments-api';
export const EXAMPLE_PATH = 'component/default/payments-api';

export interface TestApp {
  app: FastifyInstance;
  runtime: Runtime;
  testStore: TestStore;
  tokens: { read: string; ciThis: string; ciOther: string; admin: string };
  /** Everything the app logged (JSON lines). */
  logs: string[];
  clock: { now: Date };
  close(): Promise<void>;
}

export async function createToken(runtime: Runtime, name: string, scope: TokenScope, repos: string[] = []): Promise<string> {
  const { id, token, hash } = generateToken();
  await runtime.store.tokens.create({ id, name, hash, scope, repos }, 'test');
  return token;
}

export async function openTestApp(options: { dialect?: Dialect; overrides?: ConfigOverrides } = {}): Promise<TestApp | null> {
  const testStore = await openTestStore(options.dialect ?? 'pglite');
  if (!testStore) return null;
  const config = loadConfig({}, { webDir: 'test-output/no-web', logLevel: 'info', ...options.overrides });
  const runtime = await Runtime.open(config, { store: testStore.store });
  await runtime.syncCatalog();
  for (const file of exampleFactFiles()) await runtime.pushFactDocument(JSON.parse(await readFile(file, 'utf8')), file, 'seed');
  await runtime.rescore();
  const tokens = {
    read: await createToken(runtime, 'reader', 'read'),
    ciThis: await createToken(runtime, 'payments-ci', 'ci', [EXAMPLE_REPO]),
    ciOther: await createToken(runtime, 'other-ci', 'ci', ['larkspur/nothing-here']),
    admin: await createToken(runtime, 'platform-admin', 'admin'),
  };
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const clock = { now: new Date() };
  const app = await buildApp({ runtime, logger: createLogger(config, sink), now: () => clock.now });
  await app.ready();
  return {
    app, runtime, testStore, tokens, logs, clock,
    async close() {
      await app.close();
      await testStore.close();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
