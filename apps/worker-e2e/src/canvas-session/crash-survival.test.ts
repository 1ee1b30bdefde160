import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore } from '@flowsteer/artifacts';
import { CANVAS_SESSION_WORKFLOW, TASK_QUEUES, type LlmCalls, type SessionInput, type SessionResult } from '@flowsteer/contracts';
import { activityCalls, workflowChainHistories } from '@flowsteer/temporal-runtime';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '@flowsteer/llm/test-support';
import { ROOT, startTestServer, stopTestServer, type TestServer } from '../../../../jest/test-server';
import { startSessionHarness, type SessionHarness } from '../support/session-harness';
import {
  backendsYaml,
  comparableResult,
  executionsRecorded,
  scriptedDirectorReply,
  scriptedExecutorReply,
  scriptedSessionInput,
} from '../support/scripted-session';
import { killHard, spawnWorkerProcess, writeWorkflowBundle, type WorkerProcess } from '../support/worker-process';

jest.setTimeout(150_000);

/**
 * Crash survival (issue 6 part 4): sessions interrupted by a SIGKILLed worker or a restarted
 * Temporal server (stopped, or SIGKILLed) end exactly as an uninterrupted run of the same inputs, with the same scripted
 * LLM answers: same canvas events, transcript, answer and score; every operator activity recorded
 * once. Short activity timeouts (a session limit) let lost in-flight activities be retried quickly.
 */
const SESSIONS = 4;
// A tiny history budget: every session continues as new every few turns, so crashes and restarts
// also hit runs that were carried over (and the hand-over itself).
const LIMITS = { directorTimeoutSec: 2, operatorTimeoutSec: 2, historyBudget: { maxEvents: 60 } };
const inputsFor = (llmCalls: LlmCalls): SessionInput[] =>
  Array.from({ length: SESSIONS }, (_, i) => scriptedSessionInput(i, { ...LIMITS, llmCalls }));

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Operator calls scheduled and completed in one workflow history: regular activities by their
 * events, local ones by their markers (a marker is written once the call returned).
 */
function operatorActivities(events: HistoryEvent[]) {
  const local = activityCalls(events).filter((c) => c.local && c.type === 'runOperator').length;
  const scheduled = new Map<string, string>();
  for (const e of events) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a) scheduled.set(String(e.eventId), a.activityType?.name ?? '');
  }
  const completedOperators = events.filter(
    (e) =>
      e.activityTaskCompletedEventAttributes &&
      scheduled.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId)) === 'runOperator',
  );
  const completedIds = completedOperators.map((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId));
  return {
    scheduled: [...scheduled.values()].filter((n) => n === 'runOperator').length + local,
    completed: completedOperators.length + local,
    completedTwice: completedIds.length - new Set(completedIds).size,
  };
}

function identities(events: HistoryEvent[]): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    const id = e.workflowTaskCompletedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity;
    if (id) out.add(id);
  }
  return out;
}

/**
 * Waits until every session has asked the director at least `turns` times since `from` (the fake
 * server's request count), then returns how often each has. Counted where the calls arrive, not by
 * querying the sessions: with local LLM calls a query is answered only when the open workflow task
 * ends, which for these short sessions can be their end.
 */
async function waitForTurns(
  director: FakeOpenAIServer,
  inputs: SessionInput[],
  from: number,
  turns: number,
  timeoutMs = 60_000,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  const problems = inputs.map((input) => JSON.stringify(input.task.problem).slice(1, -1));
  const asked = () => problems.map((p) => director.requests.slice(from).filter((r) => JSON.stringify(r.body).includes(p)).length);
  for (;;) {
    const counts = asked();
    if (counts.every((c) => c >= turns)) return counts;
    if (Date.now() > deadline) throw new Error(`sessions did not ask the director ${turns} times in ${timeoutMs} ms: ${counts.join(', ')}`);
    await sleep(20);
  }
}

async function startAll(inputs: SessionInput[], client: Client, taskQueue: string, prefix: string): Promise<WorkflowHandle[]> {
  return Promise.all(
    inputs.map((input, i) =>
      client.workflow.start(CANVAS_SESSION_WORKFLOW, {
        taskQueue,
        workflowId: `session-scripted-${prefix}-${input.limits.llmCalls ?? 'activity'}-${i}-${Date.now()}`,
        args: [input],
      }),
    ),
  );
}

/** Every run's history of a session (a continue-as-new chain); event ids restart in each run. */
async function chainEvents(client: Client, workflowId: string): Promise<HistoryEvent[][]> {
  return (await workflowChainHistories(client, workflowId)).map((r) => r.history.events ?? []);
}

