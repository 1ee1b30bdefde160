import type { BenchTask, BenchTaskType } from './tasks';
import type { LedgerEntry } from './llm';
import type { EvalReport } from './runs';
import type { SessionResult, SessionScore } from './session';

/**
 * The evaluation run's own data (the `evalRun` workflow and its activities). The run's input,
 * progress and report shapes are in runs.ts; these are the pieces between workflow and worker.
 */

/** How an item was answered: FlowSteer sessions, or one of the baselines. */
export type EvalMethod = 'flowsteer' | 'fixed' | 'direct';
export const EVAL_METHODS: readonly EvalMethod[] = ['direct', 'fixed', 'flowsteer'];

/** One (item, method) outcome: small enough to keep thousands of them in a workflow. */
export interface EvalItemResult {
  /** `<method>/<dataset>/<item id>`: the run's idempotency key for the unit. */
  key: string;
  method: EvalMethod;
  dataset: string;
  taskType: BenchTaskType;
  itemId: string;
  /** False when the session or the call failed (counted as a failure, scored as 0 nowhere). */
  ok: boolean;
  sessionId?: string;
  status?: string;
  /** Headline correctness in [0, 1] (F1 for QA, accuracy elsewhere); absent when not scored. */
  primary?: number;
  /** Canonical metrics (unprefixed) and the `lenient_*`, `symbolic_*` and `flowsteer_*` families, each in [0, 1]. */
  metrics: Record<string, number>;
  turns: number;
  directorTokens: number;
  executorTokens: number;
  costUsd: number;
  /** The answer, clipped to 300 characters. */
  answer?: string;
  error?: string;
  note?: string;
}

/** A dataset's sample as the run plans it. */
export interface EvalDatasetPlan {
  dataset: string;
  /** Items in the sample (perDataset, or the whole dataset when smaller). */
  total: number;
  /** Records the loader skipped (malformed lines), as `file:line: message`, first few only. */
  skipped: string[];
  skippedCount: number;
}

/** State carried across continue-as-new: finished results (stored as artifact parts) and the cursor. */
export interface EvalRunCarry {
  /** Artifact references of the finished results, in order (parts of at most a few hundred items). */
  resultRefs: string[];
  /** Position of the first item not yet started: dataset index and offset in its sample. */
  cursor: { dataset: number; offset: number };
  plan: EvalDatasetPlan[];
  /** How many times the run has continued as new. */
  generation: number;
}

/** A hand-written workflow the canvas starts from (baseline "fixed"): no director, executed once. */
export interface FixedWorkflow {
  /** DSL text, e.g. `Plan -> Custom -> Review ? Revise : done -> Format`. */
  dsl: string;
  /** Node prompts by operator name (every node of that operator gets it); nodes without one keep the operator's default. */
  prompts?: Record<string, string>;
}

export interface DirectAnswerInput {
  task: BenchTask;
  executorBackend: string;
}

export interface DirectAnswerResult {
  answer: string;
  score?: SessionScore;
  ledger: LedgerEntry;
}

/** A session's result without its events and transcript. */
export type SessionSummary = Pick<SessionResult, 'sessionId' | 'status' | 'answer' | 'turns' | 'score' | 'totals' | 'error'>;

export interface EvalReportFiles {
  dir: string;
  markdown: string;
  json: string;
  svg: string;
}

/** Activities the `evalRun` workflow uses besides the session ones (scoring, artifacts). */
export interface EvalActivities {
  /** Loads and samples each dataset (seeded, stratified) and says how many items each gives. */
  planEval(input: { datasets: string[]; perDataset: number; seed: number }): Promise<EvalDatasetPlan[]>;
  /** Items `offset .. offset+limit` of a dataset's sample (the same sample on every call). */
  evalTasks(input: { dataset: string; perDataset: number; seed: number; offset: number; limit: number }): Promise<BenchTask[]>;
  /** Baseline: the executor answers in one call; scored by the session scorer. */
  directAnswer(input: DirectAnswerInput): Promise<DirectAnswerResult>;
  /**
   * The outcome of a session that already exists (a run restarted under the same id finds its
   * earlier children through the id reuse policy): waits for it and returns its summary.
   */
  sessionOutcome(input: { workflowId: string }): Promise<SessionSummary>;
  /** Reads back a JSON artifact written by `storeArtifact`. */
  loadArtifact(input: { ref: string }): Promise<unknown>;
  /** Writes `report.md`, `report.json` and `report.svg` under the reports folder, in `<run>/`. */
  writeEvalReport(input: { runId: string; report: EvalReport; resultRefs: string[] }): Promise<EvalReportFiles>;
}
