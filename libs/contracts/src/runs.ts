import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DirectorPromptMode } from './session';
import type { EvalReportFiles, EvalRunCarry } from './eval';

/**
 * Evaluation and training runs (DESIGN §5): workflow types `evalRun` and `cwrpoTraining`, ids
 * `eval-<name>-<suffix>` and `train-<name>`, signals `pause` / `resume` / `stop`, query `progress`.
 * The REST API starts and reads them with exactly these shapes.
 */
export const EVAL_RUN_WORKFLOW = 'evalRun';
export const CWRPO_TRAINING_WORKFLOW = 'cwrpoTraining';

export interface EvalRunInput {
  /** Short name; the workflow id is `eval-<name>-<suffix>` and sessions carry it in FlowSteerRun. */
  name: string;
  /** Registry names of the benchmarks (gsm8k, math, hotpotqa, ...). */
  datasets: string[];
  /** Items sampled per dataset (seeded, stratified: `sampleTasks`). */
  perDataset: number;
  seed: number;
  director: string;
  executor: string;
  maxTurns: number;
  promptMode?: DirectorPromptMode;
  policyVersion?: string;
  /** Also run the baselines (direct executor answer, fixed workflows) for the results table. */
  baselines: boolean;
  /** Sessions running at once. */
  concurrency: number;
  /** Continue-as-new once the history has this many events (default 5000, or when the server suggests it). */
  continueAsNewAfterEvents?: number;
  /** Set by the run itself when it continues as new: finished results and where to go on. */
  carry?: EvalRunCarry;
}

export type RunPhase = 'starting' | 'running' | 'paused' | 'stopping' | 'finished' | 'stopped' | 'failed';

export interface EvalRunProgress {
  phase: RunPhase;
  /** Sessions finished so far (any outcome). */
  step: number;
  /** Sessions planned. */
  total: number;
  failed: number;
  /** Running aggregates, e.g. `{ "gsm8k.accuracy": 0.7, "meanTurns": 5.2 }`. */
  metrics: Record<string, number>;
  perDataset: Record<string, { done: number; total: number; meanScore: number | null }>;
}

export interface EvalReportRow {
  dataset: string;
  /** "flowsteer" or a baseline name. */
  method: string;
  n: number;
  /** Canonical and FlowSteer-compatible metrics side by side. */
  metrics: Record<string, number>;
}

export interface EvalReport {
  name: string;
  rows: EvalReportRow[];
  /** The results table as markdown. */
  markdown: string;
  /** Artifact reference of the full report (per-item scores), when stored. */
  reportRef?: string;
  /** The same metrics per task type (the `dataset` field holds the task type). */
  byTaskType?: EvalReportRow[];
  /** The paper's published FlowSteer numbers (spec §8.1), percent, per dataset present in the run. */
  paper?: Record<string, Record<string, number>>;
  /** Units that failed, with their reason. */
  failures?: { key: string; error: string }[];
  /** Where the report files were written. */
  files?: EvalReportFiles;
  /** Artifact references of the per-item results. */
  resultRefs?: string[];
}

export interface EvalRunResult {
  runId: string;
  status: 'finished' | 'stopped' | 'failed';
  report: EvalReport;
  error?: string;
}

/** CWRPO hyper-parameters and rollout settings; unknown keys go in `extra` and are kept. */
export interface TrainingConfig {
  datasets: string[];
  /** Rollouts per problem (G). */
  groupSize: number;
  /** Problems per learner step. */
  problemsPerStep: number;
  steps: number;
  seed: number;
  /** Director backend serving the policy being trained (LoRA hot-swap). */
  director: string;
  executor: string;
  maxTurns: number;
  baseModel?: string;
  learningRate?: number;
  klCoef?: number;
  clipEps?: number;
  temperature?: number;
  promptMode?: DirectorPromptMode;
  /** Evaluate on held-out items every N steps (0: never). */
  evalEvery?: number;
  extra?: Record<string, unknown>;
}

export interface TrainingRunInput {
  /** The workflow id is `train-<name>`. */
  name: string;
  config: TrainingConfig;
  /** Resume from this step (continue-as-new carries it). */
  startStep?: number;
}

export interface TrainingStepMetrics {
  step: number;
  /** e.g. reward mean/std, loss, kl, clipFraction, accuracy. */
  metrics: Record<string, number>;
  policyVersion?: string;
}

export interface TrainingProgress {
  phase: RunPhase;
  step: number;
  totalSteps: number;
  policyVersion?: string;
  /** Metrics of the latest step. */
  metrics: Record<string, number>;
  /** The latest steps' metrics, oldest first (bounded: the workflow keeps a window). */
  history: TrainingStepMetrics[];
}

export const evalProgressQuery = defineQuery<EvalRunProgress>('progress');
export const trainingProgressQuery = defineQuery<TrainingProgress>('progress');
/** Graceful stop of a run: no new sessions / steps; the run completes with status 'stopped'. */
export const stopSignal = defineSignal<[string?]>('stop');
