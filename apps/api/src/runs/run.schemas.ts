import { z } from 'zod/v4';
import { nameSchema, pageSchema } from '../common/schemas';

const datasets = z.array(nameSchema).min(1, 'name at least one dataset').max(12);

export const startEvalSchema = z
  .object({
    name: nameSchema.describe('run name; the workflow id is eval-<name>-<suffix>'),
    datasets,
    perDataset: z.number().int().min(1).max(10_000).default(50),
    seed: z.number().int().min(0).default(42),
    director: nameSchema.default('local'),
    executor: nameSchema.default('local'),
    maxTurns: z.number().int().min(1).max(100).default(20),
    promptMode: z.enum(['compact', 'full-history']).default('compact'),
    policyVersion: nameSchema.optional(),
    baselines: z.boolean().default(false).describe('also run the baselines for the results table'),
    concurrency: z.number().int().min(1).max(256).default(4),
    idSuffix: nameSchema.optional(),
  })
  .strict();
export type StartEvalDto = z.output<typeof startEvalSchema>;

export const listRunsSchema = z.object({ ...pageSchema }).strict();
export type ListRunsDto = z.output<typeof listRunsSchema>;

export const trainingConfigSchema = z
  .object({
    datasets,
    groupSize: z.number().int().min(2).max(64).default(8).describe('rollouts per problem (G)'),
    problemsPerStep: z.number().int().min(1).max(1024).default(8),
    steps: z.number().int().min(1).max(100_000),
    seed: z.number().int().min(0).default(42),
    director: nameSchema,
    executor: nameSchema.default('local'),
    maxTurns: z.number().int().min(1).max(100).default(20),
    baseModel: z.string().min(1).max(500).describe('learner base model (HF folder, .gguf file or "<folder>::<file.gguf>")'),
    learningRate: z.number().positive().max(1).optional(),
    klCoef: z.number().min(0).max(10).optional(),
    clipEps: z.number().positive().max(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
    promptMode: z.enum(['compact', 'full-history']).optional(),
    evalEvery: z.number().int().min(0).optional(),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const startTrainingSchema = z
  .object({
    name: nameSchema.describe('run name; the workflow id is train-<name>'),
    config: trainingConfigSchema,
  })
  .strict();
export type StartTrainingDto = z.output<typeof startTrainingSchema>;

export const stopSchema = z.object({ reason: z.string().max(500).optional() }).strict();
