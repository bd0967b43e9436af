/**
 * A private PostgreSQL server for suites that stop and restart it: initdb into a temporary
 * folder, listen on a free loopback port, restart with `pg_ctl restart -m fast`. The machine's
 * shared server (which other suites use at the same time) is never touched.
 *
 * Missing binaries skip the suite with a notice, or fail it under YARDSTICK_REQUIRE_SERVICES=1.
 * As root, initdb refuses to run: every command then runs as the `postgres` user.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { notice, requireServices } from './services.js';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** `pg_ctl stop -m fast`: every connection is cut. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** `pg_ctl restart -m fast`. */
  restart(): Promise<void>;
  /** Stop and delete the data folder. */
  destroy(): Promise<void>;
  log(): Promise<string>;
}

function binDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Start a private server, or return null (with a notice) when the binaries are missing. */
export async function startPrivatePostgres(): Promise<PrivatePostgres | null> {
  const bin = binDir();
  if (!bin) {
    const why = 'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)';
    if (requireServices) throw new Error(`private PostgreSQL required (YARDSTICK_REQUIRE_SERVICES=1) but ${why}`);
    notice('PostgreSQL restart', why);
    return null;
  }
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'ys-private-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const exec = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args);
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await freePort();
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => void (await exec('pg_ctl', ['-D', data, '-o', opts, '-l', logFile, '-w', '-t', '60', 'start']));
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop: async () => void (await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'])),
    restart: async () => void (await exec('pg_ctl', ['-D', data, '-o', opts, '-l', logFile, '-m', 'fast', '-w', '-t', '60', 'restart'])),
    async destroy() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
  };
}
