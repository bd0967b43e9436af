import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, DATA_DIR_LOCK } from './connect.js';

describe('embedded database folder: one process at a time', () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ys-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('holds a lock file while open and removes it on close', async () => {
    const dir = folder();
    const conn = await connect({ dataDir: dir });
    expect(readFileSync(join(dir, DATA_DIR_LOCK), 'utf8').trim()).toBe(String(process.pid));
    await conn.close();
    expect(existsSync(join(dir, DATA_DIR_LOCK))).toBe(false);
  });

  it('refuses a folder another live process has open, naming it and what to do', async () => {
    const dir = folder();
    // The parent of this test process is alive for as long as the test runs.
    writeFileSync(join(dir, DATA_DIR_LOCK), `${process.ppid}\n`);
    await expect(connect({ dataDir: dir })).rejects.toThrow(new RegExp(`open in another Yardstick process \\(pid ${process.ppid}\\).*DATABASE_URL`));
    // The other process's lock stays.
    expect(readFileSync(join(dir, DATA_DIR_LOCK), 'utf8').trim()).toBe(String(process.ppid));
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = folder();
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    writeFileSync(join(dir, DATA_DIR_LOCK), `${gone}\n`);
    const conn = await connect({ dataDir: dir });
    expect(readFileSync(join(dir, DATA_DIR_LOCK), 'utf8').trim()).toBe(String(process.pid));
    await conn.close();
  });
});

describe('PostgreSQL that accepts connections and never answers', () => {
  it('fails the query after the connect timeout instead of waiting forever', async () => {
    // A listener that takes the TCP connection and says nothing, as a stuck server or a
    // half-open network path would.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const conn = await connect({ databaseUrl: `postgres://yardstick@127.0.0.1:${port}/yardstick`, dataDir: '', connectTimeoutMs: 300 });
    try {
      await expect(sql`select 1`.execute(conn.db)).rejects.toThrow(/timeout/i);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      await conn.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