function chainOperatorActivities(runs: HistoryEvent[][]) {
  return runs.map(operatorActivities).reduce((a, b) => ({
    scheduled: a.scheduled + b.scheduled,
    completed: a.completed + b.completed,
    completedTwice: a.completedTwice + b.completedTwice,
  }));
}

interface Baseline {
  results: SessionResult[];
  histories: HistoryEvent[][][];
  store: ArtifactStore;
}

async function expectSameAsBaseline(client: Client, handles: WorkflowHandle[], baseline: Baseline, store: ArtifactStore) {
  const results = (await Promise.all(handles.map((h) => h.result()))) as SessionResult[];
  const histories = await Promise.all(handles.map((h) => chainEvents(client, h.workflowId)));
  for (const [i, result] of results.entries()) {
    const base = baseline.results[i] as SessionResult;
    expect(await comparableResult(result, store)).toEqual(await comparableResult(base, baseline.store));
    expect(await executionsRecorded(result, store)).toBe(await executionsRecorded(base, baseline.store));
    const ops = chainOperatorActivities(histories[i] as HistoryEvent[][]);
    const baseOps = chainOperatorActivities(baseline.histories[i] as HistoryEvent[][]);
    expect(ops).toEqual({ scheduled: baseOps.scheduled, completed: baseOps.scheduled, completedTwice: 0 });
  }
  return { results, histories };
}

