import { z } from 'zod/v4';

/**
 * Names a client may use for server-side resources (backends, models, datasets, runs, principals).
 * A name is never a path: no "/", no "..", no spaces, no quotes, so it is safe in workflow ids,
 * visibility queries and folder names alike.
 */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const NAME_RULE = '1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** A name of something the server configures; `what` says which kind in the error message. */
export function resourceNameSchema(what: string) {
  return z.string().regex(NAME_PATTERN, `${what} is a name (${NAME_RULE}), never a path`);
}

export const backendNameSchema = resourceNameSchema('a backend');
export const modelNameSchema = resourceNameSchema('a model');
export const datasetNameSchema = resourceNameSchema('a dataset');
export const runNameSchema = resourceNameSchema('a run');
export const principalNameSchema = resourceNameSchema('a principal');

/**
 * Labels that end up in workflow ids and visibility queries (policy versions, id suffixes, run
 * ids): like names, with ":" allowed too. Still no quote, space or slash.
 */
export const labelSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'use 1-128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit');

export const DIRECTOR_PROMPT_MODES = ['compact', 'full-history'] as const;
export const promptModeSchema = z.enum(DIRECTOR_PROMPT_MODES);
