/**
 * Engine overhead benchmark (issue 6 part 6): N concurrent canvas sessions with a scripted director
 * (a fixed 11-turn action sequence) and an executor with a fixed latency, measured two ways in the
 * same run against the same fake OpenAI-compatible servers and the same LLM client:
 *
 *   temporal: a throw-away dev server + an in-process worker with the real activities;
 *   loop:     a plain in-process loop over the same canvas library and the same activity functions.
 *
 * Per-turn orchestration overhead = turn wall time - LLM time, where a turn runs from one director
 * request's arrival at the fake server to the next one's (the last turn ends at the session's end),
 * and LLM time is the union of the fake servers' scripted latencies inside that window. Both modes
 * are timed by the same clock, in the same process, from the same server-side records.
 *
 * The floor (issue 18): after each temporal batch, N `floorSession` workflows (bench/engine/floor-workflow.ts)
 * run the same activities in the same workflow-task groups, each only sleeping its scripted LLM
 * latency; the floor overhead per turn is their mean wall minus that latency on the critical path,
 * divided by the turns; "ours ÷ floor" compares it with the mean project overhead per turn.
 *
 *   npx tsx bench/engine/overhead.ts [--sizes 1,16,64] [--executor-ms 100] [--director-ms 0]
 *       [--concurrency 256] [--wft 0] [--cache 0] [--activities 0] [--local-activities 0] [--db-dir /dev/shm] [--json out.json]
 *       [--address 127.0.0.1:27201 --namespace flowsteer] [--llm-calls local|activity] [--wf-threads 0] [--trace] [--bundle tuned|eager-start|plain] [--llm-process] [--floor-one-call-per-turn]
 *
 * --llm-calls: how the sessions make their director and executor calls (`limits.llmCalls`): local
 * activities (the default) or regular activities; the floor runs the same calls the same way.
 * --address measures against a running Temporal server instead of a throw-away dev server (e.g. the
 * PostgreSQL-backed one of infra/local-cluster: `cluster.sh env` prints its address); the worker is
 * in-process and unversioned on a task queue of its own, as with the dev server.
 *
 * --wft / --cache / --activities / --local-activities set the worker's maxConcurrentWorkflowTaskExecutions,
 * maxCachedWorkflows, maxConcurrentActivityTaskExecutions and maxConcurrentLocalActivityExecutions
 * (0: the SDK default: 40, 1000, 100, 100). A session making local LLM calls holds a workflow task
 * slot for as long as its open task runs them: with more such sessions than slots, the rest wait.
 * --bundle: the workflow bundle as the product builds it (tuned); with every workflow's and every
 * contracts module evaluated at every workflow start (eager-start: before lever 8, eager-entry.ts);
 * or also without the sandbox built-ins (plain: before lever 7; libs/temporal-runtime bundle-options.ts).
 * --wf-threads sets workflowThreadPoolSize (0: the canvas worker's default, DEFAULT_WORKFLOW_THREADS).
 *
 * --llm-process runs the fake LLM servers in a child process (llm-process.ts) instead of on this
 * process's main thread, which the worker's SDK side also runs on; both modes and the floor see the same.
 *
 * --floor-one-call-per-turn also runs the floor with each turn's local calls made as one local
 * activity (floor.ts oneCallPerTurn): what the engine would cost if a turn took one activation.
 * --trace splits the time between two LLM calls of a session into its hand-overs (turn-trace.ts):
 * the result reaching the workflow as an activation, the workflow thread, the next call starting;
 * and it prints how long the main thread's event loop made its callbacks wait (monitorEventLoopDelay).
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  buildDirectorRequest,
  isTerminal,
  openCanvas,
  recordExecution,
  recordOutcomes,
  replay,
  startExecution,
  takeTurn,
  type CallResult,
  type CanvasState,
  type OperatorCall,
} from '@flowsteer/canvas';
import {
  CANVAS_SESSION_WORKFLOW,
  TASK_QUEUES,
  isOperatorSuspension,
  previewOf,
  type SessionInput,
  type SessionResult,
} from '@flowsteer/contracts';
import { BackendRegistry, LlmClient, createLlmActivities, defaultLocalBackend } from '@flowsteer/llm';
import { startFakeOpenAIServer } from '@flowsteer/llm/test-support';
import { createOperatorActivities } from '@flowsteer/operators';
import { workflowBundleOptions } from '@flowsteer/temporal-runtime';
import { createActivities } from '../../apps/worker/src/activities';
import { DEFAULT_WORKFLOW_THREADS } from '../../apps/worker/src/worker';
import { startSandboxWorkerFor } from '../../apps/worker/src/test-support/sandbox-worker';
import { ArtifactStore } from '@flowsteer/artifacts';
import { createSessionActivities } from '../../apps/worker/src/session-activities';
import { startTestServer, stopTestServer } from '../../jest/test-server';
import { fakeBackend } from '../../apps/worker-e2e/src/support/session-harness';
import { activityShape, criticalPathMs, oneCallPerTurn, type FloorCall } from './floor';
import { recording, type Call } from './llm-calls';
import { gapBreakdown, installTurnTrace, traceActivities } from './turn-trace';
import { scriptedDirectorReply, scriptedExecutorReply } from '../../apps/worker-e2e/src/support/scripted-session';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,16,64' },
    'executor-ms': { type: 'string', default: '100' },
    'director-ms': { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '256' },
    wft: { type: 'string', default: '0' },
    cache: { type: 'string', default: '0' },
    activities: { type: 'string', default: '0' },
    'local-activities': { type: 'string', default: '0' },
    'wf-threads': { type: 'string', default: '0' },
    trace: { type: 'boolean', default: false },
    'llm-process': { type: 'boolean', default: false },
    'floor-one-call-per-turn': { type: 'boolean', default: false },
    bundle: { type: 'string', default: 'tuned' },
    json: { type: 'string' },
    'db-dir': { type: 'string' },
    address: { type: 'string' },
    namespace: { type: 'string', default: 'flowsteer' },
    'llm-calls': { type: 'string', default: 'local' },
  },
});
const SIZES = args.sizes.split(',').map(Number);
const EXECUTOR_MS = Number(args['executor-ms']);
const DIRECTOR_MS = Number(args['director-ms']);
const LLM_CALLS: 'local' | 'activity' = args['llm-calls'] === 'activity' ? 'activity' : 'local';
const LLM_TYPES = new Set(['policyTurn', 'runOperator']);
// what a session making local calls runs locally (proxies.ts): its LLM calls and, since #18's lever 9, its stores
const LOCAL_TYPES = new Set([...LLM_TYPES, 'storeArtifact', 'writeTrajectory']);
const CONCURRENCY = Number(args.concurrency);

// ------------------------------------------------------------------------------------------------
// LLM calls as the fake servers saw them: [start, start + scripted latency], by session (problem)

const calls: Call[] = [];

function problem(mode: string, n: number, i: number, script = 'short'): string {
  return `What is ${6 + i} times ${7 + (i % 13)}? [script:${script}] #${mode}-${n}-${i}`;
}

function sessionInput(text: string, maxTurns = 20, llmCalls: 'local' | 'activity' = LLM_CALLS): SessionInput {
  const m = /What is (\d+) times (\d+)/.exec(text) as RegExpExecArray;
  return {
    task: {
      dataset: 'bench',
      id: text.split('#')[1] as string,
      taskType: 'math',
      problem: text,
      answers: [String(Number(m[1]) * Number(m[2]))],
    },
    directorBackend: 'director',
    executorBackend: 'executor',
    limits: { maxTurns, llmCalls },
  };
}

/** Per-turn overhead (ms) of one session: turn windows between director requests, minus LLM time. */
function turnOverheads(session: string, endAt: number): number[] {
  const mine = calls.filter((c) => c.session === session);
  const turns = mine
    .filter((c) => c.role === 'director')
    .map((c) => c.start)
    .sort((a, b) => a - b);
  return turns.map((from, k) => {
    const to = turns[k + 1] ?? endAt;
    return to - from - unionWithin(mine, from, to);
  });
}

