import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import {
  DEFAULT_SANDBOX_START_TIMEOUT_SEC,
  EVAL_NON_RETRYABLE,
  FAILURE,
  sandboxQueueFor,
  type EvalActivities,
  type SessionActivities,
} from '@flowsteer/contracts';

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
  // scoring runs answers (code) against tests: only sandbox workers serve it
  const sandboxQueue = sandboxQueueFor(workflowInfo().taskQueue);
  const scoring = proxyActivities<SessionActivities>({
    taskQueue: sandboxQueue,
    scheduleToStartTimeout: `${DEFAULT_SANDBOX_START_TIMEOUT_SEC} seconds`,
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: [FAILURE.invalidSessionInput] },
  });
  return {
    sandboxQueue,
    scoreSession: scoring.scoreSession,
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
