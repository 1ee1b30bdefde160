/**
 * Load test of the REST API: N session starts (POST /v1/sessions) at concurrency C from this process
 * against the API in a second process on loopback. Sessions go to a task queue no worker polls, so the
 * figure is the API + Temporal start path, not LLM work.
 *
 *   npx tsx bench/api/load.ts [--n 200] [--concurrency 16]
 *
 * Uses TEMPORAL_ADDRESS when set, otherwise starts a throw-away dev server (temporal/start.sh) and
 * stops it afterwards. Prints throughput and latency percentiles; exits 1 if any start failed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort, startTestServer, stopTestServer, ROOT, type TestServer } from '../../jest/test-server';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`API at ${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const n = arg('n', 200);
  const concurrency = arg('concurrency', 16);
  let server: TestServer | undefined;
  const address = process.env.TEMPORAL_ADDRESS ?? (server = await startTestServer()).address;
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  // Its own process group, so stopping it also stops the node process tsx starts underneath.
  const api = spawn(process.execPath, [require.resolve('tsx/cli'), 'apps/api/src/main.ts'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      FLOWSTEER_API_PORT: String(port),
      FLOWSTEER_API_TOKENS: `load:operator:${token}`,
      FLOWSTEER_API_TASK_QUEUE: `api-load-${Date.now().toString(36)}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady(url, 60_000);
    const run = `load-${Date.now().toString(36)}`;
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const started = performance.now();
    const client = async () => {
      for (let i = next++; i < n; i = next++) {
        const t0 = performance.now();
        const res = await fetch(`${url}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ problem: `load item ${i}: what is ${i} + ${i}?`, answers: [String(2 * i)], run, idSuffix: `${run}-${i}` }),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(`session starts: ${n} at concurrency ${concurrency} in ${seconds.toFixed(2)} s`);
    console.log(`throughput: ${(n / seconds).toFixed(1)} starts/s`);
    console.log(
      `latency: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? NaN)}`,
    );
    console.log(`statuses: ${[...statuses].map(([s, c]) => `${s}x${c}`).join(', ')}`);
    console.log(
      `node ${process.version}, ${(await import('node:os')).cpus().length} CPU(s), Temporal ${server ? 'throw-away dev server (SQLite)' : address}`,
    );
    if ((statuses.get(201) ?? 0) !== n) process.exitCode = 1;
  } finally {
    if (api.pid) process.kill(-api.pid, 'SIGTERM');
    if (server) stopTestServer(server.env, server.home);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
