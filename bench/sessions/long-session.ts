/**
 * Long-session probe (issue 16): one canvas session driven the way a user drives it, through
 * `flowsteer solve`, against a throw-away dev server and a worker *process*, with a scripted director
 * that builds 15 Custom nodes and then rewrites node_1's prompt every turn (so all 15 run again every
 * turn) and an executor that answers ~4 KB per call. It reports, with the figures the issue asks for:
 *
 * - per-turn wall time around turn 10 and around the last turn (from the director's request times);
 * - every run of the continue-as-new chain: history events and bytes (largest), server warnings;
 * - the result's size, the `canvas` query's size, `solve`'s progress lines (largest gap);
 * - a SIGKILL of the worker at `--kill-at` and the time until the session takes its next turn, and
 *   whether any workflow task timed out;
 * - `flowsteer show`, `replay` and `fork --turn <fork-at>` on the finished session, with their times;
 * - optionally a director outage (`--director-down-at T --director-down-sec S`): the session waits and
 *   completes; and an executor outage past a short budget (`--executor-down`): `backend-unavailable`.
 *
 *   npx tsx bench/sessions/long-session.ts [--turns 1000] [--nodes 15] [--bytes 4096] [--kill-at 500]
 *       [--fork-at 900] [--director-down-at 0 --director-down-sec 300] [--executor-down] [--json out.json]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { ArtifactStore } from '@flowsteer/artifacts';
import { TASK_QUEUES, canvasQuery, type SessionResult } from '@flowsteer/contracts';
import { reply, startFakeOpenAIServer, type RecordedRequest } from '@flowsteer/llm/test-support';
import { workflowChainHistories } from '@flowsteer/temporal-runtime';
import { startTestServer, stopTestServer } from '../../jest/test-server';
import { backendsYaml, bulkyExecutorReply, probeDirectorReply } from '../../apps/worker-e2e/src/support/scripted-session';
import { killHard, spawnWorkerProcess, writeWorkflowBundle, type WorkerProcess } from '../../apps/worker-e2e/src/support/worker-process';

const { values: args } = parseArgs({
  options: {
    turns: { type: 'string', default: '1000' },
    nodes: { type: 'string', default: '15' },
    bytes: { type: 'string', default: '4096' },
    'kill-at': { type: 'string', default: '500' },
    'fork-at': { type: 'string', default: '900' },
    'director-down-at': { type: 'string', default: '0' },
    'director-down-sec': { type: 'string', default: '300' },
    'executor-down': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const TURNS = Number(args.turns);
const NODES = Number(args.nodes);
const KILL_AT = Number(args['kill-at']);
const FORK_AT = Number(args['fork-at']);
const DOWN_AT = Number(args['director-down-at']);
const DOWN_MS = Number(args['director-down-sec']) * 1000;
const ROOT = join(__dirname, '..', '..');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function roundOf(req: RecordedRequest): number | undefined {
  const body = req.body as { messages?: { content?: string }[] };
  const text = (body?.messages ?? []).map((m) => m.content ?? '').join('\n');
  if (/Write the prompt for/.test(text)) return undefined;
  const m = /Round (\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

function flowsteer(cliArgs: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'apps/cli/bin/flowsteer.js'), ...cliArgs], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, out, ms: Date.now() - started }));
  });
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'flowsteer-long-'));
  const server = await startTestServer();
  const roundAt = new Map<number, number>();
  let directorDownUntil = 0;
  const director = await startFakeOpenAIServer({
    fallback: (req) => {
      const round = roundOf(req);
      if (round !== undefined && DOWN_AT > 0 && round === DOWN_AT && directorDownUntil === 0) directorDownUntil = Date.now() + DOWN_MS;
      if (Date.now() < directorDownUntil) return reply.status(503, 'director down (bench outage)');
      if (round !== undefined && !roundAt.has(round)) roundAt.set(round, Date.now());
      return probeDirectorReply(req, NODES);
    },
  });
  const executor = await startFakeOpenAIServer({ fallback: (req) => bulkyExecutorReply(req, Number(args.bytes)) });
  const forget = setInterval(() => {
    director.requests.length = 0;
    executor.requests.length = 0;
  }, 5_000);
  const backends = join(tmp, 'backends.yaml');
  writeFileSync(backends, backendsYaml(director.baseURL, executor.baseURL, { concurrency: 16 }));
  const artifacts = join(tmp, 'artifacts');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    FLOWSTEER_TEMPORAL_UI_URL: server.uiUrl,
    FLOWSTEER_TASK_QUEUE: `${TASK_QUEUES.canvas}-long-${Date.now().toString(36)}`,
    FLOWSTEER_BACKENDS: backends,
    FLOWSTEER_ARTIFACTS: artifacts,
    FLOWSTEER_WORKFLOW_BUNDLE: await writeWorkflowBundle(tmp),
  };
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  // code runs and scoring go to the paired sandbox queue: a sandbox worker process of its own (no backends)
  const { FLOWSTEER_BACKENDS: _backends, ...sandboxEnv } = env;
  const sandbox = spawnWorkerProcess(`long-sandbox@${process.pid}`, { ...sandboxEnv, FLOWSTEER_WORKER_ROLES: 'sandbox' });
  const workers: WorkerProcess[] = [spawnWorkerProcess(`long-1@${process.pid}`, env)];
  await Promise.all([workers[0]?.ready, sandbox.ready]);
  const figures: Record<string, unknown> = { turns: TURNS, nodes: NODES, executorBytes: Number(args.bytes) };
  try {
    const problemFile = join(tmp, 'probe.jsonl');
    writeFileSync(
      problemFile,
      `${JSON.stringify({ id: 'probe', problem: 'Report the checked result of the computation.', answer: '42', taskType: 'qa' })}\n`,
    );
    const started = Date.now();
    const solve = spawn(
      process.execPath,
      [
        join(ROOT, 'apps/cli/bin/flowsteer.js'),
        'solve',
        '--file',
        problemFile,
        '--max-turns',
        String(TURNS),
        '--director',
        'director',
        '--executor',
        'executor',
        '--task-type',
        'qa',
      ],
      { cwd: ROOT, env },
    );
    const progress: number[] = [];
    let solveOut = '';
    solve.stdout.on('data', (d: Buffer) => {
      solveOut += d.toString();
      for (const line of d.toString().split('\n')) if (/\] turn \d+\//.test(line)) progress.push(Date.now());
    });
    solve.stderr.on('data', (d: Buffer) => (solveOut += d.toString()));
    const solveDone = new Promise<number>((resolve) => solve.on('exit', (code) => resolve(code ?? 1)));

    let workflowId: string | undefined;
    while (!workflowId) {
      workflowId = /(session-file-probe-\S+)/.exec(solveOut)?.[1];
      if (!workflowId) await sleep(200);
    }
    const handle = client.workflow.getHandle(workflowId);
    let largestView = 0;
    let killed = false;
    let killedAtMs = 0;
    for (;;) {
      const view = await handle.query(canvasQuery).catch(() => undefined);
      if (view) largestView = Math.max(largestView, JSON.stringify(view).length);
      if (view && KILL_AT > 0 && !killed && view.turn >= KILL_AT) {
        killed = true;
        const atKill = view.turn;
        const killedAt = Date.now();
        killedAtMs = killedAt;
        await killHard(workers[0] as WorkerProcess);
        const next = spawnWorkerProcess(`long-2@${process.pid}`, env);
        workers.push(next);
        await next.ready;
        const readyAfterMs = Date.now() - killedAt;
        for (;;) {
          const v = await handle.query(canvasQuery).catch(() => undefined);
          if (v && v.turn > atKill) break;
          await sleep(100);
        }
        figures.kill = { atTurn: atKill, resumedAfterMs: Date.now() - killedAt, replacementReadyAfterMs: readyAfterMs };
        console.log(
          `SIGKILL at turn ${atKill}: replacement worker polling after ${(readyAfterMs / 1000).toFixed(1)} s, next turn ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`,
        );
      }
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') break;
      await sleep(1000);
    }
    const code = await solveDone;
    const wallMs = Date.now() - started;
    const result = (await handle.result()) as SessionResult;
    const runs = await workflowChainHistories(client, workflowId);
    const runSizes = runs.map((r) => ({ events: r.history.events?.length ?? 0, bytes: Buffer.byteLength(JSON.stringify(r.history)) }));
    const wftTimeouts = runs.flatMap((r, run) =>
      (r.history.events ?? [])
        .filter((e) => e.workflowTaskTimedOutEventAttributes)
        .map((e) => ({
          run,
          eventId: Number(e.eventId),
          type: e.workflowTaskTimedOutEventAttributes?.timeoutType,
          at: e.eventTime?.seconds ? new Date(Number(e.eventTime.seconds) * 1000).toISOString() : undefined,
        })),
    );
    const gaps = progress.slice(1).map((t, i) => t - (progress[i] as number));
    const turnMs = (from: number, to: number) => {
      const xs: number[] = [];
      for (let r = from; r < to; r++) {
        const a = roundAt.get(r);
        const b = roundAt.get(r + 1);
        if (a !== undefined && b !== undefined) xs.push(b - a);
      }
      return median(xs);
    };
    const early = turnMs(2 * NODES + 2, 2 * NODES + 12);
    const late = turnMs(TURNS - 11, TURNS - 1);
    const log = join(server.home, 'logs', 'temporal.log');
    const warnings = existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => /history (size|count) exceeds|exceeds (warn|error) limit/i.test(l)).length
      : -1;
    Object.assign(figures, {
      status: result.status,
      solveExit: code,
      wallSec: Math.round(wallMs / 1000),
      runs: runs.length,
      largestRunEvents: Math.max(...runSizes.map((r) => r.events)),
      largestRunBytes: Math.max(...runSizes.map((r) => r.bytes)),
      serverHistoryWarnings: warnings,
      workflowTaskTimeouts: wftTimeouts,
      killedAt: figures.kill ? new Date(killedAtMs).toISOString() : undefined,
      resultBytes: Buffer.byteLength(JSON.stringify(result)),
      largestCanvasQueryBytes: largestView,
      progressLines: progress.length,
      largestProgressGapSec: gaps.length ? Math.round(Math.max(...gaps) / 100) / 10 : null,
      turnMsEarly: early,
      turnMsLate: late,
      lateOverEarly: Math.round((late / early) * 100) / 100,
    });
    const cliEnv = { ...env };
    const show = await flowsteer(['show', workflowId], cliEnv);
    const replay = await flowsteer(['replay', workflowId], cliEnv);
    const fork =
      FORK_AT > 0
        ? await flowsteer(['fork', workflowId, '--turn', String(FORK_AT), '--max-turns', String(FORK_AT + 2)], cliEnv)
        : undefined;
    let forkResult: SessionResult | undefined;
    const forkId = fork ? /-> (\S+)/.exec(fork.out)?.[1] : undefined;
    if (forkId) forkResult = (await client.workflow.getHandle(forkId).result()) as SessionResult;
    Object.assign(figures, {
      show: { exit: show.code, ms: show.ms, transcriptLines: show.out.split('\n').filter((l) => /^turn \d+ /.test(l)).length },
      replay: { exit: replay.code, ms: replay.ms, line: replay.out.split('\n').find((l) => l.startsWith('replay')) },
      fork: fork
        ? {
            exit: fork.code,
            ms: fork.ms,
            ...(fork.code !== 0 ? { output: fork.out.slice(-600) } : {}),
            id: forkId,
            status: forkResult?.status,
            turns: forkResult?.turns,
            sameDsl: forkResult?.dsl === result.dsl,
          }
        : null,
    });
    const store = new ArtifactStore(artifacts);
    figures.storedSegments = result.segments.length;
    figures.segmentsReadable = (await Promise.all(result.segments.map((s) => store.exists(s)))).every(Boolean);
    if (args['executor-down']) figures.executorOutage = await executorOutage(client, env, executor);
  } finally {
    clearInterval(forget);
    for (const w of [...workers, sandbox]) await killHard(w);
    await connection.close();
    await director.close();
    await executor.close();
    stopTestServer(server.env, server.home);
  }
  console.log(JSON.stringify(figures, null, 2));
  if (args.json) writeFileSync(args.json, JSON.stringify(figures, null, 2));
}

/** An executor that stays down past a 20 s outage budget: the session ends `backend-unavailable`. */
async function executorOutage(client: Client, env: NodeJS.ProcessEnv, executor: Awaited<ReturnType<typeof startFakeOpenAIServer>>) {
  executor.setFallback(reply.status(503, 'executor down (bench outage)'));
  const worker = spawnWorkerProcess(`long-outage@${process.pid}`, env);
  await worker.ready;
  try {
    const started = Date.now();
    const result = (await client.workflow.execute('canvasSession', {
      taskQueue: env.FLOWSTEER_TASK_QUEUE as string,
      workflowId: `session-adhoc-executor-down-${Date.now()}`,
      args: [
        {
          task: { dataset: 'adhoc', id: 'down', taskType: 'qa', problem: 'Report the checked result of the computation.', answers: ['42'] },
          directorBackend: 'director',
          executorBackend: 'executor',
          limits: { maxTurns: 6, outageBudgetSec: 20, outageRetrySec: 2 },
        },
      ],
    })) as SessionResult;
    return {
      status: result.status,
      reason: result.reason,
      sec: Math.round((Date.now() - started) / 1000),
      executorFailedCalls: result.ledger.executor.failedCalls,
    };
  } finally {
    await killHard(worker);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
