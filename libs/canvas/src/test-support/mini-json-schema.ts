/**
 * A tiny validator for the JSON-Schema subset `actionJsonSchema` uses (type, const, enum, properties,
 * required, additionalProperties: false, items, minItems, maxItems, minimum, maximum, minLength,
 * pattern, anyOf). Test-only; it exists so the schema is checked without a new dependency.
 */
type Schema = Record<string, unknown>;

export function validates(schema: Schema, value: unknown): boolean {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).some((s) => validates(s, value));
  if ('const' in schema && value !== schema.const) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  switch (schema.type) {
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
      const obj = value as Record<string, unknown>;
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required ?? []) as string[]) if (!(key in obj)) return false;
      for (const [k, v] of Object.entries(obj)) {
        if (!(k in props)) {
          if (schema.additionalProperties === false) return false;
          continue;
        }
        if (!validates(props[k] as Schema, v)) return false;
      }
      return true;
    }
    case 'array':
      if (!Array.isArray(value)) return false;
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
      if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
      return value.every((v) => validates((schema.items ?? {}) as Schema, v));
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return false;
      if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
      if (typeof schema.maximum === 'number' && value > schema.maximum) return false;
      return true;
    case 'string':
      if (typeof value !== 'string') return false;
      if (typeof schema.minLength === 'number' && value.length < schema.minLength) return false;
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) return false;
      return true;
    default:
      return true;
  }
}
