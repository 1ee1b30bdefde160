/**
 * A CWRPO training step through the local production topology (issue 20): `cluster.sh up`
 * (PostgreSQL, Temporal at the chart's tag, API, 2 canvas workers, the sandbox worker, the learner
 * worker), then one small training run started THROUGH THE API on the embedded model (director and
 * executor `local`, base model `local`); the step's rollouts run on the canvas pool, their scoring on
 * the sandbox pool and `learnerStep` on the learner pool. Checks that the run finishes its step, that
 * each kind of work ran on the pool meant for it (worker identities in the histories), and that the
 * learner wrote the step's checkpoint into the shared artifacts folder. Prints every figure as JSON.
 *
 *   npx tsx bench/cluster/training.ts [--port-base 27400] [--group 2] [--turns 4] [--keep]
 *
 * Not a jest test: minutes on 2 cores (the embedded model samples every turn, the learner loads the
 * dequantised GGUF). Exit code 0 only when every check passed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { activityCalls, temporalTlsFromEnv } from '@flowsteer/temporal-runtime';
import { Client, Connection } from '@temporalio/client';
import type { CwrpoTrainingResult } from '@flowsteer/contracts';

const { values: args } = parseArgs({
  options: {
    'port-base': { type: 'string', default: '27400' },
    group: { type: 'string', default: '2' },
    turns: { type: 'string', default: '4' },
    keep: { type: 'boolean', default: false },
  },
});
const ROOT = join(__dirname, '..', '..');
const CLUSTER = join(ROOT, 'infra', 'local-cluster', 'cluster.sh');
const HOME = join(ROOT, '.flowsteer', 'local-cluster-training');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cluster(verb: string[], env: NodeJS.ProcessEnv): number {
  const r = spawnSync('bash', [CLUSTER, ...verb], { cwd: ROOT, env, encoding: 'utf8' });
  process.stdout.write(`${r.stdout ?? ''}${r.stderr ?? ''}`.replace(/^(?=.)/gm, `  [cluster ${verb[0]}] `));
  return r.status ?? 1;
}

/** Which worker identities ran each activity type of one workflow execution. */
async function activityWorkers(client: Client, workflowId: string): Promise<Record<string, string[]>> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<string, string>();
  const out: Record<string, Set<string>> = {};
  const completedBy = new Map<string, string>(); // workflow task completed event id -> worker identity
  for (const e of history.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(e.eventId), s.activityType?.name ?? '?');
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const type = scheduled.get(String(started.scheduledEventId)) ?? '?';
      (out[type] ??= new Set()).add(started.identity ?? '?');
    }
    if (e.workflowTaskCompletedEventAttributes) completedBy.set(String(e.eventId), e.workflowTaskCompletedEventAttributes.identity ?? '?');
  }
  // local activities ran on the worker whose workflow task recorded their marker
  for (const call of activityCalls(history.events ?? []).filter((c) => c.local)) {
    const task = String(call.event.markerRecordedEventAttributes?.workflowTaskCompletedEventId ?? '');
    (out[call.type] ??= new Set()).add(completedBy.get(task) ?? '?');
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
}

