/**
 * Start a real Prometheus for tests: synthetic history is written as OpenMetrics, turned into
 * TSDB blocks by `promtool tsdb create-blocks-from openmetrics`, and served by a `prometheus`
 * process on a free loopback port with no scrape targets. CI installs the Debian package
 * `prometheus` (which ships both binaries).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { notice, requireServices } from '../support/services.js';

const run = promisify(execFile);

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

let binaries: Promise<boolean> | undefined;

/** Whether `prometheus` and `promtool` are installed. Throws under YARDSTICK_REQUIRE_SERVICES=1 when not. */
export function prometheusAvailable(): Promise<boolean> {
  binaries ??= (async () => {
    try {
      await run('prometheus', ['--version']);
      await run('promtool', ['--version']);
      return true;
    } catch (err) {
      const why = `the prometheus/promtool binaries are not installed (apt-get install prometheus): ${(err as Error).message}`;
      if (requireServices) throw new Error(`Prometheus required (YARDSTICK_REQUIRE_SERVICES=1) but ${why}`);
      notice('Prometheus', why);
      return false;
    }
  })();
  return binaries;
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

/**
 * Start Prometheus with `openMetrics` (text ending in `# EOF`) loaded as its history.
 * Returns null when the binaries are missing (a notice is printed), unless services are required.
 */
export async function startPrometheus(openMetrics: string): Promise<RunningPrometheus | null> {
  if (!(await prometheusAvailable())) return null;
  const dir = await mkdtemp(join(tmpdir(), 'ys-prometheus-'));
  const data = join(dir, 'data');
  let child: ChildProcess | undefined;
  try {
    await writeFile(join(dir, 'history.om'), openMetrics);
    // Blocks of up to a day keep the import quick; Prometheus compacts them later if it likes.
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', join(dir, 'history.om'), data], { maxBuffer: 16 * 1024 * 1024 });
    await writeFile(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let log = '';
    child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${data}`,
        // The history reaches a month back; the default 15 days would delete it on load.
        '--storage.tsdb.retention.time=3650d',
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (true) {
      const early = await Promise.race([exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 200))]);
      if (early !== undefined) throw new Error(`prometheus exited with ${early} before it was ready:\n${log}`);
      const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`prometheus not ready at ${url} after 30 s:\n${log}`);
    }
    const proc = child;
    return {
      url,
      async stop() {
        if (proc.exitCode === null && proc.signalCode === null) {
          proc.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
