import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { isTerminal, openCanvas, replay, serializeDsl, takeTurn, type CanvasEvent } from '@flowsteer/canvas';
import {
  SA,
  cancelSignal,
  canvasQuery,
  eventsQuery,
  humanActionUpdate,
  pauseSignal,
  resumeSignal,
  sumLedger,
  transcriptQuery,
  type SessionInput,
  type SessionResult,
  type SessionScore,
} from '@flowsteer/contracts';
import { sessionActivities } from './activities';
import { directorRequest, feedbackText } from './director';
import { describeFailure, executeCanvas } from './execute';
import { runFixedWorkflow } from './fixed-workflow';
import { SessionRecord } from './session-record';

/**
 * One problem worked by the director on the canvas (DESIGN §4). Each turn: a policy turn activity,
 * the pure canvas decides and folds, the workflow executes when the graph changed, and the feedback
 * is rendered for the next turn. The history is the event log; the canvas is the fold of its events.
 */
export async function canvasSession(input: SessionInput): Promise<SessionResult> {
  const info = workflowInfo();
  const activities = sessionActivities(input.limits);
  const record = openSession(input);
  let paused = false;
  let stopRequested: string | null = null;
  const humanQueue: { text: string; done: (r: { accepted: boolean; outcome: string }) => void }[] = [];

  setHandler(canvasQuery, () => ({
    dsl: serializeDsl(record.state.graph),
    status: record.status,
    turn: record.state.turn,
    maxTurns: record.state.options.maxTurns,
    state: record.state,
    lastAnswer: record.answer() || undefined,
  }));
  setHandler(transcriptQuery, () => record.transcript);
  setHandler(eventsQuery, () => record.events);
  setHandler(pauseSignal, () => {
    paused = true;
    if (record.status === 'running') setStatus(record, 'paused');
  });
  setHandler(resumeSignal, () => {
    paused = false;
    if (record.status === 'paused') setStatus(record, 'running');
  });
  setHandler(cancelSignal, (reason?: string) => {
    stopRequested = reason ?? 'stopped by request';
  });
  setHandler(
    humanActionUpdate,
    async (text: string) => new Promise<{ accepted: boolean; outcome: string }>((done) => humanQueue.push({ text, done })),
    {
      validator: (text: string) => {
        if (typeof text !== 'string' || !text.trim()) throw new Error('humanAction needs the action text, e.g. <action>add</action><operator>Review</operator>');
        if (isTerminal(record.state)) throw new Error(`session ${info.workflowId} has ended; it takes no more edits`);
      },
    },
  );

  upsertMemo({ problem: input.task.problem.slice(0, 200), dataset: input.task.dataset, item: input.task.id });
  try {
    if (input.fixedWorkflow) await runFixedWorkflow(record, input, activities); // baseline: no director
    while (!input.fixedWorkflow && !isTerminal(record.state) && stopRequested === null) {
      await condition(() => !paused || stopRequested !== null || humanQueue.length > 0);
      await applyHumanActions(record, humanQueue, input, activities);
      if (paused || stopRequested !== null || isTerminal(record.state)) continue;
      await directorTurn(record, input, activities);
    }
    await applyHumanActions(record, humanQueue, input, activities);
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => finish(record, input, activities, 'cancelled'));
      throw err;
    }
    const failure = describeFailure(err);
    setStatus(record, 'failed');
    throw ApplicationFailure.nonRetryable(`session ${info.workflowId} failed at turn ${record.state.turn}: ${failure}`, 'SessionFailed');
  }
  const status = stopRequested !== null ? 'cancelled' : input.fixedWorkflow || record.state.phase === 'finished' ? 'finished' : 'turn-limit';
  return finish(record, input, activities, status);
}

function openSession(input: SessionInput): SessionRecord {
  const { task } = input;
  if (input.startFrom) {
    const events = input.startFrom.events as CanvasEvent[];
    if (!events.length || events[0]?.type !== 'CanvasOpened') {
      throw ApplicationFailure.nonRetryable('startFrom.events must begin with the CanvasOpened event of the forked session', 'InvalidSessionInput');
    }
    return new SessionRecord(events, replay(events));
  }
  const opened = openCanvas({
    problem: task.problem,
    taskType: task.taskType,
    maxTurns: input.limits.maxTurns,
    ...(task.code?.entryPoint ? { entryPoint: task.code.entryPoint } : {}),
    ...(task.code?.tests ? { tests: task.code.tests } : {}),
    ...(input.fixedWorkflow ? { workflow: input.fixedWorkflow.dsl } : {}),
  });
  if (opened.rejection) throw ApplicationFailure.nonRetryable(`invalid session options: ${opened.rejection.reason}`, 'InvalidSessionInput');
  return new SessionRecord(opened.events, opened.state);
}

