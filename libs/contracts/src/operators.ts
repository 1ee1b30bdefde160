/**
 * What crosses the `runOperator` activity boundary: one canvas node executed on the executor LLM.
 * The workflow builds a `RunOperatorInput` per node from the canvas execution plan; the operators
 * library answers with an `OperatorOutcome`. Backends are referred to by name only.
 */
import type { LedgerEntry } from './llm';
import type { CodeRunRequest, CodeRunResult } from './sandbox';
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
  /**
   * Set when the workflow re-invokes an operator that suspended for a code run: its journal and the
   * run's result. The operator replays the journal (no LLM call is repeated) and goes on from there.
   */
  resume?: OperatorResume;
}

/** One thing an operator did, kept so a re-invocation can replay it instead of doing it again. */
export type OperatorJournalEntry =
  | { kind: 'llm'; text: string; ledger: LedgerEntry }
  | { kind: 'code'; result: CodeRunResult }
  /** A random value the operator drew (a verdict nonce), so a resumed operator draws the same one. */
  | { kind: 'secret'; value: string };

/** Everything an operator did so far, in order; inline, or by reference in the artifact store (`ref`). */
export type OperatorJournal = { entries: OperatorJournalEntry[] } | { ref: string };

/** A code run's request or result, inline or (when large) by reference in the artifact store. */
export type CodeRunRequestValue = CodeRunRequest | { ref: string };
export type CodeRunResultValue = CodeRunResult | { ref: string };

export interface OperatorResume {
  journal: OperatorJournal;
  /** The result of the run the operator asked for, appended to the journal before replaying. */
  result: CodeRunResultValue;
}

/**
 * An operator that needs code run: candidate code never runs on the canvas worker, so the
 * operator stops here and the workflow runs `request` with the `runCode` activity on the sandbox
 * task queue, then calls the operator again with `resume` = this journal plus the result.
 */
export interface OperatorSuspension {
  suspended: true;
  operator: string;
  nodeId: string;
  /** What the step is, e.g. "run 1" or "problem tests"; shown in the activity summary. */
  step: string;
  request: CodeRunRequestValue;
  journal: OperatorJournal;
  /** The LLM calls made by this invocation only (replayed ones were counted before). */
  ledger: LedgerEntry[];
}

export function isOperatorSuspension(value: OperatorOutcome | OperatorSuspension): value is OperatorSuspension {
  return (value as OperatorSuspension).suspended === true;
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
  /**
   * One entry per LLM call the operator made in this invocation, in call order (empty when it needed
   * none); calls made before a suspension were reported with the suspension.
   */
  ledger: LedgerEntry[];
  /** Stable key of (operator, prompt, inputs, problem, task type): equal keys may reuse the outcome. */
  cacheKey: string;
  /** Tolerated problems, e.g. "answer tag missing: used the last line". Empty when the format held. */
  notes: string[];
}

/** The single activity the workflow proxies for every operator node (on the canvas queue). */
export interface OperatorActivities {
  runOperator(input: RunOperatorInput): Promise<OperatorOutcome | OperatorSuspension>;
}

/** The code-execution activity of sandbox workers (the sandbox task queue only). */
export interface CodeActivities {
  runCode(request: CodeRunRequestValue): Promise<CodeRunResultValue>;
}
