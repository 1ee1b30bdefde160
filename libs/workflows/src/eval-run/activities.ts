import { proxyActivities } from '@temporalio/workflow';
import { EVAL_NON_RETRYABLE, type EvalActivities, type SessionActivities } from '@flowsteer/contracts';

const NON_RETRYABLE = [...EVAL_NON_RETRYABLE];

/** Activity proxies of the evaluation run (on the run's own task queue). Proxies are named one by one. */
export function evalActivities() {
  const data = proxyActivities<EvalActivities>({
    startToCloseTimeout: '10 minutes',
    retry: { maximumAttempts: 3, initialInterval: '2 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const calls = proxyActivities<EvalActivities>({
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { maximumAttempts: 3, initialInterval: '2 seconds', backoffCoefficient: 2, nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const artifacts = proxyActivities<SessionActivities>({ startToCloseTimeout: '5 minutes', retry: { maximumAttempts: 3 } });
  return {
    planEval: data.planEval,
    evalTasks: data.evalTasks,
    loadArtifact: data.loadArtifact,
    writeEvalReport: data.writeEvalReport,
    directAnswer: calls.directAnswer,
    sessionOutcome: calls.sessionOutcome,
    storeArtifact: artifacts.storeArtifact,
  };
}

export type EvalActivityProxies = ReturnType<typeof evalActivities>;
