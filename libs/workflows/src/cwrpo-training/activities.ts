import { proxyActivities } from '@temporalio/workflow';
import { TASK_QUEUES, type CwrpoTrainingOptions, type LearnerActivities, type TrainingActivities } from '@flowsteer/contracts';

const NON_RETRYABLE = ['InvalidTrainingInput', 'BenchDataMissing', 'InvalidBackendConfig', 'UnknownBackend', 'TrajectoryMissing', 'TokenizerUnavailable'];

/**
 * Activity proxies of the training run. The TypeScript ones run on the run's own task queue; the
 * learner step runs on `cwrpo-learner` (the Python worker), with a long start-to-close, a heartbeat
 * timeout (a killed learner is noticed and retried) and a few attempts: the learner is idempotent by
 * (run, step), so a retry never applies a step twice. Proxies are named one by one (never spread).
 */
export function trainingActivities(options: CwrpoTrainingOptions) {
  const data = proxyActivities<TrainingActivities>({
    startToCloseTimeout: '10 minutes',
    retry: { maximumAttempts: 3, initialInterval: '2 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const waits = proxyActivities<TrainingActivities>({
    startToCloseTimeout: '6 hours',
    heartbeatTimeout: '2 minutes',
    retry: { maximumAttempts: 5, initialInterval: '2 seconds', backoffCoefficient: 2, nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const batch = proxyActivities<TrainingActivities>({
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { maximumAttempts: 3, initialInterval: '2 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const learner = proxyActivities<LearnerActivities>({
    taskQueue: options.learnerTaskQueue ?? TASK_QUEUES.learner,
    startToCloseTimeout: `${options.learnerTimeoutMinutes ?? 120} minutes`,
    heartbeatTimeout: `${options.learnerHeartbeatSeconds ?? 300} seconds`,
    retry: { maximumAttempts: options.learnerMaxAttempts ?? 5, initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', nonRetryableErrorTypes: ['LearnerInputError'] },
  });
  const publish = proxyActivities<TrainingActivities>({
    startToCloseTimeout: '5 minutes',
    retry: { maximumAttempts: 20, initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
  });
  return {
    trainingProblems: data.trainingProblems,
    publishPolicy: publish.publishPolicy,
    recordTrainingStep: data.recordTrainingStep,
    rolloutOutcome: waits.rolloutOutcome,
    buildTrainingBatch: batch.buildTrainingBatch,
    learnerStep: learner.learnerStep,
  };
}

export type TrainingActivityProxies = ReturnType<typeof trainingActivities>;
