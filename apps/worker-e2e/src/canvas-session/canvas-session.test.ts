import { WorkflowFailedError } from '@temporalio/client';
import {
  CANVAS_SESSION_WORKFLOW,
  canvasQuery,
  humanActionUpdate,
  pauseSignal,
  resumeSignal,
  transcriptQuery,
  type SessionInput,
  type SessionResult,
} from '@flowsteer/contracts';
import { reply } from '@flowsteer/llm/test-support';
import { activityCalls } from '@flowsteer/temporal-runtime';
import { maybeRecordHistory, startSessionHarness, type SessionHarness } from '../support/session-harness';
import { sessionSegments } from '../support/scripted-session';

jest.setTimeout(120_000);

const task = { dataset: 'adhoc', id: 'product', taskType: 'math' as const, problem: 'What is 6 times 7?', answers: ['42'] };

function input(maxTurns: number): SessionInput {
  return { task, directorBackend: 'director', executorBackend: 'executor', limits: { maxTurns } };
}

/** A director that builds Plan -> [Custom, AnswerGenerate] -> ScEnsemble -> Review ? Revise : done -> Format. */
const DIRECTOR_SCRIPT = [
  '<action>add</action><operator>Magic</operator>', // unknown operator: rejected, costs a turn
  '<action>add</action><operator>Plan</operator>',
  'Outline the arithmetic needed.',
  '<action>add</action><structure>parallel</structure><operators>Custom, AnswerGenerate</operators>',
  'Compute the product directly.',
  'Answer with the final number only.',
  '<action>add</action><operator>ScEnsemble</operator>',
  'Pick the answer most branches agree on.',
  '<action>add</action><structure>conditional</structure><condition>Review</condition><true>Revise</true><false>done</false>',
  'Check the arithmetic carefully.',
  'Fix the arithmetic if the check failed.',
  '<action>add</action><operator>Format</operator>',
  'Return only the number.',
  '<action>finish</action>',
];

