/**
 * The gate's load generator, in a process of its own, POSTing the given bodies in turn (from the
 * start again when they run out). Run in the server's own process, the client's work (building
 * requests, parsing answers) waited in the same event loop as the requests it timed; a CI runner
 * calling the gate is never in the server's process. Two ways to send `rate` requests a second:
 *
 * - `steady`: one request every 1/rate s, each timed from when it was due (an open model: a slow
 *   answer delays no later request, and a late start counts against the server), over at most
 *   `connections` keep-alive sockets;
 * - `bursts`: autocannon with `overallRate` over `connections` connections. Its connections'
 *   timers run in step, so 50 req/s over 10 connections arrive as 10 requests at once every 200 ms,
 *   and the tenth waits for the nine before it.
 *
 * `runLoadClient` writes the plan to a temporary file and runs this file with tsx; the child prints
 * autocannon's latency figures as one JSON line.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

export interface LoadPlan {
  url: string;
  headers: Record<string, string>;
  bodies: string[];
  seconds: number;
  /** Requests per second over all connections. */
  rate: number;
  connections: number;
  mode: 'steady' | 'bursts';
}

export interface LoadResult {
  latency: { p50: number; p90: number; p99: number; max: number };
  total: number;
  non2xx: number;
  errors: number;
}

/** Nearest-rank percentile of sorted numbers. */
const rank = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

async function steady(plan: LoadPlan): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
  const url = new URL(plan.url);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const send = (body: string, due: number) => new Promise<void>((resolve) => {
    const req = request({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent,
      headers: { ...plan.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - due);
        if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) non2xx++;
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end(body);
  });
  const total = Math.round(plan.seconds * plan.rate);
  const gap = 1000 / plan.rate;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * gap;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(plan.bodies[i % plan.bodies.length], due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const ms = (n: number) => Math.round(n * 10) / 10;
  return {
    latency: { p50: ms(rank(sorted, 50)), p90: ms(rank(sorted, 90)), p99: ms(rank(sorted, 99)), max: ms(sorted[sorted.length - 1] ?? 0) },
    total: latencies.length, non2xx, errors,
  };
}

async function bursts(plan: LoadPlan): Promise<LoadResult> {
  let i = 0;
  const result = (await autocannon({
    url: plan.url, method: 'POST', connections: plan.connections, overallRate: plan.rate, duration: plan.seconds,
    headers: { ...plan.headers, 'content-type': 'application/json' },
    requests: [{ method: 'POST', setupRequest: (req: Record<string, unknown>) => ({ ...req, body: plan.bodies[i++ % plan.bodies.length] }) }],
  })) as { latency: LoadResult['latency']; requests: { total: number }; non2xx: number; errors: number };
  const { p50, p90, p99, max } = result.latency;
  return { latency: { p50, p90, p99, max }, total: result.requests.total, non2xx: result.non2xx, errors: result.errors };
}

/** Run `plan` from a child process and return what it measured. */
export async function runLoadClient(plan: LoadPlan): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'ys-load-'));
  const file = join(dir, 'plan.json');
  try {
    await writeFile(file, JSON.stringify(plan));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
    if (code !== 0) throw new Error(`load client exited with ${code}`);
    return JSON.parse(out.trim().split('\n').pop() ?? '') as LoadResult;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const plan = JSON.parse(await readFile(process.argv[2], 'utf8')) as LoadPlan;
  process.stdout.write(`${JSON.stringify(await (plan.mode === 'steady' ? steady(plan) : bursts(plan)))}\n`);
}
