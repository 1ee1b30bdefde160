/**
 * End-to-end run of the local production topology (issue 20): `infra/local-cluster/cluster.sh up`
 * (PostgreSQL, the Temporal server built at the chart's tag, API, 2 canvas workers, 1 sandbox
 * worker, the learner), then N scripted sessions started THROUGH THE API against two scripted fake
 * OpenAI-compatible servers; mid-run one canvas worker is SIGKILLed and PostgreSQL is restarted
 * once (fast shutdown + start); every session must complete, and with the same results as the same
 * inputs on the SQLite dev server with one worker process (status, answer, DSL, turns, score, canvas
 * events, transcript, LLM call counts: `comparableResult`). It also lists the sessions through the
 * API by their FlowSteerRun search attribute (advanced visibility on PostgreSQL), counts activities
 * per task queue and which worker identities did the work, and prints every figure as JSON.
 *
 *   npx tsx bench/cluster/e2e.ts [--sessions 6] [--port-base 27300] [--keep] [--json out.json]
 *   FLOWSTEER_CLUSTER_TLS=1 npx tsx bench/cluster/e2e.ts ...   # the same over mTLS to Temporal and TLS to PostgreSQL
 *
 * Not a jest test: bringing the topology up takes minutes on a loaded machine (and a first run builds
 * the Temporal server from the Go module proxy). Exit code 0 only when every check passed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { ArtifactStore } from '@flowsteer/artifacts';
import { TASK_QUEUES, canvasQuery, type SessionInput, type SessionResult } from '@flowsteer/contracts';
import { startFakeOpenAIServer } from '@flowsteer/llm/test-support';
import { temporalTlsFromEnv, workflowChainHistories } from '@flowsteer/temporal-runtime';
import { startTestServer, stopTestServer } from '../../jest/test-server';
import {
  backendsYaml,
  comparableResult,
  scriptedDirectorReply,
  scriptedExecutorReply,
  scriptedSessionInput,
} from '../../apps/worker-e2e/src/support/scripted-session';
import { killHard, spawnWorkerProcess, writeWorkflowBundle } from '../../apps/worker-e2e/src/support/worker-process';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '6' },
    'port-base': { type: 'string', default: '27300' },
    'kill-at-turn': { type: 'string', default: '3' },
    'pg-restart-at-turn': { type: 'string', default: '6' },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const N = Number(args.sessions);
const ROOT = join(__dirname, '..', '..');
const CLUSTER = join(ROOT, 'infra', 'local-cluster', 'cluster.sh');
const HOME = join(ROOT, '.flowsteer', 'local-cluster-e2e');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => Math.round(ms / 100) / 10;

function cluster(verb: string[], env: NodeJS.ProcessEnv): { code: number; out: string; ms: number } {
  const started = Date.now();
  const r = spawnSync('bash', [CLUSTER, ...verb], { cwd: ROOT, env, encoding: 'utf8' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  process.stdout.write(out.replace(/^/gm, `  [cluster ${verb.join(' ')}] `).replace(/ {2}\[cluster [^\]]*\] $/, ''));
  return { code: r.status ?? 1, out, ms: Date.now() - started };
}

function envFile(env: NodeJS.ProcessEnv): Record<string, string> {
  const out = execFileSync('bash', [CLUSTER, 'env'], { cwd: ROOT, env, encoding: 'utf8' });
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

async function main(): Promise<void> {
  const figures: Record<string, unknown> = { sessions: N };
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
  };
  const director = await startFakeOpenAIServer({ fallback: (req) => scriptedDirectorReply(req, { delayMs: 300 }) });
  const executor = await startFakeOpenAIServer({ fallback: (req) => scriptedExecutorReply(req, { delayMs: 20 }) });
  const forget = setInterval(() => {
    director.requests.length = 0;
    executor.requests.length = 0;
  }, 5_000);
  const tmp = mkdtempSync(join(tmpdir(), 'flowsteer-cluster-e2e-'));
  const backends = join(tmp, 'backends.yaml');
  writeFileSync(backends, backendsYaml(director.baseURL, executor.baseURL, { concurrency: 32, timeoutMs: 30_000 }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLOWSTEER_CLUSTER_HOME: HOME,
    FLOWSTEER_CLUSTER_PORT_BASE: args['port-base'],
    FLOWSTEER_BACKENDS: backends,
  };
  const tag = Date.now().toString(36);
  let connection: Connection | undefined;
  try {
    // ---- the topology
    const up = cluster(['up'], env);
    figures.upSec = secs(up.ms);
    if (up.code !== 0) throw new Error(`cluster.sh up failed (exit ${up.code})`);
    const st = cluster(['status'], env);
    check(st.code === 0, 'status after up: every process up, every queue polled');
    figures.statusAfterUp = st.out.trim().split('\n');
    const e = envFile(env);
    const api = e.FLOWSTEER_API_URL as string;
    const token = readFileSync(e.FLOWSTEER_API_TOKEN_FILE as string, 'utf8').trim();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const http = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const res = await fetch(`${api}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json().catch(() => undefined)) as T };
    };
    connection = await Connection.connect({ address: e.TEMPORAL_ADDRESS as string, tls: temporalTlsFromEnv(e) }); // mTLS when the cluster has TLS
    const client = new Client({ connection, namespace: e.TEMPORAL_NAMESPACE as string });

    // ---- N sessions through the API
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const input = scriptedSessionInput(i);
      const res = await http<{ id: string }>('POST', '/v1/sessions', {
        problem: input.task.problem,
        taskType: input.task.taskType,
        answers: input.task.answers,
        director: 'director',
        executor: 'executor',
        limits: { maxTurns: 20 },
        run: `e2e-${tag}`,
        idSuffix: `e2e-${tag}-${i}`,
      });
      if (res.status !== 201) throw new Error(`POST /v1/sessions answered ${res.status}: ${JSON.stringify(res.body)}`);
      ids.push(res.body.id);
    }
    console.log(`${N} sessions started through ${api}: ${ids[0]} ...`);
    const handles = ids.map((id) => client.workflow.getHandle(id));
    const waitTurn = async (turn: number) => {
      for (;;) {
        const views = await Promise.all(handles.map((h) => h.query(canvasQuery).catch(() => undefined)));
        const done = await Promise.all(handles.map(async (h) => (await h.describe()).status.name !== 'RUNNING'));
        if (views.every((v, i) => done[i] || (v && v.turn >= turn))) return views.map((v) => v?.turn ?? -1);
        await sleep(300);
      }
    };

    // ---- SIGKILL one canvas worker mid-run
    const atKill = await waitTurn(Number(args['kill-at-turn']));
    const pid = Number(readFileSync(join(HOME, 'run', 'canvas-1.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    console.log(`SIGKILL canvas-1 (pid ${pid}) at turns ${atKill.join(',')}`);
    figures.kill = { worker: 'canvas-1', pid, atTurns: atKill };

    // ---- restart PostgreSQL once, while canvas-2 carries every session
    const atPg = await waitTurn(Number(args['pg-restart-at-turn']));
    figures.afterKillNextTurnsSec = secs(Date.now() - killedAt);
    const pg = cluster(['restart-postgres'], env);
    check(pg.code === 0, 'PostgreSQL restarted (fast shutdown, start)');
    figures.pgRestart = { atTurns: atPg, sec: secs(pg.ms) };
    // bring the killed worker back (what the Deployment's ReplicaSet does)
    const back = cluster(['start', 'canvas-1'], env);
    check(back.code === 0, 'canvas-1 restarted and polling');

    // ---- every session completes; results read through the API
    const clusterResults: SessionResult[] = [];
    for (const id of ids) {
      for (;;) {
        const res = await http<{ executionStatus: string; attributes: { status?: string }; result?: SessionResult; error?: string }>(
          'GET',
          `/v1/sessions/${id}`,
        );
        if (res.status === 200 && res.body.executionStatus !== 'RUNNING') {
          check(
            res.body.executionStatus === 'COMPLETED' && !!res.body.result,
            `${id} completed through the API (${res.body.executionStatus}, ${res.body.attributes.status ?? res.body.error})`,
          );
          if (res.body.result) clusterResults.push(res.body.result);
          break;
        }
        await sleep(1000);
      }
    }
    figures.clusterWallSec = secs(Date.now() - started);

    // ---- the list through the API: the FlowSteerRun search attribute, visibility on PostgreSQL
    let listed = 0;
    for (let tries = 0; tries < 30 && listed < N; tries++) {
      const res = await http<{ sessions: unknown[] }>('GET', `/v1/sessions?run=e2e-${tag}&pageSize=100`);
      listed = res.body?.sessions?.length ?? 0;
      if (listed < N) await sleep(1000);
    }
    check(
      listed === N,
      `GET /v1/sessions?run=e2e-${tag} lists ${listed}/${N} sessions (FlowSteerRun search attribute on PostgreSQL visibility)`,
    );

    // ---- where the work ran
    const queues: Record<string, number> = {};
    const identities: Record<string, number> = {};
    let wftTimeouts = 0;
    let activityRetries = 0;
    const inputs: SessionInput[] = [];
    for (const id of ids) {
      const runs = await workflowChainHistories(client, id);
      const first = runs[0]?.history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      if (first) inputs.push(defaultPayloadConverter.fromPayload(first as never) as SessionInput);
      for (const r of runs) {
        for (const ev of r.history.events ?? []) {
          const q = ev.activityTaskScheduledEventAttributes?.taskQueue?.name;
          if (q) queues[q] = (queues[q] ?? 0) + 1;
          const who = ev.workflowTaskCompletedEventAttributes?.identity ?? ev.activityTaskStartedEventAttributes?.identity;
          if (who) identities[who] = (identities[who] ?? 0) + 1;
          if (ev.workflowTaskTimedOutEventAttributes) wftTimeouts++;
          if ((ev.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) activityRetries++;
        }
      }
    }
    Object.assign(figures, {
      activitiesByQueue: queues,
      tasksByIdentity: identities,
      workflowTaskTimeouts: wftTimeouts,
      activityAttemptsAfterFirst: activityRetries,
    });
    check(
      Object.keys(identities).some((i) => i.includes('canvas-1')) && Object.keys(identities).some((i) => i.includes('canvas-2')),
      'both canvas workers did work',
    );
    const sandboxActivities = queues['flowsteer-sandbox'] ?? 0;
    figures.sandboxQueueActivities = sandboxActivities;
    // scoring (and any code run) goes to the sandbox pool (canvas workers do not even register those activities)
    check(sandboxActivities > 0, 'sandbox work (scoring) reached the flowsteer-sandbox queue');

    // ---- the same inputs on the dev server (SQLite), one worker process: the reference
    const dev = await startTestServer();
    const devArtifacts = join(tmp, 'dev-artifacts');
    const devQueue = `${TASK_QUEUES.canvas}-e2e-dev-${tag}`;
    const worker = spawnWorkerProcess(`e2e-dev@${process.pid}`, {
      TEMPORAL_ADDRESS: dev.address,
      FLOWSTEER_TASK_QUEUE: devQueue,
      FLOWSTEER_BACKENDS: backends,
      FLOWSTEER_ARTIFACTS: devArtifacts,
      FLOWSTEER_WORKFLOW_BUNDLE: await writeWorkflowBundle(tmp),
      FLOWSTEER_WORKER_ROLES: 'canvas,sandbox',
      FLOWSTEER_WORKER_VERSIONING: 'false',
    });
    let devResults: SessionResult[] = [];
    const devStarted = Date.now();
    try {
      await worker.ready;
      const devConn = await Connection.connect({ address: dev.address });
      try {
        const devClient = new Client({ connection: devConn });
        devResults = (await Promise.all(
          inputs.map((input, i) =>
            devClient.workflow.execute('canvasSession', { taskQueue: devQueue, workflowId: `session-e2e-dev-${tag}-${i}`, args: [input] }),
          ),
        )) as SessionResult[];
      } finally {
        await devConn.close();
      }
    } finally {
      await killHard(worker);
      stopTestServer(dev.env, dev.home);
    }
    figures.devWallSec = secs(Date.now() - devStarted);
    const clusterStore = new ArtifactStore(join(HOME, 'artifacts'));
    const devStore = new ArtifactStore(devArtifacts);
    let same = 0;
    for (const [i, r] of clusterResults.entries()) {
      const a = await comparableResult(r, clusterStore);
      const b = devResults[i] ? await comparableResult(devResults[i] as SessionResult, devStore) : undefined;
      if (JSON.stringify(a) === JSON.stringify(b)) same++;
      else
        console.log(
          `session ${i} differs:\n cluster ${JSON.stringify({ ...a, events: a.events.length, transcript: a.transcript.length })}\n dev     ${JSON.stringify(b ? { ...b, events: b.events.length, transcript: b.transcript.length } : null)}`,
        );
    }
    check(
      same === N,
      `${same}/${N} sessions give the same results as on the dev server (status, answer, DSL, turns, score, events, transcript, call counts)`,
    );
    figures.results = clusterResults.map((r) => ({ status: r.status, answer: r.answer, turns: r.turns, primary: r.score?.primary }));
    const end = cluster(['status'], env);
    check(end.code === 0, 'status at the end: every process up, every queue polled');
  } finally {
    clearInterval(forget);
    await connection?.close();
    if (!args.keep) cluster(['down', '--purge'], env);
    await director.close();
    await executor.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  figures.failures = failures;
  console.log(JSON.stringify(figures, null, 2));
  if (args.json) writeFileSync(args.json, JSON.stringify(figures, null, 2));
  if (failures.length) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
