import { patched, proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import {
  DEFAULT_SANDBOX_START_TIMEOUT_SEC,
  FAILURE,
  SESSION_NON_RETRYABLE,
  type CodeActivities,
  type LlmActivities,
  type LlmCalls,
  type OperatorActivities,
  type SessionActivities,
  type SessionInput,
  type SessionLimits,
} from '@flowsteer/contracts';
import { UnsyncedHistory } from './unsynced-history';

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

/** How this session makes its LLM calls (`limits.llmCalls`; absent, as in every history recorded before the option: regular activities). */
export function llmCallsOf(input: SessionInput): LlmCalls {
  return input.limits.llmCalls ?? 'activity';
}

/**
 * `llmCalls: 'local'` runs the director and executor calls as local activities: the session's
 * worker runs them inside its workflow task (a marker in the history, no activity task to schedule,
 * match and report; several turns per workflow task). See `llmCallsSchema` for what that trades.
 * Code runs and scoring stay regular activities on the sandbox queue: they never run on the
 * canvas worker.
 *
 * `sandboxQueue` is where candidate code runs: the operators' code runs (`runCode`) and scoring,
 * which runs the answer against the benchmark's tests. Only sandbox workers poll it. Its calls
 * have a schedule-to-start timeout: when no sandbox worker takes one in time, the pool is down and
 * the session fails saying so (failures.ts `sandboxPoolDown`) rather than waiting or guessing.
 */
export function sessionActivities(limits: SessionLimits, sandboxQueue: string, llmCalls: LlmCalls = 'activity') {
  const sandboxStart = (limits.sandboxStartTimeoutSec ?? DEFAULT_SANDBOX_START_TIMEOUT_SEC) * 1000;
  const retry: RetryPolicy = { maximumAttempts: 2, initialInterval: '1 second', nonRetryableErrorTypes: NON_RETRYABLE };
  const directorTimeout = `${limits.directorTimeoutSec ?? 300} seconds` as const;
  const operatorTimeout = `${limits.operatorTimeoutSec ?? 300} seconds` as const;
  const director =
    llmCalls === 'local'
      ? proxyLocalActivities<LlmActivities>({ startToCloseTimeout: directorTimeout, retry })
      : proxyActivities<LlmActivities>({ startToCloseTimeout: directorTimeout, heartbeatTimeout: HEARTBEAT_TIMEOUT, retry });
  const operators =
    llmCalls === 'local'
      ? proxyLocalActivities<OperatorActivities>({ startToCloseTimeout: operatorTimeout, retry })
      : proxyActivities<OperatorActivities>({ startToCloseTimeout: operatorTimeout, heartbeatTimeout: HEARTBEAT_TIMEOUT, retry });
  const code = proxyActivities<CodeActivities>({
    taskQueue: sandboxQueue,
    scheduleToStartTimeout: sandboxStart,
    startToCloseTimeout: operatorTimeout,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry,
  });
  const sessionRetry: RetryPolicy = { maximumAttempts: 5, nonRetryableErrorTypes: [FAILURE.invalidSessionInput] };
  const session = proxyActivities<SessionActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '2 minutes',
    retry: sessionRetry,
  });
  // Storing a segment or the trajectory writes under a fixed key: safe to run again, so a session
  // making local calls stores locally too, without a server round trip at its end (#18).
  // Histories recorded before store through regular activities.
  const storing =
    llmCalls === 'local' && patched('session-stores-locally')
      ? proxyLocalActivities<SessionActivities>({ startToCloseTimeout: '10 minutes', retry: sessionRetry })
      : session;
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
    llmCalls,
    /** The local results the history does not show yet (always empty with regular activities). */
    unsynced: new UnsyncedHistory(),
    policyTurn: director.policyTurn,
    runOperator: operators.runOperator,
    runCode: code.runCode,
    scoreSession: scoring.scoreSession,
    storeArtifact: storing.storeArtifact,
    storeText: session.storeText,
    forkPoint: session.forkPoint,
    writeTrajectory: storing.writeTrajectory,
  };
}

export type SessionActivityProxies = ReturnType<typeof sessionActivities>;
