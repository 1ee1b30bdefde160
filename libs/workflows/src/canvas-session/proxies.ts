import { proxyActivities } from '@temporalio/workflow';
import {
  DEFAULT_SANDBOX_START_TIMEOUT_SEC,
  FAILURE,
  SESSION_NON_RETRYABLE,
  type CodeActivities,
  type LlmActivities,
  type OperatorActivities,
  type SessionActivities,
  type SessionLimits,
} from '@flowsteer/contracts';

/**
 * Failure types no retry can fix (the failure catalogue's session list). LLM failures that no retry
 * fixes (`LlmError.*`) are already thrown as non-retryable by libs/llm.
 */
const NON_RETRYABLE = [...SESSION_NON_RETRYABLE];

/**
 * Activity proxies with the session's per-call timeouts. LLM calls are retried inside the LLM
 * client (with backoff), so their failures reach the workflow at once, typed (`LlmError.<kind>`),
 * and the session decides: wait out an outage, fail on a configuration error, or feed a failed
 * execution back. Temporal retries once more only what the client cannot see: a worker that died
 * mid-call (a heartbeat or start-to-close timeout).
 */
/**
 * A worker that dies mid-call is noticed when its heartbeats stop: LLM activities heartbeat every few
 * seconds while the call runs (also while waiting for a concurrency slot), so a short timeout lets
 * another worker take the turn over within seconds instead of a minute.
 */
const HEARTBEAT_TIMEOUT = '10 seconds';

/**
 * `sandboxQueue` is where candidate code runs: the operators' code runs (`runCode`) and scoring,
 * which runs the answer against the benchmark's tests. Only sandbox workers poll it. Its calls
 * have a schedule-to-start timeout: when no sandbox worker takes one in time, the pool is down and
 * the session fails saying so (failures.ts `sandboxPoolDown`) rather than waiting or guessing.
 */
export function sessionActivities(limits: SessionLimits, sandboxQueue: string) {
  const sandboxStart = (limits.sandboxStartTimeoutSec ?? DEFAULT_SANDBOX_START_TIMEOUT_SEC) * 1000;
  const director = proxyActivities<LlmActivities>({
    startToCloseTimeout: `${limits.directorTimeoutSec ?? 300} seconds`,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: { maximumAttempts: 2, initialInterval: '1 second', nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const operators = proxyActivities<OperatorActivities>({
    startToCloseTimeout: `${limits.operatorTimeoutSec ?? 300} seconds`,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: { maximumAttempts: 2, initialInterval: '1 second', nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const code = proxyActivities<CodeActivities>({
    taskQueue: sandboxQueue,
    scheduleToStartTimeout: sandboxStart,
    startToCloseTimeout: `${limits.operatorTimeoutSec ?? 300} seconds`,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: { maximumAttempts: 2, initialInterval: '1 second', nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const session = proxyActivities<SessionActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: [FAILURE.invalidSessionInput] },
  });
  const scoring = proxyActivities<SessionActivities>({
    taskQueue: sandboxQueue,
    scheduleToStartTimeout: sandboxStart,
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: [FAILURE.invalidSessionInput] },
  });
  // proxies are not enumerable: name each activity
  return {
    sandboxQueue,
    policyTurn: director.policyTurn,
    runOperator: operators.runOperator,
    runCode: code.runCode,
    scoreSession: scoring.scoreSession,
    storeArtifact: session.storeArtifact,
    storeText: session.storeText,
    forkPoint: session.forkPoint,
    writeTrajectory: session.writeTrajectory,
  };
}

export type SessionActivityProxies = ReturnType<typeof sessionActivities>;