describe('canvasSession workflow (real server, scripted LLMs)', () => {
  let h: SessionHarness;
  beforeAll(async () => {
    h = await startSessionHarness('42');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs the director loop to an accepted finish, executes the workflow and scores it', async () => {
    h.director.enqueue(...DIRECTOR_SCRIPT.map((t) => reply.text(t)));
    const workflowId = `session-adhoc-product-${Date.now()}`;
    const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, { taskQueue: h.taskQueue, workflowId, args: [input(20)] });
    const result = (await handle.result()) as SessionResult;

    expect(result.status).toBe('finished');
    expect(result.turns).toBe(DIRECTOR_SCRIPT.length);
    expect(result.dsl).toBe('Plan -> [Custom, AnswerGenerate] -> ScEnsemble -> Review ? Revise : done -> Format');
    expect(result.answer).toBe('42');
    expect(result.score?.primary).toBe(1);
    const { transcript } = await sessionSegments(result, h.store);
    expect(transcript).toHaveLength(DIRECTOR_SCRIPT.length);
    expect(result.transcriptEntries).toBe(DIRECTOR_SCRIPT.length);
    expect(transcript[0]).toMatchObject({ accepted: false, actor: 'director' });
    expect(transcript[0]?.outcome).toMatch(/Magic/);
    expect(transcript.at(-1)).toMatchObject({ accepted: true });
    expect(result.ledger.director).toMatchObject({ calls: DIRECTOR_SCRIPT.length, failedCalls: 0 });
    expect(result.ledger.executor.calls).toBeGreaterThan(0);
    expect(result.runs).toBe(1);
    expect(result.totals.costUsd).toBeGreaterThan(0);
    expect(h.director.requests).toHaveLength(DIRECTOR_SCRIPT.length);

    const view = await handle.query(canvasQuery);
    expect(view.dsl).toBe(result.dsl);
    expect(view.status).toBe('finished');
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get({ name: 'FlowSteerTurns', type: 'INT' } as never)).toBe(DIRECTOR_SCRIPT.length);
    expect(description.typedSearchAttributes.get({ name: 'FlowSteerStatus', type: 'KEYWORD' } as never)).toBe('finished');
    await maybeRecordHistory(h.client, workflowId, 'canvas-session-finished');
  });

  it('with local LLM calls: the same session, its LLM calls and its stores recorded as local markers', async () => {
    h.director.enqueue(...DIRECTOR_SCRIPT.map((t) => reply.text(t)));
    const workflowId = `session-adhoc-product-local-${Date.now()}`;
    const local = { ...input(20), limits: { maxTurns: 20, llmCalls: 'local' as const }, recordTrajectory: true };
    const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, { taskQueue: h.taskQueue, workflowId, args: [local] });
    const result = (await handle.result()) as SessionResult;

    expect(result).toMatchObject({ status: 'finished', turns: DIRECTOR_SCRIPT.length, answer: '42', score: { primary: 1 } });
    expect(result.dsl).toBe('Plan -> [Custom, AnswerGenerate] -> ScEnsemble -> Review ? Revise : done -> Format');
    const calls = activityCalls((await handle.fetchHistory()).events ?? []);
    const where = (type: string) => [...new Set(calls.filter((c) => c.type === type).map((c) => (c.local ? 'local' : 'regular')))];
    expect(where('policyTurn')).toEqual(['local']);
    expect(where('runOperator')).toEqual(['local']);
    expect(where('scoreSession')).toEqual(['regular']); // scoring runs on the sandbox queue
    // stores write under fixed keys, safe to run again: no server round trip at the session's end (#18);
    // temporal/histories/canvas-session-local-calls.json, recorded before, stores through regular activities
    expect(where('storeArtifact')).toEqual(['local']);
    expect(where('writeTrajectory')).toEqual(['local']);
    const { transcript } = await sessionSegments(result, h.store);
    expect(transcript).toHaveLength(DIRECTOR_SCRIPT.length);
    expect(result.trajectoryRef).toBe(`artifact://trajectories/${workflowId}.json`);
    await maybeRecordHistory(h.client, workflowId, 'canvas-session-local-calls');
  });

  it("takes a person's edits while paused, validated like director actions", async () => {
    h.director.enqueue(reply.text('<action>finish</action>'), reply.text('<action>finish</action>'));
    const workflowId = `session-adhoc-human-${Date.now()}`;
    const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, { taskQueue: h.taskQueue, workflowId, args: [input(2)] });
    await handle.signal(pauseSignal);
    const unknown = await handle.executeUpdate(humanActionUpdate, { args: ['<action>add</action><operator>Wizard</operator>'] });
    expect(unknown.accepted).toBe(false);
    expect(await handle.executeUpdate(humanActionUpdate, { args: ['<action>add</action><operator>Custom</operator>'] })).toMatchObject({
      accepted: true,
    });
    expect(await handle.executeUpdate(humanActionUpdate, { args: ['Solve it directly and state the number.'] })).toMatchObject({
      accepted: true,
    });
    const paused = await handle.query(canvasQuery);
    expect(paused.dsl).toBe('Custom');
    await handle.signal(resumeSignal);
    const result = (await handle.result()) as SessionResult;
    expect(result.status).toBe('turn-limit'); // finish is refused: the workflow is too small
    expect(result.answer).toBe('42'); // the human-built Custom node ran on the executor
    const transcript = (await handle.query(transcriptQuery)).entries;
    expect(transcript.filter((t) => t.actor === 'human').map((t) => t.accepted)).toEqual([false, true, true]);
    expect(transcript.filter((t) => t.actor === 'director')).toHaveLength(2);
    await maybeRecordHistory(h.client, workflowId, 'canvas-session-human-edits');
  });

  it('samples the director from the published policy when the input names one', async () => {
    const before = h.director.requests.length;
    h.director.enqueue(reply.text('<action>add</action><operator>Custom</operator>'), reply.text('Multiply the numbers.'));
    await h.client.workflow.execute(CANVAS_SESSION_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `session-adhoc-policy-${Date.now()}`,
      args: [{ ...input(2), policyVersion: 'demo-step-3', directorModel: 'demo-step-3' }],
    });
    const models = h.director.requests.slice(before).map((r) => (r.body as { model?: string }).model);
    expect(models).toEqual(['demo-step-3', 'demo-step-3']);
  });

  it('waits out a director outage and ends backend-unavailable once the outage budget is spent (not failed, not scored)', async () => {
    h.director.setFallback(reply.status(503, 'overloaded'));
    try {
      const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
        taskQueue: h.taskQueue,
        workflowId: `session-adhoc-down-${Date.now()}`,
        args: [{ ...input(3), limits: { maxTurns: 3, outageBudgetSec: 2, outageRetrySec: 0.5 } }],
      });
      const result = (await handle.result()) as SessionResult;
      expect(result.status).toBe('backend-unavailable');
      expect(result.reason).toMatch(/director backend did not answer .*503|director backend did not answer/);
      expect(result.score).toBeUndefined();
      expect(result.turns).toBe(0);
      expect(result.ledger.director.failedCalls).toBeGreaterThanOrEqual(2);
      expect(result.ledger.director.attempts).toBeGreaterThan(result.ledger.director.failedCalls); // the client's own retries are counted
      const description = await handle.describe();
      expect(description.typedSearchAttributes.get({ name: 'FlowSteerStatus', type: 'KEYWORD' } as never)).toBe('backend-unavailable');
    } finally {
      h.director.setFallback(undefined);
    }
  });

  it('resumes after a director outage with nothing lost', async () => {
    let failures = 3;
    h.director.setFallback(() =>
      failures-- > 0 ? reply.status(503, 'overloaded') : reply.text('<action>add</action><operator>Custom</operator>'),
    );
    try {
      const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
        taskQueue: h.taskQueue,
        workflowId: `session-adhoc-blip-${Date.now()}`,
        args: [{ ...input(1), limits: { maxTurns: 1, outageBudgetSec: 120, outageRetrySec: 0.3 } }],
      });
      const result = (await handle.result()) as SessionResult;
      expect(result.status).toBe('turn-limit');
      expect(result.turns).toBe(1);
      expect(result.ledger.director.failedCalls).toBeGreaterThanOrEqual(1);
      expect(result.ledger.director.calls - result.ledger.director.failedCalls).toBe(1);
    } finally {
      h.director.setFallback(undefined);
    }
  });

  it('fails at once, naming the backend, when the executor is not configured', async () => {
    h.director.enqueue(reply.text('<action>add</action><operator>Custom</operator>'), reply.text('Compute it.'));
    const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `session-adhoc-noexec-${Date.now()}`,
      args: [{ ...input(4), executorBackend: 'no-such-backend' }],
    });
    const failure = await handle.result().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(/no-such-backend/);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get({ name: 'FlowSteerStatus', type: 'KEYWORD' } as never)).toBe('failed');
  });

  it('passes a long problem by reference: once into the store, never again through the history', async () => {
    const problem = `What is 6 times 7? ${'Context that matters. '.repeat(4000)}`; // ~88 KB
    h.director.enqueue(reply.text('<action>add</action><operator>Custom</operator>'), reply.text('Compute it.'));
    const before = h.director.requests.length;
    const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `session-adhoc-bigproblem-${Date.now()}`,
      args: [{ ...input(2), task: { ...task, problem } }],
    });
    const result = (await handle.result()) as SessionResult;
    expect(result.answer).toBe('42');
    const asked = h.director.requests.slice(before).map((r) => JSON.stringify(r.body));
    expect(asked.every((body) => body.includes('Context that matters. Context that matters.') && body.length > problem.length)).toBe(true);
    const executorSaw = h.executor.requests.map((r) => JSON.stringify(r.body)).filter((b) => b.includes('Context that matters.'));
    expect(executorSaw.length).toBeGreaterThan(0);
    const history = await handle.fetchHistory();
    // the LLM calls' events (local activity markers with their results, or scheduled events with their inputs) stay small
    const calls = activityCalls(history.events ?? []);
    const policy = calls.filter((c) => c.type === 'policyTurn');
    const operators = calls.filter((c) => c.type === 'runOperator');
    for (const c of [...policy, ...operators]) expect(JSON.stringify(c.event).length).toBeLessThan(20_000);
    expect(policy.length).toBe(2);
    expect(operators.length).toBeGreaterThan(0);
  });
});
