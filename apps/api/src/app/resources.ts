import { DATASET_NAMES, resolveDatasetName } from '@flowsteer/bench';
import { configuredNames } from '@flowsteer/llm';
import { validationFailed, type FieldError } from '../common/zod-validation.pipe';

/** The names clients may use; read from the same backend configuration file the workers read (`FLOWSTEER_BACKENDS`). */
export interface ResourceNames {
  backends: string[];
  models: string[];
  datasets: string[];
}

export function loadResourceNames(env: NodeJS.ProcessEnv = process.env): ResourceNames {
  return { ...configuredNames({ env }), datasets: [...DATASET_NAMES] };
}

const list = (names: readonly string[]) => names.join(', ') || '(none)';

/**
 * Names checked at the edge: an unknown backend, model or dataset is a 400 that lists the allowed
 * names (never a server path) before anything is started, instead of a failure inside a workflow.
 */
export class ResourceCatalog {
  constructor(readonly names: ResourceNames) {}

  backend(field: string, name: string | undefined): FieldError[] {
    return name === undefined || this.names.backends.includes(name)
      ? []
      : [{ field, message: `unknown backend "${name}"; allowed: ${list(this.names.backends)}` }];
  }

  model(field: string, name: string): FieldError[] {
    return this.names.models.includes(name) ? [] : [{ field, message: `unknown model "${name}"; allowed: ${list(this.names.models)}` }];
  }

  datasets(field: string, names: readonly string[]): FieldError[] {
    return names.flatMap((name, i) =>
      resolveDatasetName(name)
        ? []
        : [{ field: `${field}.${i}`, message: `unknown dataset "${name}"; allowed: ${list(this.names.datasets)}` }],
    );
  }

  /** Throws the 400 when any check failed. */
  assert(errors: FieldError[]): void {
    if (errors.length) throw validationFailed('request body', errors);
  }
}