async function directorTurn(record: SessionRecord, input: SessionInput, activities: ReturnType<typeof sessionActivities>): Promise<void> {
  const turn = record.state.turn + 1;
  const request = directorRequest(record, input, turn);
  const reply = await activities.policyTurn.executeWithOptions({ summary: `turn ${turn} · director` } as never, [request]);
  record.directorLedger.push(reply.ledger);
  const outcome = takeTurn(record.state, reply.text, { actor: 'director' });
  const range = record.apply(outcome.events);
  const executorLedger = outcome.execute ? await runExecution(record, input, activities) : [];
  const feedback = feedbackText(record.state);
  record.transcript.push({
    turn,
    actor: 'director',
    text: reply.text,
    outcome: outcome.accepted ? (outcome.action ? describe(outcome) : 'accepted') : `rejected: ${outcome.rejection?.reason ?? 'unknown'}`,
    accepted: outcome.accepted,
    feedback,
    eventRange: [range[0], record.events.length],
    ledger: [reply.ledger, ...executorLedger],
  });
  if (input.recordTrajectory) {
    record.trajectory.push({
      prompt: request.messages.map((m: { content: string }) => m.content).join('\n'),
      completion: reply.text,
      ...(reply.logprobs ? { completionLogprobs: reply.logprobs.map((l) => l.logprob) } : {}),
      feedback,
    });
  }
  upsertSearchAttributes([{ key: SA.turns, value: record.state.turn }]);
}

async function runExecution(record: SessionRecord, input: SessionInput, activities: ReturnType<typeof sessionActivities>) {
  const executed = await executeCanvas(record.state, input.executorBackend, activities);
  record.apply(executed.events);
  record.executorLedger.push(...executed.ledger);
  return executed.ledger;
}

async function applyHumanActions(
  record: SessionRecord,
  queue: { text: string; done: (r: { accepted: boolean; outcome: string }) => void }[],
  input: SessionInput,
  activities: ReturnType<typeof sessionActivities>,
): Promise<void> {
  while (queue.length > 0) {
    const { text, done } = queue.shift() as (typeof queue)[number];
    const outcome = takeTurn(record.state, text, { actor: 'human' });
    const range = record.apply(outcome.events);
    const ledger = outcome.execute ? await runExecution(record, input, activities) : [];
    const result = { accepted: outcome.accepted, outcome: outcome.accepted ? describe(outcome) : `rejected: ${outcome.rejection?.reason ?? 'unknown'}` };
    record.transcript.push({
      turn: record.state.turn,
      actor: 'human',
      text,
      outcome: result.outcome,
      accepted: outcome.accepted,
      feedback: feedbackText(record.state),
      eventRange: [range[0], record.events.length],
      ledger,
    });
    done(result);
  }
}

function describe(outcome: ReturnType<typeof takeTurn>): string {
  const taken = outcome.events.find((e) => e.type === 'TurnTaken');
  return taken && taken.type === 'TurnTaken' ? taken.summary : 'accepted';
}

function setStatus(record: SessionRecord, status: SessionResult['status']): void {
  record.status = status;
  upsertSearchAttributes([{ key: SA.status, value: status }]);
}

async function finish(
  record: SessionRecord,
  input: SessionInput,
  activities: ReturnType<typeof sessionActivities>,
  status: SessionResult['status'],
): Promise<SessionResult> {
  const sessionId = workflowInfo().workflowId;
  const answer = record.answer();
  let score: SessionScore | undefined;
  if (input.task.answers.length > 0 || input.task.code?.tests) {
    score = await activities.scoreSession.executeWithOptions({ summary: 'score' } as never, [{ task: input.task, answer, workflowTestPassed: record.testVerdict() }]);
    upsertSearchAttributes([{ key: SA.score, value: score.primary }]);
  }
  let trajectoryRef: string | undefined;
  if (input.recordTrajectory) {
    trajectoryRef = await activities.storeArtifact.executeWithOptions({ summary: 'store trajectory' } as never, [
      {
        kind: 'trajectories',
        id: sessionId,
        content: {
          id: sessionId,
          problemId: `${input.task.dataset}/${input.task.id}`,
          dataset: input.task.dataset,
          taskType: input.task.taskType,
          policyVersion: input.policyVersion ?? 'base',
          turns: record.trajectory,
          finalDsl: serializeDsl(record.state.graph),
        },
      },
    ]);
  }
  setStatus(record, status);
  const director = sumLedger(record.directorLedger);
  const executor = sumLedger(record.executorLedger);
  return {
    sessionId,
    status,
    answer,
    dsl: serializeDsl(record.state.graph),
    turns: record.state.turn,
    ...(score ? { score } : {}),
    ledger: { director: record.directorLedger, executor: record.executorLedger },
    totals: {
      directorTokens: director.promptTokens + director.completionTokens,
      executorTokens: executor.promptTokens + executor.completionTokens,
      costUsd: director.costUsd + executor.costUsd,
    },
    events: record.events,
    transcript: record.transcript,
    ...(trajectoryRef ? { trajectoryRef } : {}),
  };
}
