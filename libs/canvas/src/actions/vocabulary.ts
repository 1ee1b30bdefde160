import { type Catalogue } from '../catalogue';

/**
 * What a constrained decoder may produce on an action turn: the names and targets that make sense
 * now. Built from the catalogue (and, through `actionVocabulary(state)`, from the canvas).
 */
export interface ActionVocabulary {
  /** Operators an add, a loop or a modify may name. */
  operators: string[];
  /** Operators a parallel block may hold. */
  parallelOperators: string[];
  /** Operators a conditional may test (checkers); all operators when the catalogue has none. */
  checkers: string[];
  /** Top-level node ids (delete). Empty: delete is left out; undefined: any `node_…` id. */
  deleteTargets?: string[];
  /** Operator node ids (modify, set_prompt). Empty: left out; undefined: any `node_…` id. */
  operatorTargets?: string[];
  /** Whether finish is offered. */
  allowFinish: boolean;
  /** Whether structures are offered (false once the node limit is reached, with adds). */
  allowAdd: boolean;
}

/** The vocabulary of a catalogue with no canvas known: any node id, finish allowed. */
export function catalogueVocabulary(catalogue: Catalogue, disabled: readonly string[] = []): ActionVocabulary {
  const usable = catalogue.operators.filter((s) => !disabled.includes(s.name));
  const checkers = usable.filter((s) => s.passField !== undefined).map((s) => s.name);
  return {
    operators: usable.map((s) => s.name),
    parallelOperators: usable.filter((s) => s.allowedInParallel).map((s) => s.name),
    checkers: checkers.length > 0 ? checkers : usable.map((s) => s.name),
    allowFinish: true,
    allowAdd: true,
  };
}
