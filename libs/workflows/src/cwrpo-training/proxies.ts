import { proxyActivities } from '@temporalio/workflow';
import {
  LEARNER_NON_RETRYABLE,
  TRAINING_NON_RETRYABLE,
  type LearnerActivities,
  type TrainingActivities,
  type TrainingConfig,
  type TrainingResources,
} from '@flowsteer/contracts';

const NON_RETRYABLE = [...TRAINING_NON_RETRYABLE];

/** The server's resolution of the run's base model (runs once per workflow execution). */
export function resourceActivities() {
  return proxyActivities<TrainingActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 5, initialInterval: '2 seconds', backoffCoefficient: 2, nonRetryableErrorTypes: NON_RETRYABLE },
  }).resolveTrainingResources;
}

/**
 * Activity proxies of the training run. The TypeScript ones run on the run's own task queue; the
 * learner step runs on the learner queue the server resolved for the run's model (the Python
 * worker), with a long start-to-close, a heartbeat timeout (a killed learner is noticed and
 * retried) and a few attempts: the learner is idempotent by (run, step), so a retry never applies a
 * step twice. Proxies are named one by one (never spread).
 */
export function trainingActivities(config: TrainingConfig, resources: TrainingResources) {
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
    taskQueue: resources.learnerTaskQueue,
    startToCloseTimeout: `${config.learnerTimeoutMinutes ?? 120} minutes`,
    heartbeatTimeout: `${config.learnerHeartbeatSeconds ?? 300} seconds`,
    retry: {
      maximumAttempts: config.learnerMaxAttempts ?? 5,
      initialInterval: '5 seconds',
      backoffCoefficient: 2,
      maximumInterval: '2 minutes',
      nonRetryableErrorTypes: [...LEARNER_NON_RETRYABLE],
    },
  });
  const publish = proxyActivities<TrainingActivities>({
    startToCloseTimeout: '5 minutes',
    retry: {
      maximumAttempts: 20,
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
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
