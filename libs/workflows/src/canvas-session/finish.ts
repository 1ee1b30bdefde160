import { ApplicationFailure, isCancellation, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { serializeDsl } from '@flowsteer/canvas';
import {
  RESULT_ANSWER_MAX_CHARS,
  SA,
  previewOf,
  type SessionInput,
  type SessionResult,
  type SessionScore,
  type SessionStatus,
} from '@flowsteer/contracts';
import type { SessionActivityProxies } from './proxies';
import { setStatus } from './control';
import { showDetails } from './details';
import { SessionCannotContinue, innermostMessage, sandboxPoolDown } from './failures';
import type { SessionRecord } from './session-record';

const DSL_MAX_CHARS = 8_000;

/** Stores this run's segment (events, transcript) under a key of the session, its first run and this run. */
export async function storeSegment(record: SessionRecord, activities: SessionActivityProxies): Promise<string> {
  const info = workflowInfo();
  return activities.storeArtifact.executeWithOptions(
    { summary: `store run ${record.run} (turns ${record.fromTurn + 1}-${record.state.turn})` },
    [
      {
        kind: 'sessions',
        id: `${info.workflowId}.${info.firstExecutionRunId}.run-${record.run}`,
        content: record.segment(info.workflowId),
      },
    ],
  );
}

/**
 * Ends the session: scores the answer (not after an outage: nothing honest was attempted), stores
 * the last segment and the trajectory, sets the status and score search attributes, and returns a
 * result that stays a few kilobytes whatever the session's length.
 */
export async function finishSession(
  record: SessionRecord,
  input: SessionInput,
  activities: SessionActivityProxies,
  status: SessionStatus,
  reason?: string,
): Promise<SessionResult> {
  const sessionId = workflowInfo().workflowId;
  const answer = record.answer();
  let score: SessionScore | undefined;
  if (status !== 'backend-unavailable' && (input.task.answers.length > 0 || input.task.code?.tests || input.task.code?.ioTests?.length)) {
    try {
      score = await activities.scoreSession.executeWithOptions({ summary: 'score' }, [
        { task: input.task, answer, workflowTestPassed: record.testVerdict() },
      ]);
    } catch (err) {
      // scoring runs the answer on the sandbox queue: without a sandbox worker there is no honest score
      const down = sandboxPoolDown(err, activities.sandboxQueue, 'the scoring');
      if (down && !isCancellation(err)) return failSession(record, activities, new SessionCannotContinue(down));
      throw err;
    }
    upsertSearchAttributes([{ key: SA.score, value: score.primary }]);
    record.score = score.primary;
  }
  const segments = [...record.segments, await storeSegment(record, activities)];
  let trajectoryRef: string | undefined;
  if (input.recordTrajectory) {
    trajectoryRef = await activities.writeTrajectory.executeWithOptions({ summary: 'store trajectory' }, [
      {
        sessionId,
        segments,
        meta: {
          id: sessionId,
          problemId: `${input.task.dataset}/${input.task.id}`,
          dataset: input.task.dataset,
          taskType: input.task.taskType,
          policyVersion: input.policyVersion ?? 'base',
          finalDsl: serializeDsl(record.state.graph),
        },
      },
    ]);
  }
  if (reason) record.reason = reason;
  setStatus(record, status);
  showDetails(record);
  upsertSearchAttributes([{ key: SA.turns, value: record.state.turn }]);
  const shown = previewOf(answer);
  const whole = typeof answer === 'string' && answer.length <= RESULT_ANSWER_MAX_CHARS;
  const { director, executor } = record.ledger;
  return {
    sessionId,
    status,
    answer: whole ? answer : shown,
    ...(whole ? {} : { answerText: answer }),
    dsl: clipDsl(serializeDsl(record.state.graph)),
    turns: record.state.turn,
    ...(score ? { score } : {}),
    ledger: record.ledger,
    totals: {
      directorTokens: director.promptTokens + director.completionTokens,
      executorTokens: executor.promptTokens + executor.completionTokens,
      costUsd: director.costUsd + executor.costUsd,
    },
    runs: record.run + 1,
    segments,
    transcriptEntries: record.transcriptCount,
    ...(trajectoryRef ? { trajectoryRef } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.forkedFrom ? { forkedFrom: record.forkedFrom } : {}),
  };
}

/**
 * The session cannot go on (a configuration error, a director that cannot be asked): keep what it
 * did (the segment is stored), make the status say so, and fail with the reason.
 */
export async function failSession(record: SessionRecord, activities: SessionActivityProxies, err: unknown): Promise<never> {
  const info = workflowInfo();
  const reason = err instanceof SessionCannotContinue ? err.message : innermostMessage(err);
  let kept = '';
  try {
    kept = `; its record is kept in ${await storeSegment(record, activities)}`;
  } catch {
    // the failure itself is what matters; the segment is best effort here
  }
  setStatus(record, 'failed');
  upsertSearchAttributes([{ key: SA.turns, value: record.state.turn }]);
  throw ApplicationFailure.nonRetryable(
    `session ${info.workflowId} failed at turn ${record.state.turn}: ${reason}${kept}`,
    'SessionFailed',
  );
}

function clipDsl(dsl: string): string {
  return dsl.length > DSL_MAX_CHARS ? `${dsl.slice(0, DSL_MAX_CHARS)} …` : dsl;
}
