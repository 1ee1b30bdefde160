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

/** LoRA settings of the learner (reference: r = alpha = 64). */
export interface LearnerLoraSettings {
  r?: number;
  alpha?: number;
  dropout?: number;
  targetModules?: string[];
}

/** Every key optional; the learner's defaults are the paper/reference settings. */
export interface LearnerHyperparameters {
  learningRate?: number;
  betas?: [number, number];
  adamEpsilon?: number;
  weightDecay?: number;
  clipEpsilon?: number;
  klBeta?: number;
  maxGradNorm?: number;
  lora?: LearnerLoraSettings;
  microBatchSize?: number;
  schedule?: 'cosine' | 'constant';
  warmupSteps?: number;
  maxSteps?: number;
  minLrRatio?: number;
  loss?: 'cwrpo' | 'reinforce';
  reduction?: 'mean' | 'sum' | null;
  oldLogprobs?: 'sample' | 'recompute';
  seed?: number;
  dtype?: 'float32' | 'bfloat16' | 'float16';
  gradientCheckpointing?: boolean;
}

export interface LearnerStepInput {
  /** Letters, digits, `.`, `_`, `-`: names the folder `runs/<runId>/` of the artifact store. */
  runId: string;
  /** The optimiser step this call applies (>= 1); idempotent by (runId, step). */
  step: number;
  /** HF folder, `.gguf` file, or `<folder>::<file.gguf>`. */
  baseModel: string;
  /** The batch file (TrainingSample[] or `{samples}`), absolute or relative to the artifacts folder. */
  batchPath: string;
  /** A step folder or adapter folder; null: `runs/<run>/step-<k-1>` when it exists, else a fresh adapter. */
  startCheckpoint?: string | null;
  artifactsDir?: string | null;
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
  device?: string;
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
 * How trajectory text becomes token ids for the learner:
 * - `llama-cpp`: the GGUF's own tokenizer through node-llama-cpp (exact for the embedded model: the
 *   learner loads the same file);
 * - `vllm`: the serving engine's `POST /tokenize` (vLLM; exact for the served model);
 * - `utf8-bytes`: one id per UTF-8 byte (0–255). NOT a model's tokenizer: for tests and smoke runs
 *   with a model whose vocabulary has at least 256 entries;
 * - `auto` (default): `llama-cpp` when the director backend is the embedded model, else `vllm`.
 */
export type TrainingTokenizer = 'auto' | 'llama-cpp' | 'vllm' | 'utf8-bytes';

/**
 * Training settings beyond `TrainingConfig`'s named keys, read from `config.extra` (so the REST API's
 * schema, which takes `extra` as a free record, stays compatible). All optional.
 */
export interface CwrpoTrainingOptions {
  tokenizer?: TrainingTokenizer;
  /** GGUF for `llama-cpp` (default: `baseModel` when it is a .gguf, else the local backend's file). */
  tokenizerModel?: string;
  /** Steps per workflow execution before continue-as-new (default 5). */
  continueAsNewEvery?: number;
  /** Rollouts (sessions) running at once (default: all of a step's). */
  concurrency?: number;
  /** `problem` (paper GRPO, default) or `dataset` (the reference code). */
  grouping?: 'problem' | 'dataset';
  /** Reference-compatible reward (loops earn no structure). */
  referenceCompatReward?: boolean;
  /** Sample options for trajectory -> tokens: `maxTokens` truncation (head + tail), prompts kept. */
  maxSampleTokens?: number;
  prompts?: 'all' | 'first' | 'none';
  /** Learner hyperparameters merged over those derived from the config (learningRate, klCoef, clipEps). */
  learner?: LearnerHyperparameters;
  /** Passed to the learner as `artifactsDir` (when its artifacts folder differs from the worker's). */
  learnerArtifactsDir?: string;
  /** learnerStep start-to-close in minutes (default 120) and heartbeat timeout in seconds (default 300). */
  learnerTimeoutMinutes?: number;
  learnerHeartbeatSeconds?: number;
  learnerMaxAttempts?: number;
  /** The learner's task queue (default `cwrpo-learner`; tests use their own). */
  learnerTaskQueue?: string;
  /** The adapter name the inference server serves the policy under (default: the director backend's model). */
  adapterName?: string;
  /** `false`: never publish (rollouts keep the base weights). Default true. */
  publish?: boolean;
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
  tokenizerModel?: string;
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
  /** The tokenizer actually used (after `auto`). */
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
