import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod/v4';

export interface FieldError {
  /** Dotted path of the offending field ("limits.maxTurns"); "" for the body itself. */
  field: string;
  message: string;
}

/** Zod issues as field-level messages. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    // One message per unknown key, named by its own path, so a client can point at the field.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'unknown field' }));
    return [{ field: at.join('.'), message: issue.message }];
  });
}

/** The 400 every validation failure becomes: `{ statusCode, error, message, errors: [{ field, message }] }`. */
export function validationFailed(what: string, errors: FieldError[]): BadRequestException {
  const summary = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `invalid ${what}: ${summary}`, errors });
}

/** Validates (and defaults) a body, query string or path parameter with a zod schema at the edge. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request body',
  ) {}

  transform(value: unknown): z.output<S> {
    const parsed = this.schema.safeParse(value ?? {});
    if (!parsed.success) throw validationFailed(this.what, fieldErrors(parsed.error));
    return parsed.data;
  }
}
