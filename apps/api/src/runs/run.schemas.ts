import { z } from 'zod/v4';
import { evalRunStartSchema, trainingRunStartSchema, type EvalRunStart, type TrainingRunStart } from '@flowsteer/contracts';
import { nameSchema, pageSchema } from '../common/schemas';

/** `POST /v1/evals`: the contracts' eval start, plus the id suffix. */
export const startEvalSchema = evalRunStartSchema.extend({
  idSuffix: nameSchema.optional().describe('last part of the workflow id; default: time + random'),
});
export type StartEvalDto = EvalRunStart & { idSuffix?: string };

/** `POST /v1/training`: the contracts' training start (`{ name, config }`), the schema the CLI and the workflow use. */
export const startTrainingSchema = trainingRunStartSchema;
export type StartTrainingDto = TrainingRunStart;

export const listRunsSchema = z.object({ ...pageSchema }).strict();
export type ListRunsDto = z.output<typeof listRunsSchema>;

export const stopSchema = z.object({ reason: z.string().max(500).optional() }).strict();
