import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LedgerEntry } from './llm';
import type { BenchTask } from './tasks';
import type { FixedWorkflow } from './eval';

/** How the director sees the session (spec §3.4): the released model's compact state, or the paper's full history. */
export type DirectorPromptMode = 'compact' | 'full-history';

export interface SessionLimits {
  /** Director calls (turns) before the session ends unfinished; the reference uses 20. */
  maxTurns: number;
  /** Per-operator activity timeout in seconds. */
  operatorTimeoutSec?: number;
  /** Per-director-turn activity timeout in seconds. */
  directorTimeoutSec?: number;
}

export interface SessionInput {
  /** The problem: text with context, task type, gold answers (scored when present), code tests. */
  task: BenchTask;
  directorBackend: string;
  executorBackend: string;
  limits: SessionLimits;
  promptMode?: DirectorPromptMode;
  /** Constrained decoding of director turns where the backend supports it (default gbnf). */
  directorConstraint?: 'none' | 'gbnf' | 'json-schema';
  /** Sampling for the director (training uses temperature > 0). */
  directorTemperature?: number;
  policyVersion?: string;
  /** The director backend's model to ask for: the published adapter of `policyVersion` (training). */
  directorModel?: string;
  /** Evaluation or training run this session belongs to (search attribute FlowSteerRun). */
  run?: string;
  /** Fork: canvas events of an earlier session to start from (turns 1..k). */
  startFrom?: { sessionId: string; turn: number; events: unknown[] };
  /** Keep the trajectory (director texts, feedback, token logprobs) for training. */
  recordTrajectory?: boolean;
  /**
   * Baseline mode: the canvas starts from this hand-written workflow, it is executed once and the
   * session finishes; no director turn is taken (turns = 0).
   */
  fixedWorkflow?: FixedWorkflow;
}

/**
 * Where a session stands. `waiting-for-backend`: a backend keeps failing and the session waits on a
 * durable timer; `backend-unavailable`: the outage budget ran out, so the session ended without an
 * honest attempt (never a score, never a reward).
 */
export type SessionStatus = 'running' | 'paused' | 'waiting-for-backend' | 'finished' | 'turn-limit' | 'cancelled' | 'backend-unavailable' | 'failed';

/** One line of the transcript: what the director (or a person) did and what the canvas answered. */
export interface TranscriptEntry {
  turn: number;
  actor: 'director' | 'human';
  /** Director text (or the person's action as text). */
  text: string;
  /** Short description of the accepted action, or the rejection reason. */
  outcome: string;
  accepted: boolean;
  /** The feedback rendered for the next turn. */
  feedback: string;
  /** Canvas events the turn caused (index range into the session's event log). */
  eventRange: [number, number];
  ledger: LedgerEntry[];
}

export interface CanvasView {
  dsl: string;
  status: SessionStatus;
  turn: number;
  maxTurns: number;
  /** The canvas state as the canvas library renders it (nodes, statistics, last result). */
  state: unknown;
  lastAnswer?: string;
}

export interface SessionScore {
  metrics: Record<string, number>;
  /** The headline value (correctness in [0, 1]) stored in the FlowSteerScore search attribute. */
  primary: number;
  note?: string;
}

export interface SessionResult {
  sessionId: string;
  status: SessionStatus;
  answer: string;
  dsl: string;
  turns: number;
  score?: SessionScore;
  ledger: { director: LedgerEntry[]; executor: LedgerEntry[] };
  totals: { directorTokens: number; executorTokens: number; costUsd: number };
  /** Every canvas event of the session, in order (the fold of these is the final canvas). */
  events: unknown[];
  transcript: TranscriptEntry[];
  /** Reference to the stored trajectory (artifact store), when recorded. */
  trajectoryRef?: string;
  error?: string;
}

export const canvasQuery = defineQuery<CanvasView>('canvas');
export const transcriptQuery = defineQuery<TranscriptEntry[]>('transcript');
export const eventsQuery = defineQuery<unknown[]>('events');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** A person's edit, in the director's action syntax; validated exactly like a director action. */
export const humanActionUpdate = defineUpdate<{ accepted: boolean; outcome: string }, [string]>('humanAction');

export const CANVAS_SESSION_WORKFLOW = 'canvasSession';

/** Graceful stop: the session ends after the current turn and completes with status 'cancelled'. */
export const cancelSignal = defineSignal<[string?]>('cancel');

export interface ScoreSessionInput {
  task: BenchTask;
  answer: string;
  /**
   * Sessions only: the verdict of the workflow's own Test operator - the last Test call of the final
   * execution (null: no Test ran). The FlowSteer-compatible code metric reads it, as the reference's
   * eval reads its Test operator's "PASS"; absent (a direct answer), the answer text is checked instead.
   */
  workflowTestPassed?: boolean | null;
}

/** Activities of the session besides the LLM and operator ones (scoring, artifact storage). */
export interface SessionActivities {
  scoreSession(input: ScoreSessionInput): Promise<SessionScore>;
  /** Stores a JSON artifact (e.g. a trajectory) and returns its reference; idempotent by (kind, id). */
  storeArtifact(input: { kind: string; id: string; content: unknown }): Promise<string>;
}
