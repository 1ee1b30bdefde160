import { proxyActivities } from '@temporalio/workflow';
import { type LlmActivities, type OperatorActivities, type SessionActivities, type SessionLimits } from '@flowsteer/contracts';

/** Failure types no retry can fix: bad input, unknown names, a missing sandbox. */
const NON_RETRYABLE = ['InvalidBackendConfig', 'UnknownBackend', 'BadRequest', 'UnknownOperator', 'BadOperatorInput', 'SandboxUnavailable', 'EmptyOperatorOutput'];

/**
 * Activity proxies with the session's per-call timeouts and retry budgets. They run on the
 * workflow's own task queue, so a worker pool serves its sessions end to end.
 */
export function sessionActivities(limits: SessionLimits) {
  const director = proxyActivities<LlmActivities>({
    startToCloseTimeout: `${limits.directorTimeoutSec ?? 300} seconds`,
    heartbeatTimeout: '60 seconds',
    retry: { maximumAttempts: 4, initialInterval: '2 seconds', backoffCoefficient: 2, nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const operators = proxyActivities<OperatorActivities>({
    startToCloseTimeout: `${limits.operatorTimeoutSec ?? 300} seconds`,
    heartbeatTimeout: '60 seconds',
    retry: { maximumAttempts: 3, initialInterval: '2 seconds', backoffCoefficient: 2, nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const session = proxyActivities<SessionActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { maximumAttempts: 3 },
  });
  // proxies are not enumerable: name each activity
  return { policyTurn: director.policyTurn, runOperator: operators.runOperator, scoreSession: session.scoreSession, storeArtifact: session.storeArtifact };
}

export type SessionActivityProxies = ReturnType<typeof sessionActivities>;
