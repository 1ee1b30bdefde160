/**
 * The CWRPO learner and the training run's own activities (issue 9). `learnerStep` is served by the
 * Python worker in `apps/learner` on the `cwrpo-learner` task queue; its JSON input and output are
 * camelCase exactly as apps/learner/README.md documents them. The other activities run on the
 * training workflow's own task queue (the TypeScript worker, `apps/worker/src/training-activities.ts`).
 */
import type { BenchTask } from './tasks';
import type { RewardParts } from './trajectory';
import type { SessionScore, SessionStatus } from './session';
import type { TrainingProgress, TrainingRunInput, TrainingStepMetrics } from './runs';
import type { LearnerHyperparameters, TrainingTokenizer } from './training-config';

export interface LearnerStepInput {
  /** Letters, digits, `.`, `_`, `-`: names the folder `runs/<runId>/` of the artifact store. */
  runId: string;
  /** The optimiser step this call applies (>= 1); idempotent by (runId, step). */
  step: number;
  /**
   * The base model as the learner opens it (HF folder, `.gguf` file, or `<folder>::<file.gguf>`):
   * always the server's resolution of a model name (`resolveTrainingResources`), never a client's text.
   */
  baseModel: string;
  /** The batch file (TrainingSample[] or `{samples}`), relative to the artifact store's folder. */
  batchPath: string;
  /** A step folder or adapter folder; null: `runs/<run>/step-<k-1>` when it exists, else a fresh adapter. */
  startCheckpoint?: string | null;
  hyperparameters?: LearnerHyperparameters;
}

export interface LearnerStepMetrics {
  loss: number;
  surrogate: number;
  kl: number;
  clippedFraction: number;
  gradNorm: number;
  samples: number;
  tokens: number;
  maskedTokens: number;
  tokensPerSecond: number;
  lr: number;
  trainSeconds: number;
  loadSeconds?: number;
  microBatches?: number;
  /** Token positions the training passes computed, padding included, and the padding's share of them. */
  paddedTokens?: number;
  paddingFraction?: number;
  device?: string;
  /** Over masked tokens of every update of the step (ratio against the sampler or the step-start learner). */
  ratioMean?: number;
  ratioMax?: number;
  /** AdamW updates this step applied: ppoEpochs × mini-batches. */
  optimizerSteps?: number;
  /** Sampler–learner mismatch at step start over tokens with a sampler log-prob: mean |Δ log p|, k3 KL(sampler ‖ learner). */
  samplerTokens?: number;
  samplerLogprobAbsDiff?: number;
  samplerKlK3?: number;
  [key: string]: number | string | undefined;
}

export interface LearnerStepOutput {
  runId: string;
  step: number;
  /** `<runId>-step-<k>`: the immutable id of the new director weights. */
  policyVersion: string;
  adapterPath: string;
  /** `<artifacts>/runs/<run>/step-<k>`: adapter, optimiser, scheduler, RNG, checkpoint.json. */
  checkpointPath: string;
  startCheckpoint: string | null;
  /** True when the step had been applied before and its checkpoint was returned untouched. */
  reused: boolean;
  metrics: LearnerStepMetrics;
}

/** The Python learner (task queue `cwrpo-learner`). */
export interface LearnerActivities {
  learnerStep(input: LearnerStepInput): Promise<LearnerStepOutput>;
}

export const LEARNER_STEP_ACTIVITY = 'learnerStep';

/**
 * What the server resolves a training run's named resources to (the `resolveTrainingResources`
 * activity, from the worker's `models:` configuration): nothing here ever comes from a client.
 */
export interface TrainingResources {
  /** The model name the run was given. */
  model: string;
  /** The base model as the learner opens it. */
  learnerModel: string;
  /** The learner pool's task queue for this model. */
  learnerTaskQueue: string;
}

/** State carried across continue-as-new. */
export interface TrainingCarry {
  /** The next step to run (1-based). */
  nextStep: number;
  policyVersion: string;
  /** The last applied step's checkpoint folder (the next step's start checkpoint); null before step 1. */
  checkpointPath: string | null;
  history: TrainingStepMetrics[];
  publication?: PolicyPublication;
  generation: number;
  /** The run was paused when it continued as new. */
  paused?: boolean;
  /** Backend-unavailable rollouts in a row at the end of the last step (see `maxUnavailableInARow`). */
  unavailableInARow?: number;
}

