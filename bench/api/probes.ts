/**
 * The probes of issue 13 ("a trust boundary at the API"), run against the REST API of any checkout,
 * so the same requests can be shown to fail on an old tree and pass on this one:
 *
 *   npx tsx bench/api/probes.ts                         # this checkout
 *   npx tsx bench/api/probes.ts --root /tmp/old-tree    # another checkout (its apps/api, its libs)
 *
 * Starts a throw-away Temporal dev server (or uses TEMPORAL_ADDRESS) and the API as a process on
 * 0.0.0.0 with two operator tokens, one of them weak; nothing polls the task queue, so sessions stay
 * running. Prints one line per probe: what a trust boundary must answer, what this API answered.
 * The jest suites (apps/api/src/e2e) hold the same checks as tests; this is the side-by-side view.
 */
import { spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { resolve } from 'node:path';
import { freePort, startTestServer, stopTestServer, ROOT, type TestServer } from '../../jest/test-server';

const rootArg = process.argv.indexOf('--root');
const root = rootArg >= 0 ? resolve(process.argv[rootArg + 1] as string) : ROOT;
const TOKEN_A = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6';
const TOKEN_B = 'weakweakweakweak';

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`API at ${url} not ready`);
}

async function main(): Promise<void> {
  let server: TestServer | undefined;
  const address = process.env.TEMPORAL_ADDRESS ?? (server = await startTestServer()).address;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The old form (a bare token) is taken as admin by new trees; the new form names principals and roles.
  const structured = !!process.env.PROBE_PRINCIPALS || root === ROOT;
  const tokens = structured ? `alice:operator:${TOKEN_A},bob:operator:${TOKEN_B}` : `${TOKEN_A},${TOKEN_B}`;
  let log = '';
  const api = spawn(process.execPath, [require.resolve('tsx/cli'), 'apps/api/src/main.ts'], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      FLOWSTEER_API_HOST: '0.0.0.0',
      FLOWSTEER_API_PORT: String(port),
      FLOWSTEER_API_TOKENS: tokens,
      FLOWSTEER_API_TASK_QUEUE: `probes-${Date.now().toString(36)}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  api.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const A = { authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/json' };
  const B = { authorization: `Bearer ${TOKEN_B}`, 'content-type': 'application/json' };
  const rows: [string, string, string, boolean][] = [];
  const probe = async (name: string, want: string, run: () => Promise<string>, ok: (got: string) => boolean) => {
    let got: string;
    try {
      got = await run();
    } catch (err) {
      got = `error: ${(err as Error).message.slice(0, 60)}`;
    }
    rows.push([name, want, got, ok(got)]);
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = A) =>
    fetch(`${url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const status = async (res: Promise<Response>) => String((await res).status);
  const training = (config: Record<string, unknown>) => ({
    name: `probe${Math.random().toString(36).slice(2, 8)}`,
    config: { datasets: ['gsm8k'], steps: 1, director: 'local', baseModel: 'local', ...config },
  });
  try {
    await waitReady(url);
    await probe(
      'training run with baseModel=/etc/passwd',
      '400',
      () => status(post('/v1/training', training({ baseModel: '/etc/passwd' }))),
      (g) => g === '400',
    );
    await probe(
      'training run with extra.learnerTaskQueue',
      '400',
      () =>
        status(
          post(
            '/v1/training',
            training({ extra: { learnerTaskQueue: 'evil', learnerArtifactsDir: '/tmp/planted', tokenizerModel: '/tmp/x.gguf' } }),
          ),
        ),
      (g) => g === '400',
    );
    await probe(
      'training run with evalEvery (never used)',
      '400',
      () => status(post('/v1/training', training({ evalEvery: 5 }))),
      (g) => g === '400',
    );
    await probe(
      'session on an unknown backend',
      '400',
      () => status(post('/v1/sessions', { problem: 'x', director: 'gpt-9' })),
      (g) => g === '400',
    );
    await probe(
      '10 MB body without a token',
      '401',
      () => status(post('/v1/sessions', JSON.stringify({ problem: 'x'.repeat(10 << 20) }), { 'content-type': 'application/json' })),
      (g) => g === '401',
    );
    await probe(
      'JSON nested 60,000 deep (in a training config)',
      '400',
      () => {
        const body = JSON.stringify(training({ extra: { x: 'DEEP' } })).replace('"DEEP"', `${'['.repeat(60_000)}${']'.repeat(60_000)}`);
        return status(post('/v1/training', body));
      },
      (g) => g === '400',
    );
    await probe(
      'garbage pageToken',
      '400 at once',
      async () => {
        const t0 = Date.now();
        const res = await fetch(`${url}/v1/sessions?pageToken=AAAAAAAAAAAAAAAAAAAAAAAAAAAA`, { headers: A });
        return `${res.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
      },
      (g) => g.startsWith('400') && parseFloat(g.split(' in ')[1] ?? '99') < 2,
    );
    const session = (await (await post('/v1/sessions', { problem: 'owned by A' })).json()) as { id: string };
    await probe(
      "B cancels A's session",
      '404',
      () => status(post(`/v1/sessions/${session.id}/cancel`, {}, B)),
      (g) => g === '404',
    );
    await probe(
      "B reads A's session",
      '404',
      async () => String((await fetch(`${url}/v1/sessions/${session.id}`, { headers: B })).status),
      (g) => g === '404',
    );
    await probe(
      'browser stream without a header (stream token)',
      '200',
      async () => {
        const res = await post(`/v1/sessions/${session.id}/stream-token`, {});
        if (!res.ok) return `stream-token ${res.status}`;
        const { url: path } = (await res.json()) as { url: string };
        return new Promise<string>((done, fail) =>
          httpGet(`${url}${path}`, (r) => (done(String(r.statusCode)), r.destroy())).on('error', fail),
        );
      },
      (g) => g === '200',
    );
    await probe(
      '41 streams of one principal at once',
      '429 beyond the cap',
      async () => {
        const codes = await Promise.all(
          Array.from(
            { length: 41 },
            () =>
              new Promise<number>((done, fail) =>
                httpGet(`${url}/v1/sessions/${session.id}/stream`, { headers: A }, (r) => done(r.statusCode ?? 0)).on('error', fail),
              ),
          ),
        );
        const counts = new Map<number, number>();
        for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
        return [...counts].map(([c, n]) => `${c}x${n}`).join(' ');
      },
      (g) => g.includes('429'),
    );
    await probe(
      'POST /v1/sessions/{id}/replay',
      '200 {ok}',
      async () => {
        const res = await post(`/v1/sessions/${session.id}/replay`, {});
        return `${res.status}${res.ok ? ` ok=${((await res.json()) as { ok: boolean }).ok}` : ''}`;
      },
      (g) => g === '200 ok=true',
    );
    await probe(
      'startup warning: weak token',
      'warned',
      async () => (/weak/i.test(log) ? 'warned' : 'silent'),
      (g) => g === 'warned',
    );
    await probe(
      'startup warning: 0.0.0.0 over plain HTTP',
      'warned',
      async () => (/plain HTTP/i.test(log) ? 'warned' : 'silent'),
      (g) => g === 'warned',
    );
  } finally {
    if (api.pid) process.kill(-api.pid, 'SIGTERM');
    if (server) stopTestServer(server.env, server.home);
  }
  console.log(`API of ${root}`);
  console.log('| probe | a trust boundary answers | this API answered | |\n|---|---|---|---|');
  for (const [name, want, got, ok] of rows) console.log(`| ${name} | ${want} | ${got} | ${ok ? 'ok' : 'FAILS'} |`);
  console.log(`${rows.filter((r) => r[3]).length}/${rows.length} probes hold`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
