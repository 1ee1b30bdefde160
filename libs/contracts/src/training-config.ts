import { z } from 'zod/v4';
import { backendNameSchema, datasetNameSchema, modelNameSchema, promptModeSchema, resourceNameSchema } from './names';
import { llmCallsSchema, type LlmCalls } from './session-start';

/**
 * The one schema of a CWRPO training run's configuration: the REST API validates requests with it,
 * the CLI validates its YAML files with it, and the `cwrpoTraining` workflow checks its input with
 * it again (zod runs in the workflow sandbox). Every setting has one name and one place; nothing
 * in it is a filesystem path or a task queue: the base model is a name the server's `models:`
 * configuration resolves, and the learner's queue and artifact folder are the server's own.
 */

/** LoRA settings of the learner (reference: r = alpha = 64). */
export const learnerLoraSchema = z
  .object({
    r: z.number().int().min(1).max(1024),
    alpha: z.number().positive().max(4096),
    dropout: z.number().min(0).max(1),
    targetModules: z
      .array(z.string().regex(/^[A-Za-z0-9_.]{1,64}$/, 'a module name such as q_proj'))
      .min(1)
      .max(64),
  })
  .partial()
  .strict();

/**
 * Every hyperparameter the Python learner takes (`learnerStep`'s `hyperparameters`, camelCase as
 * apps/learner/README.md documents); every key optional, the learner's defaults are the paper's.
 */
export const learnerHyperparametersSchema = z
  .object({
    learningRate: z.number().positive().max(1),
    betas: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
    adamEpsilon: z.number().positive().max(1),
    weightDecay: z.number().min(0).max(10),
    clipEpsilon: z.number().positive().max(1),
    klBeta: z.number().min(0).max(10),
    maxGradNorm: z.number().positive().max(1e6),
    lora: learnerLoraSchema,
    microBatchSize: z.number().int().min(1).max(4096),
    microBatchTokens: z.number().int().min(1).max(100_000_000).nullable(),
    microBatchOrder: z.enum(['length', 'arrival']),
    schedule: z.enum(['cosine', 'constant']),
    warmupSteps: z.number().int().min(0).max(1_000_000),
    maxSteps: z.number().int().min(1).max(1_000_000),
    minLrRatio: z.number().min(0).max(1),
    loss: z.enum(['cwrpo', 'reinforce']),
    reduction: z.enum(['mean', 'sum']).nullable(),
    oldLogprobs: z.enum(['sample', 'recompute']),
    ppoEpochs: z.number().int().min(1).max(64),
    miniBatchSize: z.number().int().min(1).max(4096).nullable(),
    tisCap: z.number().positive().max(1e6).nullable(),
    logprobChunk: z.number().int().min(0).max(1_000_000),
    seed: z.number().int(),
    dtype: z.enum(['float32', 'bfloat16', 'float16']),
    gradientCheckpointing: z.boolean(),
  })
  .partial()
  .strict();
export type LearnerHyperparameters = z.output<typeof learnerHyperparametersSchema>;
export type LearnerLoraSettings = z.output<typeof learnerLoraSchema>;

/**
 * The learner settings a training config may set under `learner:`. The learning rate, KL
 * coefficient and clip range are top-level keys of the config (one place each); the schedule's
 * horizon (`maxSteps`) is the config's `steps`.
 */
export const trainingLearnerSchema = learnerHyperparametersSchema.omit({
  learningRate: true,
  klBeta: true,
  clipEpsilon: true,
  maxSteps: true,
});

/**
 * Where the learner's token ids come from:
 * - `sampled` (default): the ids the director backend fed and sampled (prompt after its chat template,
 *   completion), recorded per turn; one exact sample per director turn, nothing re-tokenised. A
 *   rollout whose backend reported no ids fails the batch (`RolloutsWithoutTokenIds`).
 * The others re-tokenise the trajectory's text (inexact: the learner scores completions in a context
 * joined from the messages, not the sampler's chat template; the batch activity logs a warning):
 * - `llama-cpp`: the GGUF's own tokenizer through node-llama-cpp (exact for the embedded model: the
 *   learner loads the same file);
 * - `vllm`: the serving engine's `POST /tokenize` (vLLM; exact for the served model);
 * - `utf8-bytes`: one id per UTF-8 byte (0–255). NOT a model's tokenizer: for tests and smoke runs
 *   with a model whose vocabulary has at least 256 entries;
 * - `auto`: `llama-cpp` when the director backend is the embedded model, else `vllm`.
 */
export const TRAINING_TOKENIZERS = ['sampled', 'auto', 'llama-cpp', 'vllm', 'utf8-bytes'] as const;
export type TrainingTokenizer = (typeof TRAINING_TOKENIZERS)[number];

