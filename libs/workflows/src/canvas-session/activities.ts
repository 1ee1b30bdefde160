import { proxyActivities } from '@temporalio/workflow';
import { type LlmActivities, type OperatorActivities, type SessionActivities, type SessionLimits } from '@flowsteer/contracts';

/**
 * Activity proxies with the session's per-call timeouts. LLM calls are retried inside the LLM
 * client (with backoff), so their failures reach the workflow at once, typed (`LlmError.<kind>`),
 * and the session decides: wait out an outage, fail on a configuration error, or feed a failed
 * execution back. Temporal retries once more only what the client cannot see: a worker that died
 * mid-call (a heartbeat or start-to-close timeout).
 */
export function sessionActivities(limits: SessionLimits) {
  const director = proxyActivities<LlmActivities>({
    startToCloseTimeout: `${limits.directorTimeoutSec ?? 300} seconds`,
    heartbeatTimeout: '60 seconds',
    retry: { maximumAttempts: 2, initialInterval: '2 seconds' },
  });
  const operators = proxyActivities<OperatorActivities>({
    startToCloseTimeout: `${limits.operatorTimeoutSec ?? 300} seconds`,
    heartbeatTimeout: '60 seconds',
    retry: { maximumAttempts: 2, initialInterval: '2 seconds' },
  });
  const session = proxyActivities<SessionActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['ArtifactRefError', 'InvalidSessionInput'] },
  });
  // proxies are not enumerable: name each activity
  return {
    policyTurn: director.policyTurn,
    runOperator: operators.runOperator,
    scoreSession: session.scoreSession,
    storeArtifact: session.storeArtifact,
    storeText: session.storeText,
    forkPoint: session.forkPoint,
    writeTrajectory: session.writeTrajectory,
  };
}

export type SessionActivityProxies = ReturnType<typeof sessionActivities>;