async function main(): Promise<void> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
  };
  const backends = join(mkdtempSync(join(tmpdir(), 'flowsteer-cluster-training-')), 'backends.yaml');
  // the embedded GGUF by absolute path: each worker of the topology has a FLOWSTEER_HOME of its own
  const gguf = join(ROOT, '.flowsteer', 'models', 'SmolLM2-135M-Instruct.Q4_1.gguf');
  writeFileSync(
    backends,
    `defaults: { director: local, executor: local }\nbackends:\n  local: { kind: local, modelPath: ${JSON.stringify(gguf)} }\nmodels:\n  local: { path: ${JSON.stringify(gguf)} }\n`,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLOWSTEER_CLUSTER_HOME: HOME,
    FLOWSTEER_CLUSTER_PORT_BASE: args['port-base'],
    FLOWSTEER_BACKENDS: backends,
  };
  const figures: Record<string, unknown> = {};
  let connection: Connection | undefined;
  const started = Date.now();
  try {
    check(cluster(['up'], env) === 0, 'cluster.sh up');
    figures.upSeconds = Math.round((Date.now() - started) / 1000);
    const e = Object.fromEntries(
      execFileSync('bash', [CLUSTER, 'env'], { cwd: ROOT, env, encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const api = e.FLOWSTEER_API_URL as string;
    const token = readFileSync(e.FLOWSTEER_API_TOKEN_FILE as string, 'utf8').trim();
    const http = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const res = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
    };
    const name = `cluster-step-${Date.now().toString(36)}`;
    const config = {
      datasets: ['gsm8k'],
      groupSize: Number(args.group),
      problemsPerStep: 1,
      steps: 1,
      seed: 7,
      director: 'local',
      executor: 'local',
      maxTurns: Number(args.turns),
      baseModel: 'local',
      tokenizer: 'sampled',
      maxSampleTokens: 2048,
      learner: { dtype: 'float32', oldLogprobs: 'recompute', microBatchSize: 2 },
      learnerHeartbeatSeconds: 300,
    };
    const start = await http<{ id: string }>('POST', '/v1/training', { name, config });
    check(start.status === 201, `POST /v1/training answered ${start.status} ${JSON.stringify(start.body).slice(0, 200)}`);
    const id = start.body.id;
    const trainStarted = Date.now();
    let detail: { executionStatus?: string; result?: CwrpoTrainingResult; error?: string } = {};
    while (Date.now() - trainStarted < 40 * 60_000) {
      const res = await http<typeof detail>('GET', `/v1/training/${encodeURIComponent(id)}`);
      detail = res.body;
      if (detail.executionStatus && detail.executionStatus !== 'RUNNING') break;
      await sleep(5_000);
    }
    figures.trainingSeconds = Math.round((Date.now() - trainStarted) / 1000);
    check(
      detail.executionStatus === 'COMPLETED' && detail.result?.status === 'finished',
      `the run finished: ${detail.executionStatus} ${detail.result?.status ?? detail.error ?? ''}`,
    );
    check(detail.result?.step === 1, `it applied step 1 (policy ${detail.result?.policyVersion})`);
    figures.history = detail.result?.history;
    const metrics = detail.result?.history?.[0]?.metrics ?? {};
    check(
      (metrics.usableRollouts ?? 0) > 0 && !metrics.skipped,
      `the step learned from ${metrics.usableRollouts ?? 0} usable rollout(s) (failed ${metrics.failedRollouts ?? 0})`,
    );

    connection = await Connection.connect({ address: e.TEMPORAL_ADDRESS as string, tls: temporalTlsFromEnv(e) }); // mTLS when the cluster has TLS
    const client = new Client({ connection, namespace: e.TEMPORAL_NAMESPACE ?? 'default' });
    const run = await activityWorkers(client, id);
    const rollouts: Record<string, string[]> = {};
    for (let g = 0; g < Number(args.group); g++) {
      for (const [type, ids] of Object.entries(await activityWorkers(client, `${id}-s1-p0-g${g}`)))
        rollouts[type] = [...new Set([...(rollouts[type] ?? []), ...ids])];
    }
    figures.workers = { run, rollouts };
    check(
      (run.learnerStep ?? []).length > 0 && run.learnerStep!.every((w) => w.startsWith('flowsteer-learner@')),
      `learnerStep ran on the learner pool: ${run.learnerStep}`,
    );
    check(
      (rollouts.policyTurn ?? []).every((w) => w.startsWith('flowsteer-canvas@')) && (rollouts.policyTurn ?? []).length > 0,
      `director turns ran on the canvas pool: ${rollouts.policyTurn}`,
    );
    check(
      (rollouts.scoreSession ?? []).every((w) => w.startsWith('flowsteer-sandbox@')) && (rollouts.scoreSession ?? []).length > 0,
      `scoring ran on the sandbox pool: ${rollouts.scoreSession}`,
    );
    const checkpoint = detail.result?.checkpointPath ?? '';
    const onDisk = checkpoint.startsWith('/') ? checkpoint : join(HOME, 'artifacts', checkpoint);
    check(existsSync(join(onDisk, 'checkpoint.json')), `the learner's checkpoint is in the shared artifacts folder: ${onDisk}`);
  } catch (err) {
    check(false, `error: ${(err as Error).message}`);
  } finally {
    await connection?.close();
    if (!args.keep) cluster(['down'], env);
  }
  console.log(JSON.stringify(figures, null, 2));
  console.log(failures.length ? `${failures.length} check(s) failed` : 'all checks passed');
  process.exit(failures.length ? 1 : 0);
}

void main();