const positive = (max: number) => z.number().int().min(1).max(max);

export const trainingConfigSchema = z
  .object({
    datasets: z.array(datasetNameSchema).min(1, 'name at least one dataset').max(12),
    groupSize: z
      .number()
      .int()
      .min(2, 'G must be at least 2: advantages are relative to the group')
      .max(64)
      .default(8)
      .describe('rollouts per problem (G)'),
    problemsPerStep: positive(1024).default(8),
    steps: positive(100_000),
    seed: z.number().int().min(0).default(42),
    director: backendNameSchema.describe('director backend serving the policy being trained (LoRA hot-swap)'),
    executor: backendNameSchema.default('local'),
    maxTurns: positive(100).default(20),
    llmCalls: llmCallsSchema
      .default('local')
      .describe('how the rollouts make their LLM calls (llmCallsSchema): local activities by default'),
    baseModel: modelNameSchema.describe("the learner's base model: a name from the server's `models:` configuration"),
    temperature: z.number().min(0).max(2).optional().describe('director sampling temperature of the rollouts'),
    promptMode: promptModeSchema.optional(),
    learningRate: z.number().positive().max(1).optional(),
    klBeta: z.number().min(0).max(10).optional().describe('KL coefficient to the reference policy'),
    clipEpsilon: z.number().positive().max(1).optional().describe('PPO-style ratio clip range'),
    learner: trainingLearnerSchema.optional().describe("the learner's other hyperparameters"),
    tokenizer: z
      .enum(TRAINING_TOKENIZERS)
      .optional()
      .describe('where token ids come from: sampled (default, exact) or a re-tokenising tokenizer'),
    maxSampleTokens: positive(1_000_000).optional().describe('truncate each sample to this many tokens (head + tail)'),
    prompts: z.enum(['all', 'first', 'none']).optional().describe('which director prompts a sample keeps'),
    outageBudgetSec: z
      .number()
      .positive()
      .max(7 * 24 * 3600)
      .optional()
      .describe(
        'how long a rollout waits through a backend outage before it ends backend-unavailable and is dropped from its step (default 1800)',
      ),
    outageRetrySec: z
      .number()
      .positive()
      .max(3600)
      .optional()
      .describe("a rollout's first wait during an outage, doubling to 5 minutes (default 15)"),
    maxUnavailableInARow: positive(100_000)
      .optional()
      .describe(
        'stop the run when this many rollouts in a row end backend-unavailable (default: one step of rollouts, groupSize x problemsPerStep)',
      ),
    concurrency: positive(4096).optional().describe("rollouts running at once (default: all of a step's)"),
    grouping: z
      .enum(['problem', 'dataset'])
      .optional()
      .describe('advantage groups: per problem (paper, default) or per dataset (reference code)'),
    referenceCompatReward: z.boolean().optional().describe('reference-compatible reward (loops earn no structure)'),
    continueAsNewEvery: positive(1000).optional().describe('steps per workflow execution before continue-as-new (default 5)'),
    learnerTimeoutMinutes: positive(24 * 60)
      .optional()
      .describe('learnerStep start-to-close (default 120)'),
    learnerHeartbeatSeconds: positive(3600).optional().describe('learnerStep heartbeat timeout (default 300)'),
    learnerMaxAttempts: positive(20).optional().describe('learnerStep attempts (default 5)'),
    adapterName: resourceNameSchema('an adapter')
      .optional()
      .describe("the name the inference server serves the policy under (default: the director backend's model)"),
    publish: z.boolean().optional().describe('false: never publish (rollouts keep the base weights); default true'),
  })
  .strict();

/** A validated training configuration (defaults applied; `llmCalls` is absent in runs started before the option). */
export type TrainingConfig = Omit<z.output<typeof trainingConfigSchema>, 'llmCalls'> & { llmCalls?: LlmCalls };
/** What a client writes (defaults not yet applied). */
export type TrainingConfigInput = z.input<typeof trainingConfigSchema>;

/** The learner's hyperparameters: the config's named ones, `steps` as the schedule's horizon, then `learner:`. */
export function learnerHyperparametersOf(config: TrainingConfig): LearnerHyperparameters {
  return {
    ...(config.learningRate !== undefined ? { learningRate: config.learningRate } : {}),
    ...(config.klBeta !== undefined ? { klBeta: config.klBeta } : {}),
    ...(config.clipEpsilon !== undefined ? { clipEpsilon: config.clipEpsilon } : {}),
    maxSteps: config.steps,
    ...(config.learner ?? {}),
  };
}
