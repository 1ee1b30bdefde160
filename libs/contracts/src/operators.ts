/**
 * What crosses the `runOperator` activity boundary: one canvas node executed on the executor LLM.
 * The workflow builds a `RunOperatorInput` per node from the canvas execution plan; the operators
 * library answers with an `OperatorOutcome`. Backends are referred to by name only.
 */
import type { LedgerEntry } from './llm';
import type { TextValue } from './text';

/** The task families the benchmarks fall into (spec §6.1); they steer a few prompt rules. */
export type OperatorTaskType = 'math' | 'qa' | 'code' | (string & {});

export interface RunOperatorInput {
  /** Operator name as the canvas catalogue spells it, e.g. "Programmer". */
  operator: string;
  /** Canvas node id, e.g. "node_4"; used in ledger purposes and activity summaries. */
  nodeId: string;
  /** The director's custom prompt for this node ("" when none); injected as guidance. */
  prompt: string;
  /** The original problem statement (a long one travels by reference: the activity reads it from the store). */
  problem: TextValue;
  taskType: OperatorTaskType;
  /**
   * The node's upstream input: the previous output (string) or the outputs of a parallel block
   * (list). List-taking operators (ScEnsemble, Aggregate) use every entry; others see the list
   * joined. The first node of a workflow gets the problem itself.
   */
  inputs: TextValue | TextValue[];
  /** Name of the configured executor backend the operator calls. */
  executorBackend: string;
  /** Feedback of the preceding checker (Review/Verify/Test): read by Revise and by Programmer. */
  feedback?: string;
  /** Code tasks: the function the solution must define, e.g. "has_close_elements". */
  entryPoint?: string;
  /** Code tasks: problem-provided tests (HumanEval `check(candidate)` or MBPP asserts). */
  tests?: TextValue;
}

export interface OperatorOutcome {
  operator: string;
  nodeId: string;
  /** The text handed to the next node (the operator's primary result); long ones by reference. */
  text: TextValue;
  /**
   * The operator's full structured result, shaped per operator (see libs/operators/README.md):
   * inline when the worker has no artifact store, else stored and referenced by `outputRef`.
   */
  output?: Record<string, unknown>;
  outputRef?: string;
  /** Checkers only (Review, Verify, Test): whether the check passed; a conditional reads it. */
  passed?: boolean;
  /** Checkers only: what was wrong (or checked); the workflow hands it on as `RunOperatorInput.feedback`. */
  feedback?: string;
  /** One entry per LLM call the operator made, in call order (empty when it needed none). */
  ledger: LedgerEntry[];
  /** Stable key of (operator, prompt, inputs, problem, task type): equal keys may reuse the outcome. */
  cacheKey: string;
  /** Tolerated problems, e.g. "answer tag missing: used the last line". Empty when the format held. */
  notes: string[];
}

/** The single activity the workflow proxies for every operator node. */
export interface OperatorActivities {
  runOperator(input: RunOperatorInput): Promise<OperatorOutcome>;
}
