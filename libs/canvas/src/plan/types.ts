import type { RunOperatorInput, TextValue } from '@flowsteer/contracts';
import type { CacheEntry, CallRecord, ExecutionResult } from '../decider/state';

/**
 * The execution plan: the graph as ordered stages, with the data flow spelled out. It is data;
 * `startExecution`/`recordOutcomes` interpret it and activities do the work.
 *
 * Data flow (our semantics, documented in the README):
 * - the first call gets the problem as its input; every later call gets the previous stage's output;
 * - a parallel stage runs its branches concurrently on the same input; its output is the list of
 *   branch outputs, which a list-taking operator (ScEnsemble, Aggregate) receives whole and any
 *   other operator receives as a list to join;
 * - a checker's output text is the solution it checked (passed through, possibly corrected) and its
 *   feedback goes to the next call (Revise, a fix-branch Programmer, …);
 * - conditional `Check ? Fix : Otherwise`: Check runs; when it FAILS Fix runs on the checked
 *   solution with the check's feedback; when it passes Otherwise runs, or (`done`) the solution
 *   passes through;
 * - a loop is unrolled into `min(count, maxLoopIterations)` passes over its body, each pass fed the
 *   previous output; pass k > 1 of node X has call id `X#k`.
 */
export interface PlannedCall {
  /** Unique in the plan: the node id, plus `#k` for loop pass k > 1. */
  callId: string;
  nodeId: string;
  operator: string;
  /** The node prompt ("" when none was written). */
  prompt: string;
  /** Where the input comes from. */
  input: 'problem' | 'previous' | 'previous-list';
  /** Whether the operator takes a list whole (ensembles). */
  acceptsList: boolean;
  /** Answered by the session's director backend (a plug-in declared so); absent: the executor. */
  backend?: 'director';
  loop?: { nodeId: string; pass: number; passes: number };
}

export type Stage =
  | { kind: 'operator'; call: PlannedCall }
  | { kind: 'parallel'; nodeId: string; calls: PlannedCall[] }
  | { kind: 'conditional'; nodeId: string; check: PlannedCall; fix: PlannedCall; otherwise: PlannedCall | null };

export interface ExecutionPlan {
  /** The graph revision planned. */
  revision: number;
  dsl: string;
  stages: Stage[];
  problem: string;
  taskType: string;
  entryPoint: string | null;
  tests: string | null;
  /** The executor that answers the calls (part of every cache key); absent in pure tests. */
  executor?: string;
  /** The director backend, for calls of operators it answers (part of their cache keys). */
  director?: string;
}

/**
 * One operator activity to run: the `RunOperatorInput` of the contracts minus the executor backend
 * (the workflow adds it), plus the call id, the cache key and a summary for the activity.
 */
export type OperatorCall = Omit<RunOperatorInput, 'executorBackend'> & {
  callId: string;
  /** Which session backend answers: the director for plug-ins declared so; absent: the executor. */
  backend?: 'director';
  cacheKey: string;
  /** E.g. "node_4 Programmer" or "node_5_l0 Revise (pass 2/3)". */
  summary: string;
};

/** What the workflow hands back per call: an `OperatorOutcome` (or its core) or an error. */
export type CallResult =
  | { callId: string; outcome: { text: TextValue; passed?: boolean; feedback?: string } }
  | { callId: string; error: string };

export interface ExecutionRun {
  plan: ExecutionPlan;
  status: 'running' | 'succeeded' | 'failed';
  /** Calls to run now, concurrently (cache misses only). Empty unless running. */
  waiting: OperatorCall[];
  stage: number;
  /** Inside a conditional stage: which part runs next. */
  part: 'check' | 'fix' | 'otherwise';
  current: TextValue | TextValue[];
  /** Feedback of the checker that just ran, for the next call. */
  feedback: string | null;
  /** Outcomes of the current batch gathered so far (cache hits and returned calls). */
  resolved: Record<string, { text: TextValue; passed: boolean | null; feedback: string | null; cached: boolean; cacheKey: string }>;
  calls: CallRecord[];
  branches: ExecutionResult['branches'];
  error: string | null;
  answer: TextValue | null;
  /** The node cache the run may serve from (a copy of `CanvasState.cache`). */
  cache: Record<string, CacheEntry>;
}