// Both ways of making LLM calls: regular activities (sessions people steer) and local activities
// (evaluation and training rollouts), where a killed worker leaves the whole open workflow task to redo.
describe.each(['activity', 'local'] as const)('canvas sessions survive crashes (scripted LLMs, %s LLM calls)', (llmCalls) => {
  const inputs = inputsFor(llmCalls);
  let director: FakeOpenAIServer;
  let executor: FakeOpenAIServer;
  let tmp: string;
  let baseline: Baseline;

  beforeAll(async () => {
    director = await startFakeOpenAIServer({ fallback: (req) => scriptedDirectorReply(req, { delayMs: 150 }) });
    executor = await startFakeOpenAIServer({ fallback: (req) => scriptedExecutorReply(req, { delayMs: 20 }) });
    tmp = mkdtempSync(join(tmpdir(), 'flowsteer-crash-'));
    // the uninterrupted run: an in-process worker on the shared test server
    const h = await startSessionHarness('unused', { director, executor, concurrency: 16 });
    try {
      const handles = await startAll(inputs, h.client, h.taskQueue, 'baseline');
      const results = (await Promise.all(handles.map((x) => x.result()))) as SessionResult[];
      const histories = await Promise.all(handles.map((x) => chainEvents(h.client, x.workflowId)));
      baseline = { results, histories, store: h.store };
    } finally {
      await h.close();
    }
  });

  afterAll(async () => {
    await director?.close();
    await executor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the uninterrupted run is what the scripts say', async () => {
    expect(baseline.results.map((r) => [r.status, r.answer, r.score?.primary])).toEqual(
      inputs.map((input) => ['finished', input.task.answers[0], 1]),
    );
    expect(baseline.results.map((r) => r.dsl)).toEqual(
      inputs.map((_, i) =>
        i % 2 === 0
          ? 'Plan -> [Custom, AnswerGenerate] -> ScEnsemble -> Review ? Revise : done -> Format'
          : 'Plan -> Custom -> Verify ? Revise : done -> Format',
      ),
    );
    for (const r of baseline.results) expect(await executionsRecorded(r, baseline.store)).toBeGreaterThan(2);
    expect(baseline.results.every((r) => r.segments.length === r.runs)).toBe(true);
    // the budget made every session a chain of runs (local calls write a fraction of the events: their budget is rarely reached)
    if (llmCalls === 'activity') expect(baseline.results.every((r) => r.runs >= 2)).toBe(true);
  });

  it('a SIGKILLed worker process is replaced and every session ends as in the uninterrupted run', async () => {
    const taskQueue = `${TASK_QUEUES.canvas}-crash-${Math.random().toString(36).slice(2, 8)}`;
    const backends = join(tmp, 'backends.yaml');
    writeFileSync(backends, backendsYaml(director.baseURL, executor.baseURL, { concurrency: 16 }));
    const env = {
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      FLOWSTEER_TASK_QUEUE: taskQueue,
      FLOWSTEER_BACKENDS: backends,
      FLOWSTEER_ARTIFACTS: join(tmp, 'artifacts'),
      FLOWSTEER_WORKFLOW_BUNDLE: await writeWorkflowBundle(tmp),
    };
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    const client = new Client({ connection });
    const workers: WorkerProcess[] = [];
    try {
      // scoring runs on the paired sandbox queue, in a sandbox worker process of its own (no backends)
      const { FLOWSTEER_BACKENDS: _keys, ...sandboxEnv } = env;
      const sandbox = spawnWorkerProcess(`crash-sandbox@${process.pid}`, { ...sandboxEnv, FLOWSTEER_WORKER_ROLES: 'sandbox' });
      workers.push(sandbox);
      await sandbox.ready;
      const first = spawnWorkerProcess(`crash-first@${process.pid}`, env);
      workers.push(first);
      await first.ready;
      const from = director.requests.length;
      const handles = await startAll(inputs, client, taskQueue, 'killed');
      const turnsAtKill = await waitForTurns(director, inputs, from, 2);
      expect(await killHard(first)).toBe('SIGKILL');
      const views = await Promise.all(handles.map((h) => h.describe()));
      expect(views.filter((d) => d.status.name === 'RUNNING').length).toBeGreaterThan(0); // the kill hit live sessions

      const second = spawnWorkerProcess(`crash-second@${process.pid}`, env);
      workers.push(second);
      await second.ready;
      const { histories } = await expectSameAsBaseline(client, handles, baseline, new ArtifactStore(env.FLOWSTEER_ARTIFACTS));
      // the sessions that were running at the kill were carried on by the second worker
      histories.forEach((events, i) => {
        if (views[i]?.status.name === 'RUNNING') expect(identities(events.flat()).has(second.identity)).toBe(true);
      });
      console.log(`worker SIGKILLed at turns ${turnsAtKill.join(', ')}; all ${SESSIONS} sessions finished as in the uninterrupted run`);
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\n--- worker output ---\n${workers.map((w) => `[${w.identity}]\n${w.output()}`).join('\n')}`,
      );
    } finally {
      for (const w of workers) await killHard(w);
      await connection.close();
    }
  });

  it('a stopped and restarted dev server (same SQLite file) loses nothing', async () => {
    let server: TestServer | undefined;
    let h: SessionHarness | undefined;
    try {
      server = await startTestServer();
      h = await startSessionHarness('unused', { address: server.address, director, executor, concurrency: 16 });
      const from = director.requests.length;
      const handles = await startAll(inputs, h.client, h.taskQueue, 'restarted');
      const turnsAtStop = await waitForTurns(director, inputs, from, 2);
      execFileSync('bash', [join(ROOT, 'temporal', 'stop.sh')], { env: server.env, stdio: 'ignore' });
      await sleep(1_000); // down for a moment: workers' polls and activity completions fail
      execFileSync('bash', [join(ROOT, 'temporal', 'start.sh')], { env: server.env, stdio: 'ignore' });
      const { results } = await expectSameAsBaseline(h.client, handles, baseline, h.store);
      expect(results.every((r) => r.status === 'finished')).toBe(true);
      console.log(`server restarted at turns ${turnsAtStop.join(', ')}; all ${SESSIONS} sessions finished as in the uninterrupted run`);
    } finally {
      await h?.close();
      if (server) stopTestServer(server.env, server.home);
    }
  });

  it('a SIGKILLed dev server (SQLite in WAL mode, synchronous=NORMAL) loses no completed turn', async () => {
    let server: TestServer | undefined;
    let h: SessionHarness | undefined;
    try {
      server = await startTestServer();
      h = await startSessionHarness('unused', { address: server.address, director, executor, concurrency: 16 });
      const from = director.requests.length;
      const handles = await startAll(inputs, h.client, h.taskQueue, 'server-killed');
      const turnsAtKill = await waitForTurns(director, inputs, from, 2);
      const pid = Number(readFileSync(join(server.home, 'temporal', 'temporal.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
      await sleep(1_000);
      execFileSync('bash', [join(ROOT, 'temporal', 'start.sh')], { env: server.env, stdio: 'ignore' });
      const { results } = await expectSameAsBaseline(h.client, handles, baseline, h.store);
      expect(results.every((r) => r.status === 'finished')).toBe(true);
      console.log(`server SIGKILLed at turns ${turnsAtKill.join(', ')}; all ${SESSIONS} sessions finished as in the uninterrupted run`);
    } finally {
      await h?.close();
      if (server) stopTestServer(server.env, server.home);
    }
  });
});
