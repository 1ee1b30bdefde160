import { z } from 'zod/v4';
import { labelSchema, principalNameSchema } from '@flowsteer/contracts';

/** Names that end up in workflow ids and visibility queries: no quotes, no spaces (the contracts' label rule). */
export const nameSchema = labelSchema;

export const pageSchema = {
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('results per page (1-200)'),
  pageToken: z
    .string()
    .max(4096)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'pass back the nextPageToken of the previous page')
    .optional(),
  owner: principalNameSchema.optional().describe('FlowSteerOwner: only work this principal started (operators always see their own only)'),
};

/** `FlowSteerX = "value" AND ...`; values are name-checked, so quoting is safe. */
export function visibilityQuery(workflowType: string, filters: Record<string, string | undefined>): string {
  const clauses = [`WorkflowType = '${workflowType}'`];
  for (const [attribute, value] of Object.entries(filters)) if (value !== undefined) clauses.push(`${attribute} = '${value}'`);
  return clauses.join(' AND '); // newest first is the visibility store's own order; SQLite visibility rejects ORDER BY
}

/** A JSON schema for OpenAPI from the same zod schema that validates the request. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return json;
}

/** Query-string parameters for OpenAPI from a zod object schema. */
export function openApiQueryParams(
  schema: z.ZodObject,
): { name: string; required: boolean; schema: Record<string, unknown>; description?: string }[] {
  const json = openApiSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    required: (json.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}
