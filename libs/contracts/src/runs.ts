import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { EvalRunStart } from './run-start';
import type { LlmCalls } from './session-start';
import type { TrainingConfig } from './training-config';
import type { EvalReportFiles, EvalRunCarry } from './eval';

/**
 * Evaluation and training runs (DESIGN §5): workflow types `evalRun` and `cwrpoTraining`, ids
 * `eval-<name>-<suffix>` and `train-<name>`, signals `pause` / `resume` / `stop`, query `progress`.
 * The REST API starts and reads them with exactly these shapes.
 */
export const EVAL_RUN_WORKFLOW = 'evalRun';
export const CWRPO_TRAINING_WORKFLOW = 'cwrpoTraining';

/**
 * `evalRun`'s input: what the client gave (`evalRunStartSchema`, validated again by the workflow)
 * plus what the run sets itself.
 */
export type EvalRunInput = Omit<EvalRunStart, 'llmCalls'> & {
  /** Absent in runs started before the option (their sessions use regular activities). */
  llmCalls?: LlmCalls;
  /** Continue-as-new once the history has this many events (default 5000, or when the server suggests it). */
  continueAsNewAfterEvents?: number;
  /** Set by the run itself when it continues as new: finished results and where to go on. */
  carry?: EvalRunCarry;
};

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
  /** Who ran the sessions: the director backend (and policy version) and the executor backend. */
  backends?: { director: string; executor: string; policyVersion?: string };
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
  /** Sessions that ended `backend-unavailable` (not scored, in no mean), with the outage's reason. */
  unavailable?: { key: string; error: string }[];
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