function unionWithin(cs: Call[], from: number, to: number): number {
  const spans = cs
    .map((c) => [Math.max(c.start, from), Math.min(c.end, to)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [curA, curB] = [-Infinity, -Infinity];
  for (const [a, b] of spans) {
    if (a > curB) {
      if (curB > curA) total += curB - curA;
      [curA, curB] = [a, b];
    } else curB = Math.max(curB, b);
  }
  if (curB > curA) total += curB - curA;
  return total;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// ------------------------------------------------------------------------------------------------
// The plain loop: the workflow's steps, without Temporal

interface Activities {
  policyTurn: ReturnType<typeof createLlmActivities>['policyTurn'];
  runOperator: ReturnType<typeof createOperatorActivities>['runOperator'];
  scoreSession: ReturnType<typeof createSessionActivities>['scoreSession'];
}

async function loopSession(input: SessionInput, acts: Activities): Promise<{ answer: string; turns: number }> {
  let state = openCanvas({ problem: input.task.problem, taskType: input.task.taskType, maxTurns: input.limits.maxTurns })
    .state as CanvasState;
  while (!isTerminal(state)) {
    const req = buildDirectorRequest(state, { mode: 'compact', constraint: 'gbnf' });
    const reply = await acts.policyTurn({
      backend: input.directorBackend,
      messages: req.messages,
      ...(req.constraint ? { constraint: req.constraint } : {}),
      maxTokens: req.maxTokens,
    });
    const turn = takeTurn(state, reply.text, { actor: 'director' });
    state = turn.state;
    if (turn.execute) {
      let run = startExecution(state);
      while (run.status === 'running') {
        const results = await Promise.all(run.waiting.map((call) => runCall(call, input.executorBackend, acts)));
        run = recordOutcomes(run, results);
      }
      const decision = recordExecution(state, run);
      if (decision.events) state = replay(decision.events, state);
    }
  }
  const answer = state.lastExecution?.answer ?? state.lastSolverResult ?? '';
  await acts.scoreSession({ task: input.task, answer });
  return { answer: previewOf(answer), turns: state.turn };
}

async function runCall(call: OperatorCall, executorBackend: string, acts: Activities): Promise<CallResult> {
  try {
    const { callId: _c, cacheKey: _k, summary: _s, ...rest } = call as OperatorCall & { cacheKey?: string; summary?: string };
    const outcome = await acts.runOperator({ ...(rest as unknown as Parameters<Activities['runOperator']>[0]), executorBackend });
    // this loop has no sandbox queue: an operator that needs code run counts as a failed call
    if (isOperatorSuspension(outcome))
      return { callId: call.callId, error: `${call.operator} needs a code run; this bench loop has no sandbox` };
    return { callId: call.callId, outcome: { text: outcome.text, passed: outcome.passed, feedback: outcome.feedback } };
  } catch (err) {
    return { callId: call.callId, error: (err as Error).message };
  }
}

// ------------------------------------------------------------------------------------------------

interface ModeResult {
  walls: number[];
  overheads: number[];
  batchMs: number;
  answers: string[];
  turns: number[];
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { director, executor } = args['llm-process'] ? await startLlmProcess() : await startLlmInProcess();
  const registry = new BackendRegistry(
    [defaultLocalBackend(), fakeBackend('director', director, CONCURRENCY), fakeBackend('executor', executor, CONCURRENCY)],
    { director: 'director', executor: 'executor' },
    'bench registry',
  );
  const llm = new LlmClient(registry);
  const artifactsDir = mkdtempSync(join(tmpdir(), 'flowsteer-bench-'));
  const acts: Activities = {
    policyTurn: createLlmActivities(llm).policyTurn,
    runOperator: createOperatorActivities({ chat: llm }).runOperator,
    scoreSession: createSessionActivities({ store: new ArtifactStore(artifactsDir) }).scoreSession,
  };

  // --db-dir puts the dev server's SQLite file elsewhere (e.g. /dev/shm: no fsync cost)
  const dbDir = args['db-dir'] ? mkdtempSync(join(args['db-dir'], 'flowsteer-bench-db-')) : undefined;
  if (dbDir) process.env.FLOWSTEER_TEMPORAL_DB = join(dbDir, 'temporal.db');
  if (!args.address) console.error(`starting a throw-away Temporal dev server (SQLite ${dbDir ?? 'under .flowsteer/test-runs'}) ...`);
  const server = args.address ? undefined : await startTestServer();
  const address = args.address ?? (server?.address as string);
  const namespace = args.address ? args.namespace : 'default';
  const where = args.address
    ? `the server at ${address} (namespace ${namespace})`
    : `SQLite ${dbDir ? `in ${args['db-dir']}` : 'on disk (.flowsteer/test-runs)'}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const taskQueue = `${TASK_QUEUES.canvas}-bench-engine-${Date.now()}`;
  const eagerStart = args.bundle === 'eager-start' || args.bundle === 'plain';
  const tuning = { sandboxBuiltins: args.bundle !== 'plain', contractsOnDemand: !eagerStart };
  const entry = eagerStart ? require.resolve('./eager-entry') : undefined;
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(entry, tuning), logger: quietLogger });
  const options: Partial<WorkerOptions> = {};
  if (Number(args.wft)) options.maxConcurrentWorkflowTaskExecutions = Number(args.wft);
  if (Number(args.cache)) options.maxCachedWorkflows = Number(args.cache);
  if (Number(args.activities)) options.maxConcurrentActivityTaskExecutions = Number(args.activities);
  if (Number(args['local-activities'])) options.maxConcurrentLocalActivityExecutions = Number(args['local-activities']);
  // the canvas worker's own default unless --wf-threads says otherwise
  options.workflowThreadPoolSize = Number(args['wf-threads']) || DEFAULT_WORKFLOW_THREADS;
  if (args.trace) installTurnTrace();
  const activities = await createActivities({ identity: 'bench', artifactsDir, llm });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: { code },
    activities: args.trace ? traceActivities(activities, [...LLM_TYPES]) : activities,
    ...options,
  });
  const running = worker.run();
  // the floor: a second worker on its own queue with a workflow that only runs sleeping activities
  const floorQueue = `${taskQueue}-floor`;
  const floorWorker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue: floorQueue,
    workflowsPath: require.resolve('./floor-workflow'),
    activities: { sleepFor: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) },
    ...options,
  });
  const floorRunning = floorWorker.run();
  // scoring runs on the paired sandbox queue (math here: no code runs; no isolation needed)
  const sandboxWorker = await startSandboxWorkerFor(nativeConnection, taskQueue, artifactsDir, null, 'bench-sandbox', namespace);

  const rows: Array<Record<string, string | number>> = [];
  const points: Array<{ N: number; mode: 'temporal' | 'loop' | 'floor'; turnsPerSecond: number; overheadP50Ms: number }> = [];
  try {
    // warm-up: one session each way (bundle load, JIT, connections)
    await runTemporal(client, taskQueue, 'warm', 1);
    await runLoop(acts, 'warm', 1);
    // the floor's shape: one session with regular activities (local ones leave no scheduled events)
    const shapeId = (await runTemporal(client, taskQueue, 'shape', 1, 'activity')).sampleId;
    for (const n of SIZES) {
      // how busy this process's main thread was (fake LLM servers, activities, the SDK's side of the worker)
      let since = performance.eventLoopUtilization();
      const loop = await runLoop(acts, 'loop', n);
      const loopBusy = performance.eventLoopUtilization(since).utilization;
      since = performance.eventLoopUtilization();
      const temporalFrom = performance.now();
      const loopDelay = monitorEventLoopDelay({ resolution: 1 });
      if (args.trace) loopDelay.enable();
      const temporal = await runTemporal(client, taskQueue, 'temporal', n);
      loopDelay.disable();
      const temporalBusy = performance.eventLoopUtilization(since).utilization;
      const gaps = args.trace ? gapBreakdown(temporalFrom, performance.now()) : undefined;
      const floor = await runFloor(client, floorQueue, shapeId, n);
      const merged = args['floor-one-call-per-turn'] ? await runFloor(client, floorQueue, shapeId, n, oneCallPerTurn) : undefined;
      const ours = mean(temporal.overheads);
      const floorPerTurn = floor.overheadMs / (temporal.turns[0] || 1);
      if (
        JSON.stringify(loop.answers) !== JSON.stringify(temporal.answers) ||
        JSON.stringify(loop.turns) !== JSON.stringify(temporal.turns)
      ) {
        throw new Error(
          `the two modes disagree at N=${n}: answers ${loop.answers} vs ${temporal.answers}, turns ${loop.turns} vs ${temporal.turns}`,
        );
      }
      const turnsDone = n * (temporal.turns[0] ?? 0);
      points.push(
        { N: n, mode: 'temporal', turnsPerSecond: turnsDone / (temporal.batchMs / 1000), overheadP50Ms: pct(temporal.overheads, 50) },
        { N: n, mode: 'loop', turnsPerSecond: turnsDone / (loop.batchMs / 1000), overheadP50Ms: pct(loop.overheads, 50) },
        { N: n, mode: 'floor', turnsPerSecond: turnsDone / (floor.batchMs / 1000), overheadP50Ms: floorPerTurn },
      );
      rows.push({
        N: n,
        turns: temporal.turns[0] ?? 0,
        'loop wall ms (mean)': Math.round(mean(loop.walls)),
        'temporal wall ms (mean)': Math.round(mean(temporal.walls)),
        ratio: Number((mean(temporal.walls) / mean(loop.walls)).toFixed(3)),
        'batch ratio': Number((temporal.batchMs / loop.batchMs).toFixed(3)),
        'loop overhead p50/p95 ms': `${pct(loop.overheads, 50).toFixed(1)} / ${pct(loop.overheads, 95).toFixed(1)}`,
        'temporal overhead p50/p95 ms': `${pct(temporal.overheads, 50).toFixed(1)} / ${pct(temporal.overheads, 95).toFixed(1)}`,
        'floor overhead ms/turn (mean)': Number(floorPerTurn.toFixed(1)),
        'ours ÷ floor (means)': Number((ours / floorPerTurn).toFixed(2)),
        ...(merged ? { 'floor, one call a turn, ms/turn (mean)': Number((merged.overheadMs / (temporal.turns[0] || 1)).toFixed(1)) } : {}),
        'main thread busy loop / temporal': `${(loopBusy * 100).toFixed(0)}% / ${(temporalBusy * 100).toFixed(0)}%`,
        ...(gaps
          ? {
              'gap p50 ms: result→activation / workflow thread / →next call': [
                gaps.resultToActivation,
                gaps.activationToCompletion,
                gaps.completionToNextCall,
              ]
                .map((x) => x.toFixed(1))
                .join(' / '),
              'main loop delay p50/p99 ms': `${(loopDelay.percentile(50) / 1e6).toFixed(1)} / ${(loopDelay.percentile(99) / 1e6).toFixed(1)}`,
            }
          : {}),
      });
    }
    const replayMs = await replayTwentyTurns(client, taskQueue, code);
    console.log(
      `\nengine overhead: ${where}, LLM calls ${LLM_CALLS}, workflow bundle ${args.bundle}, fake LLM servers ${args['llm-process'] ? 'in a child process' : 'in this process'}, executor ${EXECUTOR_MS} ms, director ${DIRECTOR_MS} ms, LLM client concurrency ${CONCURRENCY}/backend, worker options ${JSON.stringify(options)}`,
    );
    console.table(rows);
    console.log(
      `replay of a 20-turn session (Worker.runReplayHistory, bundle pre-built): ${replayMs.map((m) => m.toFixed(0)).join(' / ')} ms (first / warm median of 5)`,
    );
    if (args.json)
      writeFileSync(
        args.json,
        JSON.stringify(
          {
            where,
            llmCalls: LLM_CALLS,
            bundle: args.bundle,
            llmProcess: args['llm-process'],
            executorMs: EXECUTOR_MS,
            directorMs: DIRECTOR_MS,
            concurrency: CONCURRENCY,
            options,
            rows,
            points,
            replayMs,
          },
          null,
          2,
        ) + '\n',
      );
  } finally {
    floorWorker.shutdown();
    await floorRunning;
    worker.shutdown();
    await running;
    await sandboxWorker.stop();
    await nativeConnection.close();
    await connection.close();
    if (server) stopTestServer(server.env, server.home);
    await stopLlm();
    rmSync(artifactsDir, { recursive: true, force: true });
    if (dbDir) rmSync(dbDir, { recursive: true, force: true });
  }
}

/** Counts batches, so sessions of repeated sizes (--sizes 16,16) have problems of their own. */
let batches = 0;

// ------------------------------------------------------------------------------------------------
// The fake LLM servers: in this process (the default) or in a child process (--llm-process)

type FakeLlm = { baseURL: string; model: string };
let stopLlm: () => Promise<void> = async () => {};
/** Brings the child's recorded calls into `calls` (a no-op when the servers run in this process). */
let drainCalls: () => Promise<void> = async () => {};

async function startLlmInProcess(): Promise<{ director: FakeLlm; executor: FakeLlm }> {
  const now = () => performance.now();
  const director = await startFakeOpenAIServer({ fallback: recording(calls, 'director', DIRECTOR_MS, scriptedDirectorReply, now) });
  const executor = await startFakeOpenAIServer({ fallback: recording(calls, 'executor', EXECUTOR_MS, scriptedExecutorReply, now) });
  stopLlm = async () => {
    await director.close();
    await executor.close();
  };
  return { director, executor };
}

async function startLlmProcess(): Promise<{ director: FakeLlm; executor: FakeLlm }> {
  const child = fork(require.resolve('./llm-process'), [String(DIRECTOR_MS), String(EXECUTOR_MS)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ director: FakeLlm; executor: FakeLlm }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { director: FakeLlm; executor: FakeLlm }));
    child.once('exit', (code) => reject(new Error(`the fake LLM process exited (${code}) before it was ready`)));
  });
  drainCalls = () =>
    new Promise<void>((resolve) => {
      child.once('message', (m) => {
        // wall-clock times from the child, onto this process's performance.now() clock
        for (const c of (m as { calls: Call[] }).calls)
          calls.push({ ...c, start: c.start - performance.timeOrigin, end: c.end - performance.timeOrigin });
        resolve();
      });
      child.send({ drain: true });
    });
  stopLlm = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    await exited;
  };
  return ready;
}

async function runLoop(acts: Activities, mode: string, n: number): Promise<ModeResult> {
  const batch = batches++;
  const t0 = performance.now();
  const done = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const text = problem(`${mode}${batch}`, n, i);
      const start = performance.now();
      const r = await loopSession(sessionInput(text), acts);
      const end = performance.now();
      return { ...r, wall: end - start, text, end };
    }),
  );
  const batchMs = performance.now() - t0;
  await drainCalls();
  return collect(
    done.map((d) => ({ ...d, overheads: turnOverheads(d.text, d.end) })),
    batchMs,
  );
}

async function runTemporal(
  client: Client,
  taskQueue: string,
  mode: string,
  n: number,
  llmCalls: 'local' | 'activity' = LLM_CALLS,
): Promise<ModeResult & { sampleId: string }> {
  const batch = batches++;
  const t0 = performance.now();
  const done = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const text = problem(`${mode}${batch}`, n, i);
      const start = performance.now();
      const handle = await client.workflow.start(CANVAS_SESSION_WORKFLOW, {
        taskQueue,
        workflowId: `session-bench-${mode}-${n}-${i}-${Date.now()}`,
        args: [sessionInput(text, 20, llmCalls)],
      });
      const r = (await handle.result()) as SessionResult;
      const end = performance.now();
      return { answer: r.answer, turns: r.turns, wall: end - start, text, end, id: handle.workflowId };
    }),
  );
  const batchMs = performance.now() - t0;
  await drainCalls();
  const withOverheads = done.map((d) => ({ ...d, overheads: turnOverheads(d.text, d.end) }));
  return { ...collect(withOverheads, batchMs), sampleId: done[0]?.id ?? '' };
}

/**
 * N floor sessions with the activity shape of one of the N sessions just run (they all run the
 * same script): mean wall time minus the activities' own latency on the critical path.
 */
async function runFloor(
  client: Client,
  floorQueue: string,
  sampleId: string,
  n: number,
  reshape: (groups: FloorCall[][]) => FloorCall[][] = (groups) => groups,
): Promise<{ overheadMs: number; activities: number; batchMs: number }> {
  const history = await client.workflow.getHandle(sampleId).fetchHistory();
  const shape = reshape(
    activityShape(
      history.events ?? [],
      (type) => (type === 'policyTurn' ? DIRECTOR_MS : type === 'runOperator' ? EXECUTOR_MS : 0),
      LLM_CALLS === 'local' ? LOCAL_TYPES : new Set(),
    ),
  );
  const t0 = performance.now();
  const walls = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const start = performance.now();
      await client.workflow.execute('floorSession', { taskQueue: floorQueue, workflowId: `floor-${n}-${i}-${Date.now()}`, args: [shape] });
      return performance.now() - start;
    }),
  );
  return { overheadMs: mean(walls) - criticalPathMs(shape), activities: shape.flat().length, batchMs: performance.now() - t0 };
}

function collect(done: Array<{ answer: string; turns: number; wall: number; overheads: number[] }>, batchMs: number): ModeResult {
  return {
    walls: done.map((d) => d.wall),
    overheads: done.flatMap((d) => d.overheads),
    batchMs,
    answers: done.map((d) => d.answer),
    turns: done.map((d) => d.turns),
  };
}

async function replayTwentyTurns(client: Client, taskQueue: string, code: string): Promise<number[]> {
  const handle = await client.workflow.start(CANVAS_SESSION_WORKFLOW, {
    taskQueue,
    workflowId: `session-bench-replay-${Date.now()}`,
    args: [sessionInput(problem('replay', 1, 0, 'twenty'))],
  });
  const result = (await handle.result()) as SessionResult;
  if (result.turns !== 20) throw new Error(`the replay session took ${result.turns} turns, not 20`);
  const history = await handle.fetchHistory();
  const times: number[] = [];
  for (let k = 0; k < 6; k++) {
    const t = performance.now();
    await Worker.runReplayHistory({ workflowBundle: { code }, replayName: 'bench' }, history, handle.workflowId);
    times.push(performance.now() - t);
  }
  return [times[0] as number, pct(times.slice(1), 50)];
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