/** `cwrpoTraining`'s input: the REST API's `TrainingRunInput` plus the carried state. */
export interface CwrpoTrainingInput extends TrainingRunInput {
  carry?: TrainingCarry;
}

export interface CwrpoTrainingProgress extends TrainingProgress {
  /** The step being worked on (0 before the first) and its stage. */
  currentStep: number;
  stage: 'idle' | 'rollouts' | 'batch' | 'learner' | 'publish';
  rollouts: { done: number; total: number; failed: number };
  checkpointPath: string | null;
  publication?: PolicyPublication;
  stopReason?: string;
}

export interface CwrpoTrainingResult {
  runId: string;
  status: 'finished' | 'stopped';
  /** The last applied step (0 when none). */
  step: number;
  policyVersion: string;
  checkpointPath: string | null;
  history: TrainingStepMetrics[];
  publication?: PolicyPublication;
  stopReason?: string;
}

/** The outcome of one rollout as the training workflow keeps it (no events, no transcript). */
export interface RolloutOutcome {
  sessionId: string;
  status: SessionStatus;
  dsl: string;
  turns: number;
  score?: SessionScore;
  trajectoryRef?: string;
  directorTokens: number;
  executorTokens: number;
  error?: string;
}

export interface TrainingProblemsInput {
  datasets: string[];
  seed: number;
  step: number;
  count: number;
}

export interface TrainingBatchItem {
  trajectoryRef: string;
  reward: RewardParts;
  advantage: number;
  groupKey: string;
}

export interface BuildTrainingBatchInput {
  runId: string;
  step: number;
  directorBackend: string;
  tokenizer: TrainingTokenizer;
  /** The run's model name; the worker finds its tokenizer file (`llama-cpp`) in its `models:` configuration. */
  baseModel: string;
  maxSampleTokens?: number;
  prompts?: 'all' | 'first' | 'none';
  items: TrainingBatchItem[];
}

export interface BuildTrainingBatchResult {
  /** Relative to the artifact store's folder: `runs/<run>/batches/step-<k>.json`. */
  batchPath: string;
  samples: number;
  tokens: number;
  maskedTokens: number;
  truncatedTokens: number;
  /** Where the ids came from (`sampled`, or the re-tokenising tokenizer actually used after `auto`). */
  tokenizer: Exclude<TrainingTokenizer, 'auto'>;
}

export interface PublishPolicyInput {
  directorBackend: string;
  policyVersion: string;
  adapterPath: string;
  adapterName?: string;
}

/** Whether the inference server now serves the new adapter; when not, why (rollouts keep the old weights). */
export interface PolicyPublication {
  policyVersion: string;
  published: boolean;
  adapterName?: string;
  url?: string;
  reason?: string;
}

/** Activities of the training run on its own task queue (the TypeScript worker). */
export interface TrainingActivities {
  /** The run's base model name -> what the learner opens and the learner queue; an unknown name fails (UnknownModel). */
  resolveTrainingResources(input: { baseModel: string }): Promise<TrainingResources>;
  /** `count` problems for step `step`, sampled from the datasets with a stream seeded by (seed, step). */
  trainingProblems(input: TrainingProblemsInput): Promise<BenchTask[]>;
  /** The outcome of a rollout session that already exists (a resumed step): waits for it. */
  rolloutOutcome(input: { workflowId: string }): Promise<RolloutOutcome>;
  /** Reads the trajectories, tokenises them, writes the batch file; idempotent by (run, step). */
  buildTrainingBatch(input: BuildTrainingBatchInput): Promise<BuildTrainingBatchResult>;
  /** `POST /v1/load_lora_adapter` on the director backend's server (vLLM protocol). */
  publishPolicy(input: PublishPolicyInput): Promise<PolicyPublication>;
  /** Writes `runs/<run>/steps/step-<k>.json` (idempotent). */
  recordTrainingStep(input: { runId: string; step: TrainingStepMetrics }): Promise<string>;
}
