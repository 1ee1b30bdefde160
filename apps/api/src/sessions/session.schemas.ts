import { z } from 'zod/v4';
import { backendNameSchema, sessionStartRequestSchema, taskTypeSchema, type SessionStartRequest } from '@flowsteer/contracts';
import { nameSchema, pageSchema } from '../common/schemas';

/** `POST /v1/sessions`: the contracts' session start request. */
export const startSessionSchema = sessionStartRequestSchema;
export type StartSessionDto = SessionStartRequest;

export const listSessionsSchema = z
  .object({
    dataset: nameSchema.optional().describe('FlowSteerDataset'),
    status: z
      .enum(['running', 'paused', 'waiting-for-backend', 'finished', 'turn-limit', 'cancelled', 'backend-unavailable', 'failed'])
      .optional()
      .describe('FlowSteerStatus'),
    run: nameSchema.optional().describe('FlowSteerRun'),
    policyVersion: nameSchema.optional().describe('FlowSteerPolicyVersion'),
    taskType: taskTypeSchema.optional().describe('FlowSteerTaskType'),
    ...pageSchema,
  })
  .strict();
export type ListSessionsDto = z.output<typeof listSessionsSchema>;

export const humanActionSchema = z
  .object({
    action: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(20_000)
      .describe('one action in the director syntax, e.g. <action>add</action><operator>Review</operator>'),
    waitMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(10_000)
      .describe('how long to wait for the workflow to apply it before answering 202'),
  })
  .strict();
export type HumanActionDto = z.output<typeof humanActionSchema>;

export const cancelSchema = z.object({ reason: z.string().max(500).optional() }).strict();

export const forkSchema = z
  .object({
    turn: z.number().int().min(0).max(1000).describe('keep the canvas events of turns 1..turn'),
    director: backendNameSchema.optional(),
    executor: backendNameSchema.optional(),
    maxTurns: z.number().int().min(1).max(100).optional(),
    idSuffix: nameSchema.optional(),
  })
  .strict();
export type ForkDto = z.output<typeof forkSchema>;
