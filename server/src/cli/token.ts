import { parseArgs } from 'node:util';
import { generateToken, SCOPES } from '../auth/index.js';
import { loadConfig } from '../config.js';
import { openStore, type Store, type TokenScope } from '../store/index.js';
import { UsageError, type Command } from './command.js';

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const tokenCreateCommand: Command = {
  name: 'token create',
  summary: 'Create an API token (shown once; only its SHA-256 is stored)',
  usage: '--name NAME --scope read|ci|admin [--repo owner/name ...] [--json]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { name: { type: 'string' }, scope: { type: 'string' }, repo: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
    });
    const name = values.name?.trim();
    if (!name || name.length > 100 || !/^[\w.@:-]+$/.test(name)) throw new UsageError('--name is required: letters, digits and . _ - @ : (at most 100)');
    const scope = values.scope as TokenScope;
    if (!SCOPES.includes(scope)) throw new UsageError(`--scope must be one of ${SCOPES.join(', ')}`);
    const repos = (values.repo ?? []).map((r) => r.toLowerCase());
    for (const r of repos) if (!REPO.test(r)) throw new UsageError(`--repo must be owner/name, got "${r}"`);
    if (scope === 'ci' && repos.length === 0) throw new UsageError('a ci token needs at least one --repo owner/name');
    if (scope !== 'ci' && repos.length > 0) throw new UsageError('--repo applies to ci tokens only');
    const { id, token, hash } = generateToken();
    await withStore((store) => store.tokens.create({ id, name, hash, scope, repos }, 'cli'));
    if (values.json) process.stdout.write(`${JSON.stringify({ id, name, scope, repos, token })}\n`);
    else {
      process.stdout.write(`${token}\n`);
      process.stderr.write(`Token ${id} "${name}" (${scope}${repos.length ? ` for ${repos.join(', ')}` : ''}) created. It is shown once: store it now.\n`);
    }
    return 0;
  },
};

export const tokenListCommand: Command = {
  name: 'token list',
  summary: 'List API tokens (never their secrets)',
  usage: '[--all] [--json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { all: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
    const tokens = await withStore((store) => store.tokens.list({ includeRevoked: values.all }));
    const rows = tokens.map(({ hash: _hash, ...t }) => t);
    if (values.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else if (rows.length === 0) process.stdout.write('No tokens. Create one: yardstick token create --name NAME --scope read|ci|admin\n');
    else {
      for (const t of rows) {
        process.stdout.write(`${t.id}  ${t.scope.padEnd(5)}  ${t.name}${t.repos.length ? `  [${t.repos.join(', ')}]` : ''}  created ${t.createdAt}  last used ${t.lastUsedAt ?? 'never'}${t.revokedAt ? `  REVOKED ${t.revokedAt}` : ''}\n`);
      }
    }
    return 0;
  },
};

export const tokenRevokeCommand: Command = {
  name: 'token revoke',
  summary: 'Revoke an API token by id',
  usage: 'ID',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new UsageError('name exactly one token ID (see yardstick token list)');
    const revoked = await withStore((store) => store.tokens.revoke(positionals[0], 'cli'));
    if (!revoked) {
      process.stderr.write(`No active token ${positionals[0]}.\n`);
      return 1;
    }
    process.stdout.write(`Token ${revoked.id} "${revoked.name}" revoked.\n`);
    return 0;
  },
};
