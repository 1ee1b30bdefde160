import { TypedSearchAttributes } from '@temporalio/common';
import { z } from 'zod/v4';
import { backendNameSchema, datasetNameSchema, labelSchema, promptModeSchema, runNameSchema } from './names';
import { SA } from './search-attributes';
import { llmCallsSchema } from './session-start';
import { trainingConfigSchema } from './training-config';

/**
 * What a client gives to start an evaluation run (`evalRun`, id `eval-<name>-<suffix>`): the REST
 * API's body (plus `idSuffix`), the CLI's flags and the workflow's own input check use this schema.
 */
export const evalRunStartSchema = z
  .object({
    name: runNameSchema.describe('run name; the workflow id is eval-<name>-<suffix>'),
    datasets: z.array(datasetNameSchema).min(1, 'name at least one dataset').max(12),
    perDataset: z.number().int().min(1).max(10_000).default(50).describe('items sampled per dataset (seeded, stratified)'),
    seed: z.number().int().min(0).default(42),
    director: backendNameSchema.default('local'),
    executor: backendNameSchema.default('local'),
    maxTurns: z.number().int().min(1).max(100).default(20),
    promptMode: promptModeSchema.default('compact'),
    policyVersion: labelSchema.optional(),
    baselines: z.boolean().default(false).describe('also run the baselines (direct answer, fixed workflows) for the results table'),
    concurrency: z.number().int().min(1).max(256).default(4).describe('sessions running at once'),
    llmCalls: llmCallsSchema
      .default('local')
      .describe("how the run's sessions make their LLM calls (llmCallsSchema): local activities by default"),
  })
  .strict();
export type EvalRunStart = z.output<typeof evalRunStartSchema>;

/** What a client gives to start a training run (`cwrpoTraining`, id `train-<name>`). */
export const trainingRunStartSchema = z
  .object({
    name: runNameSchema.describe('run name; the workflow id is train-<name>'),
    config: trainingConfigSchema,
  })
  .strict();
export type TrainingRunStart = z.output<typeof trainingRunStartSchema>;

/** Every problem of a zod error as `path: message`, unknown keys by their own path. */
export function schemaProblems(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'unknown field' }));
    return [{ field: at.join('.'), message: issue.message }];
  });
}

/** `field: message; field: message` for a failure message. */
export function describeSchemaProblems(error: z.ZodError): string {
  return schemaProblems(error)
    .map((p) => (p.field ? `${p.field}: ${p.message}` : p.message))
    .join('; ');
}

/**
 * The start options every evaluation or training run gets, from whichever client starts it (the
 * CLI, the API): its name in the memo and the search attributes the run lists filter on (run id,
 * status, owner, and the policy version it evaluates when it names one). The task queue is the
 * caller's.
 */
export function runStartOptions<I extends { name: string }>(workflowId: string, input: I, owner: string, policyVersion?: string) {
  return {
    workflowId,
    args: [input] as [I],
    memo: { name: input.name },
    typedSearchAttributes: new TypedSearchAttributes([
      { key: SA.run, value: workflowId },
      { key: SA.status, value: 'running' },
      { key: SA.owner, value: owner },
      ...(policyVersion ? [{ key: SA.policyVersion, value: policyVersion }] : []),
    ]),
  };
}
