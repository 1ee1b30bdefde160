/**
 * The shape of an operator as plain data. The canvas validates and plans with these specs; the
 * operators library executes them. Everything here is JSON-serialisable.
 */

/** The six operator categories (spec §2.1). */
export type OperatorCategory = 'planning' | 'solving' | 'checking' | 'revision' | 'ensemble' | 'formatting';

export const OPERATOR_CATEGORIES: readonly OperatorCategory[] = ['planning', 'solving', 'checking', 'revision', 'ensemble', 'formatting'];

/** Value types an operator port carries. `text[]` is a list (the outputs of a parallel block). */
export type PortType = 'text' | 'text[]' | 'code' | 'boolean' | 'label';

export interface OperatorPort {
  name: string;
  type: PortType;
  description: string;
  /** Absent for ports that are always present. */
  optional?: boolean;
}

export interface OperatorSpec {
  /** Exact, case-sensitive name, `^[A-Z][A-Za-z0-9]*$`; what the director writes in `<operator>`. */
  name: string;
  category: OperatorCategory;
  /** One line: what it does and when to use it (shown to the director). */
  description: string;
  inputs: readonly OperatorPort[];
  outputs: readonly OperatorPort[];
  /** Takes the whole list of a preceding parallel block (ensembles); others get it flattened. */
  acceptsList: boolean;
  /** Runs code in the sandbox (Programmer, Test). */
  executesCode: boolean;
  /** May appear as a branch of a parallel block (ensembles may not: add them after the block). */
  allowedInParallel: boolean;
  /** Counts as a solver for the finish constraint "a solver and a checker". */
  solver: boolean;
  /** Its output can be the workflow's answer (sets the last solver result). */
  producesAnswer: boolean;
  /**
   * Checkers only: the boolean output a conditional reads (`OperatorOutcome.passed`).
   * A checker passes the solution it checked through unchanged.
   */
  passField?: string;
  /** What the director is told when asked to write this operator's prompt. */
  promptGuidance: string;
  /**
   * Plug-in operators only: the base instruction a generic LLM runner uses for this operator
   * (the director's node prompt is added as guidance). Built-ins have their own implementation.
   */
  instruction?: string;
  /** Plug-ins only: answered by the session's director backend instead of its executor. */
  backend?: 'director';
  /** Plug-ins only: the result is Python code, checked against the problem's tests in the sandbox. */
  codeCheck?: boolean;
  /** True for operators added through `createCatalogue(extra)`. */
  plugin?: boolean;
}
