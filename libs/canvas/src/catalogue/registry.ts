import { BUILTIN_OPERATORS } from './builtin';
import { OPERATOR_CATEGORIES, type OperatorSpec } from './types';

/**
 * A catalogue is plain data: the operator specs in order. Built-ins first, then plug-ins.
 * It travels inside canvas state and Temporal payloads as is.
 */
export interface Catalogue {
  operators: readonly OperatorSpec[];
}

/** Words the DSL and the action grammar reserve; no operator may be named like them. */
export const RESERVED_NAMES: readonly string[] = ['done', 'parallel', 'conditional', 'loop'];

const NAME_PATTERN = /^[A-Z][A-Za-z0-9]{0,39}$/;
const PORT_TYPES = ['text', 'text[]', 'code', 'boolean', 'label'];

/** Problems with one spec, as sentences; empty when the spec is usable. */
export function validateOperatorSpec(spec: OperatorSpec, others: readonly OperatorSpec[] = []): string[] {
  const errors: string[] = [];
  const name = typeof spec?.name === 'string' ? spec.name : '';
  const label = name || '(unnamed operator)';
  if (!NAME_PATTERN.test(name)) {
    errors.push(`${label}: name must start with a capital letter and hold only letters and digits (at most 40)`);
  }
  if (RESERVED_NAMES.includes(name.toLowerCase())) errors.push(`${label}: name is reserved by the DSL`);
  if (others.some((o) => o.name.toLowerCase() === name.toLowerCase())) {
    errors.push(`${label}: an operator with this name (ignoring case) is already in the catalogue`);
  }
  if (!OPERATOR_CATEGORIES.includes(spec?.category)) {
    errors.push(`${label}: category must be one of ${OPERATOR_CATEGORIES.join(', ')}`);
  }
  if (typeof spec?.description !== 'string' || spec.description.trim() === '' || spec.description.includes('\n')) {
    errors.push(`${label}: description must be one non-empty line`);
  }
  for (const key of ['inputs', 'outputs'] as const) {
    const ports = spec?.[key];
    if (!Array.isArray(ports) || ports.length === 0) {
      errors.push(`${label}: ${key} must list at least one port`);
      continue;
    }
    for (const port of ports) {
      if (typeof port?.name !== 'string' || !PORT_TYPES.includes(port?.type)) {
        errors.push(`${label}: every ${key} port needs a name and a type (${PORT_TYPES.join(', ')})`);
        break;
      }
    }
  }
  for (const key of ['acceptsList', 'executesCode', 'allowedInParallel', 'solver', 'producesAnswer'] as const) {
    if (typeof spec?.[key] !== 'boolean') errors.push(`${label}: ${key} must be true or false`);
  }
  if (spec?.passField !== undefined && !spec.outputs?.some((p) => p.name === spec.passField && p.type === 'boolean')) {
    errors.push(`${label}: passField must name a boolean output`);
  }
  if (typeof spec?.promptGuidance !== 'string') errors.push(`${label}: promptGuidance must be a string`);
  return errors;
}

export class CatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid plug-in operator: ${problems.join('; ')}`);
    this.name = 'CatalogueError';
  }
}

/**
 * The built-in catalogue plus plug-in operators. Plug-ins are validated (name shape, no clash with
 * an existing name in any case, category, ports, flags); a bad one throws `CatalogueError` with every
 * problem listed. This is configuration time; nothing at decision time throws.
 */
export function createCatalogue(extra: readonly OperatorSpec[] = []): Catalogue {
  const operators: OperatorSpec[] = BUILTIN_OPERATORS.map((s) => s as OperatorSpec);
  const problems: string[] = [];
  for (const spec of extra) {
    const errors = validateOperatorSpec(spec, operators);
    if (errors.length > 0) problems.push(...errors);
    else operators.push({ ...spec, plugin: true });
  }
  if (problems.length > 0) throw new CatalogueError(problems);
  return { operators };
}

/** The 12 built-in operators as a catalogue. */
export const OPERATOR_CATALOGUE: Catalogue = createCatalogue();

/** The spec of an operator by its exact (case-sensitive) name. */
export function findOperator(catalogue: Catalogue, name: string): OperatorSpec | undefined {
  return catalogue.operators.find((s) => s.name === name);
}

/** The catalogue name equal to `name` ignoring case (for "did you mean" hints). */
export function findOperatorIgnoringCase(catalogue: Catalogue, name: string): OperatorSpec | undefined {
  const lower = name.toLowerCase();
  return catalogue.operators.find((s) => s.name.toLowerCase() === lower);
}

export function operatorNames(catalogue: Catalogue): string[] {
  return catalogue.operators.map((s) => s.name);
}

export function isChecker(catalogue: Catalogue, name: string): boolean {
  return findOperator(catalogue, name)?.passField !== undefined;
}
