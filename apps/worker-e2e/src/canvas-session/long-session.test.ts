import { Worker } from '@temporalio/worker';
import { CANVAS_SESSION_WORKFLOW, canvasQuery, transcriptQuery, type SessionInput, type SessionResult } from '@flowsteer/contracts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '@flowsteer/llm/test-support';
import { activityCalls, workflowChainHistories, readSession, workerWorkflowOptions } from '@flowsteer/temporal-runtime';
import { maybeRecordChain, startSessionHarness, type SessionHarness } from '../support/session-harness';
import { bulkyExecutorReply, probeDirectorReply, sessionSegments } from '../support/scripted-session';

jest.setTimeout(300_000);

/**
 * The long-session probe of issue 16, small: 5 Custom nodes, then node_1's prompt rewritten every
 * turn so all 5 run again, each executor answer ~4 KB. On main before the fix the result carried
 * every event (all texts again, cached calls included) and grew without bound; here a tiny history
 * budget makes the session a chain of runs, texts travel by reference, and the result, the queries
 * and every run's history stay small while the whole record stays readable, replayable and forkable.
 */
const NODES = 5;
const TURNS = 2 * NODES + 24;
const BUDGET = { maxEvents: 100, maxBytes: 256 * 1024 }; // LLM calls are local activities: ~10 events a turn

function probeInput(maxTurns: number): SessionInput {
  return {
    task: { dataset: 'adhoc', id: 'probe', taskType: 'qa', problem: 'Report the checked result of the computation.', answers: ['42'] },
    directorBackend: 'director',
    executorBackend: 'executor',
    // local LLM calls: several turns per workflow task, so the budget is checked against what the open task holds
    limits: { maxTurns, historyBudget: BUDGET, llmCalls: 'local' },
  };
}

describe('long sessions: bounded histories, payloads by reference', () => {
  let director: FakeOpenAIServer;
  let executor: FakeOpenAIServer;
  let h: SessionHarness;
  let result: SessionResult;
  const workflowId = `session-adhoc-probe-${Date.now()}`;

  beforeAll(async () => {
    director = await startFakeOpenAIServer({ fallback: (req) => probeDirectorReply(req, NODES) });
    executor = await startFakeOpenAIServer({ fallback: (req) => bulkyExecutorReply(req, 4096) });
    h = await startSessionHarness('unused', { director, executor });
    const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [probeInput(TURNS)],
    });
    result = (await handle.result()) as SessionResult;
  });

  afterAll(async () => {
    await h?.close();
    await director?.close();
    await executor?.close();
  });

  it('runs every turn as a chain of runs, each under its budget', async () => {
    expect(result.status).toBe('turn-limit');
    expect(result.turns).toBe(TURNS);
    expect(result.runs).toBeGreaterThanOrEqual(3);
    expect(result.segments).toHaveLength(result.runs);
    const runs = await workflowChainHistories(h.client, workflowId);
    expect(runs).toHaveLength(result.runs);
    for (const run of runs) {
      const bytes = JSON.stringify(run.history).length;
      // a run stops before its next turn once over budget: one turn's worth of slack at most
      expect(run.history.events?.length ?? 0).toBeLessThan(BUDGET.maxEvents + 120);
      expect(bytes).toBeLessThan(BUDGET.maxBytes * 3);
    }
  });

  it('keeps the result and the queries small and carries long texts by reference', async () => {
    expect(JSON.stringify(result).length).toBeLessThan(64 * 1024);
    const handle = h.client.workflow.getHandle(workflowId);
    expect(JSON.stringify(await handle.query(canvasQuery)).length).toBeLessThan(64 * 1024);
    const page = await handle.query(transcriptQuery, { from: 0, limit: 5 });
    expect(page.entries.length).toBeLessThanOrEqual(5);
    expect(page.total).toBe(TURNS);
    const runs = await workflowChainHistories(h.client, workflowId);
    const events = runs.flatMap((r) => r.history.events ?? []);
    // results in history: completed regular activities and local activity markers (the executor's calls are local)
    const results = [
      ...events.filter((e) => e.activityTaskCompletedEventAttributes),
      ...activityCalls(events)
        .filter((c) => c.local)
        .map((c) => c.event),
    ];
    expect(activityCalls(events).filter((c) => c.local && c.type === 'runOperator').length).toBeGreaterThan(TURNS);
    const largest = Math.max(...results.map((e) => JSON.stringify(e).length));
    expect(largest).toBeLessThan(4096); // no 4 KB operator output travels whole
  });

  it('keeps the whole record: every turn, event and operator output can be read back', async () => {
    const { transcript, events } = await sessionSegments(result, h.store);
    expect(transcript.map((t) => t.turn)).toEqual(Array.from({ length: TURNS }, (_, i) => i + 1));
    expect(transcript.every((t, i) => i === 0 || t.eventRange[0] === transcript[i - 1]?.eventRange[1])).toBe(true);
    const executions = events.filter((e) => e.type === 'ExecutionRecorded');
    expect(executions.length).toBeGreaterThan(TURNS - 2 * NODES);
    const last = executions.at(-1);
    const texts = last && last.type === 'ExecutionRecorded' ? last.result.calls.map((c) => c.text) : [];
    expect(texts).toHaveLength(NODES);
    for (const text of texts) expect(await h.store.readText(text ?? '')).toMatch(/^step [0-9a-f]+: .*So the answer is 42/s);
    const read = await readSession(h.client, h.store, workflowId);
    expect(read.transcript).toHaveLength(TURNS);
  });

  it('replays every run of the chain deterministically', async () => {
    const runs = await workflowChainHistories(h.client, workflowId);
    const replayed = Worker.runReplayHistories(
      { ...workerWorkflowOptions(), replayName: 'long-session' },
      runs.map((r) => ({ workflowId, history: r.history })),
    );
    for await (const r of replayed) expect(r.error).toBeUndefined();
    await maybeRecordChain(h.client, workflowId, 'canvas-session-chain');
  });

  it('forks from a turn that lives in an earlier run, and the fork runs on', async () => {
    const turn = TURNS - 4;
    const fork = await h.client.workflow.execute(CANVAS_SESSION_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `${workflowId}-fork`,
      args: [{ ...probeInput(turn + 2), startFrom: { sessionId: workflowId, turn } }],
    });
    expect(fork.forkedFrom).toEqual({ sessionId: workflowId, turn });
    expect(fork.turns).toBe(turn + 2);
    expect(fork.dsl).toBe(result.dsl);
    const { transcript } = await sessionSegments(fork, h.store);
    expect(transcript.map((t) => t.turn)).toEqual([turn + 1, turn + 2]);
  });
});
