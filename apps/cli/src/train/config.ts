import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod/v4';
import type { TrainingConfig } from '@flowsteer/contracts';
import { CliError } from '../processes';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_", "-" (at most 64, starting with a letter or digit)');

const lora = z.object({ r: z.number().int().positive(), alpha: z.number().positive(), dropout: z.number().min(0).max(1), targetModules: z.array(z.string()).min(1) }).partial().strict();

const learner = z
  .object({
    learningRate: z.number().positive(),
    betas: z.tuple([z.number(), z.number()]),
    adamEpsilon: z.number().positive(),
    weightDecay: z.number().min(0),
    clipEpsilon: z.number().positive(),
    klBeta: z.number().min(0),
    maxGradNorm: z.number().positive(),
    lora,
    microBatchSize: z.number().int().positive(),
    schedule: z.enum(['cosine', 'constant']),
    warmupSteps: z.number().int().min(0),
    maxSteps: z.number().int().positive(),
    minLrRatio: z.number().min(0).max(1),
    loss: z.enum(['cwrpo', 'reinforce']),
    reduction: z.enum(['mean', 'sum']).nullable(),
    oldLogprobs: z.enum(['sample', 'recompute']),
    seed: z.number().int(),
    dtype: z.enum(['float32', 'bfloat16', 'float16']),
    gradientCheckpointing: z.boolean(),
  })
  .partial()
  .strict();

/** `extra`: the training options of `CwrpoTrainingOptions` (libs/contracts/src/learner.ts). */
const extra = z
  .object({
    tokenizer: z.enum(['auto', 'llama-cpp', 'vllm', 'utf8-bytes']),
    tokenizerModel: z.string().min(1),
    continueAsNewEvery: z.number().int().positive(),
    concurrency: z.number().int().positive(),
    grouping: z.enum(['problem', 'dataset']),
    referenceCompatReward: z.boolean(),
    maxSampleTokens: z.number().int().positive(),
    prompts: z.enum(['all', 'first', 'none']),
    learner,
    learnerArtifactsDir: z.string().min(1),
    learnerTimeoutMinutes: z.number().int().positive(),
    learnerHeartbeatSeconds: z.number().int().positive(),
    learnerMaxAttempts: z.number().int().positive(),
    learnerTaskQueue: z.string().min(1),
    adapterName: z.string().min(1),
    publish: z.boolean(),
  })
  .partial()
  .strict();

/** The YAML file: the run's `name` and the `TrainingConfig` keys, training options under `extra`. */
export const trainFileSchema = z
  .object({
    name,
    datasets: z.array(z.string().min(1)).min(1, 'name at least one dataset'),
    groupSize: z.number().int().min(2, 'G must be at least 2: advantages are relative to the group').max(64).default(8),
    problemsPerStep: z.number().int().min(1).max(1024).default(8),
    steps: z.number().int().min(1).max(100_000),
    seed: z.number().int().min(0).default(42),
    director: z.string().min(1),
    executor: z.string().min(1).default('local'),
    maxTurns: z.number().int().min(1).max(100).default(20),
    baseModel: z.string().min(1),
    learningRate: z.number().positive().max(1).optional(),
    klCoef: z.number().min(0).max(10).optional(),
    clipEps: z.number().positive().max(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
    promptMode: z.enum(['compact', 'full-history']).optional(),
    evalEvery: z.number().int().min(0).optional(),
    extra: extra.optional(),
  })
  .strict();

export interface TrainFile {
  name: string;
  config: TrainingConfig;
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') return `${path === '(top level)' ? '' : `${path}: `}unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${path}: ${issue.message}`;
  });
}

/** Parses and validates a training config (YAML or JSON text); every problem at once, each naming its key. */
export function parseTrainConfig(text: string, source: string): TrainFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new CliError(`${source} is not valid YAML: ${(err as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new CliError(`${source} must be a YAML mapping with name, datasets, steps, director, baseModel, ...`);
  const parsed = trainFileSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`invalid training config (${source}):\n${describeIssues(parsed.error).map((l) => `  - ${l}`).join('\n')}`);
  const { name: runName, ...config } = parsed.data;
  return { name: runName, config: config as TrainingConfig };
}

export function loadTrainConfig(file: string): TrainFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the training config ${file}: ${(err as Error).message}`);
  }
  return parseTrainConfig(text, file);
}
