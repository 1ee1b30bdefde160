import { z } from 'zod/v4';
import { nameSchema, pageSchema } from '../common/schemas';

const taskType = z.enum(['math', 'qa', 'code', 'multiple-choice']);

export const limitsSchema = z
  .object({
    maxTurns: z.number().int().min(1).max(100).default(20).describe('director turns before the session ends unfinished'),
    operatorTimeoutSec: z.number().int().min(1).max(3600).optional(),
    directorTimeoutSec: z.number().int().min(1).max(3600).optional(),
  })
  .strict();

export const startSessionSchema = z
  .object({
    problem: z.string().trim().min(1, 'must not be empty').max(100_000).optional().describe('problem text (or give dataset + item)'),
    taskType: taskType.default('math').describe('task type of an ad-hoc problem'),
    answers: z.array(z.string().max(10_000)).max(50).optional().describe('gold answers of an ad-hoc problem (then it is scored)'),
    dataset: z.string().min(1).max(64).optional().describe('benchmark name (gsm8k, math, hotpotqa, ...)'),
    item: z.string().min(1).max(200).optional().describe('item id inside the dataset'),
    director: nameSchema.default('local').describe('director backend name'),
    executor: nameSchema.default('local').describe('executor backend name'),
    limits: limitsSchema.default({ maxTurns: 20 }),
    promptMode: z.enum(['compact', 'full-history']).default('compact'),
    directorTemperature: z.number().min(0).max(2).optional(),
    policyVersion: nameSchema.optional(),
    run: nameSchema.optional().describe('evaluation or training run this session belongs to'),
    recordTrajectory: z.boolean().optional(),
    idSuffix: nameSchema.optional().describe('last part of the workflow id; default: time + random. Reusing one gives 409'),
  })
  .strict()
  .superRefine((body, ctx) => {
    const hasProblem = body.problem !== undefined;
    const hasItem = body.dataset !== undefined || body.item !== undefined;
    if (hasProblem === hasItem) ctx.addIssue({ code: 'custom', path: ['problem'], message: 'give exactly one of "problem" or "dataset" + "item"' });
    if (body.dataset !== undefined && body.item === undefined) ctx.addIssue({ code: 'custom', path: ['item'], message: 'required with "dataset"' });
    if (body.item !== undefined && body.dataset === undefined) ctx.addIssue({ code: 'custom', path: ['dataset'], message: 'required with "item"' });
  });
export type StartSessionDto = z.output<typeof startSessionSchema>;

export const listSessionsSchema = z
  .object({
    dataset: nameSchema.optional().describe('FlowSteerDataset'),
    status: z.enum(['running', 'paused', 'finished', 'turn-limit', 'cancelled', 'failed']).optional().describe('FlowSteerStatus'),
    run: nameSchema.optional().describe('FlowSteerRun'),
    policyVersion: nameSchema.optional().describe('FlowSteerPolicyVersion'),
    taskType: taskType.optional().describe('FlowSteerTaskType'),
    ...pageSchema,
  })
  .strict();
export type ListSessionsDto = z.output<typeof listSessionsSchema>;

export const humanActionSchema = z
  .object({
    action: z.string().trim().min(1, 'must not be empty').max(20_000).describe('one action in the director syntax, e.g. <action>add</action><operator>Review</operator>'),
    waitMs: z.number().int().min(0).max(60_000).default(10_000).describe('how long to wait for the workflow to apply it before answering 202'),
  })
  .strict();
export type HumanActionDto = z.output<typeof humanActionSchema>;

export const cancelSchema = z.object({ reason: z.string().max(500).optional() }).strict();

export const forkSchema = z
  .object({
    turn: z.number().int().min(0).max(1000).describe('keep the canvas events of turns 1..turn'),
    director: nameSchema.optional(),
    executor: nameSchema.optional(),
    maxTurns: z.number().int().min(1).max(100).optional(),
    idSuffix: nameSchema.optional(),
  })
  .strict();
export type ForkDto = z.output<typeof forkSchema>;
