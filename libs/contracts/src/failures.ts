/**
 * The failure catalogue: every `ApplicationFailure.type` a FlowSteer activity or workflow throws on
 * purpose, with who throws it. Retry policies name types from here only (`nonRetryableErrorTypes`),
 * so a list can never name a failure nothing throws; apps/worker/src/failure-catalogue.test.ts
 * checks each entry against the code that throws it.
 */
export const FAILURE = {
  /** canvasSession: the input cannot start a session (bad fork events, refused options). */
  invalidSessionInput: 'InvalidSessionInput',
  /** canvasSession: an infrastructure failure ended the session. */
  sessionFailed: 'SessionFailed',
  /** evalRun and its activities: the run's input is invalid. */
  invalidEvalInput: 'InvalidEvalInput',
  /** cwrpoTraining and its activities: the run's input is invalid. */
  invalidTrainingInput: 'InvalidTrainingInput',
  /** resolveTrainingResources: the base model is not in the worker's `models:` configuration. */
  unknownModel: 'UnknownModel',
  /** Bench loaders in activities: the benchmark files are not installed on the worker. */
  benchDataMissing: 'BenchDataMissing',
  /** buildTrainingBatch: a trajectory reference is refused by the artifact store or names nothing. */
  trajectoryMissing: 'TrajectoryMissing',
  /** buildTrainingBatch: no tokenizer for the run's model/backend. */
  tokenizerUnavailable: 'TokenizerUnavailable',
  /** cwrpoTraining: too many rollouts in a row ended backend-unavailable (`maxUnavailableInARow`). */
  backendsUnavailable: 'BackendsUnavailable',
  /** buildTrainingBatch: with tokenizer `sampled`, a rollout's director backend reported no token ids. */
  rolloutsWithoutTokenIds: 'RolloutsWithoutTokenIds',
  /** learnerStep (Python): the learner rejected its input. */
  learnerInput: 'LearnerInputError',
  /** Operators (libs/operators). */
  unknownOperator: 'UnknownOperator',
  badOperatorInput: 'BadOperatorInput',
  emptyOperatorOutput: 'EmptyOperatorOutput',
  /** Code execution (libs/sandbox). */
  sandboxUnavailable: 'SandboxUnavailable',
  sandboxBadRequest: 'SandboxBadRequest',
} as const;

export type FailureType = (typeof FAILURE)[keyof typeof FAILURE];

/** LLM failures that no retry fixes are thrown as `LlmError.<kind>` (libs/llm, `toActivityFailure`). */
export const LLM_FAILURE_PREFIX = 'LlmError.';

/** Non-retryable types of the session's activities (director turns, operators, code). */
export const SESSION_NON_RETRYABLE: readonly FailureType[] = [
  FAILURE.unknownOperator,
  FAILURE.badOperatorInput,
  FAILURE.emptyOperatorOutput,
  FAILURE.sandboxUnavailable,
  FAILURE.sandboxBadRequest,
];

/** Non-retryable types of the evaluation run's activities. */
export const EVAL_NON_RETRYABLE: readonly FailureType[] = [FAILURE.invalidEvalInput, FAILURE.benchDataMissing];

/** Non-retryable types of the training run's TypeScript activities. */
export const TRAINING_NON_RETRYABLE: readonly FailureType[] = [
  FAILURE.invalidTrainingInput,
  FAILURE.unknownModel,
  FAILURE.benchDataMissing,
  FAILURE.trajectoryMissing,
  FAILURE.tokenizerUnavailable,
  FAILURE.rolloutsWithoutTokenIds,
];

/** Non-retryable types of the Python learner step. */
export const LEARNER_NON_RETRYABLE: readonly FailureType[] = [FAILURE.learnerInput];
