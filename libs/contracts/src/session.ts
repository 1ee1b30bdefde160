import type { PluginOperator } from './plugins';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LedgerEntry } from './llm';
import type { BenchTask } from './tasks';
import type { Trajectory } from './trajectory';
import type { FixedWorkflow } from './eval';
import type { TextValue } from './text';
import type { z } from 'zod/v4';
import type { sessionLimitsSchema } from './session-start';

/** How the director sees the session (spec §3.4): the released model's compact state, or the paper's full history. */
export type DirectorPromptMode = 'compact' | 'full-history';

/** Per-session limits; the shape is `sessionLimitsSchema` (session-start.ts). */
export type SessionLimits = z.output<typeof sessionLimitsSchema>;

export type HistoryBudget = NonNullable<SessionLimits['historyBudget']>;

/** Continue-as-new well before Temporal's own suggestion (4 MB / 4,096 events) and its 10 MB warning. */
export const DEFAULT_HISTORY_BUDGET: Required<HistoryBudget> = { maxEvents: 3_000, maxBytes: 3 * 1024 * 1024 };
export const DEFAULT_OUTAGE_BUDGET_SEC = 30 * 60;
/**
 * How long a code run or code scoring waits for a sandbox worker to take it (schedule-to-start):
 * past it no sandbox worker is polling, and the session fails saying so instead of waiting forever.
 */
export const DEFAULT_SANDBOX_START_TIMEOUT_SEC = 120;
/** The canvas's own ceiling on turns (libs/canvas options): checked at every edge. */
export const MAX_TURNS = 10_000;
/** Problems larger than this are refused at the edge (CLI, API, workflow) unless configured higher. */
export const DEFAULT_MAX_PROBLEM_BYTES = 512 * 1024;
/** Above this no session input fits Temporal's 2 MiB payload limit with room to spare. */
export const MAX_PROBLEM_BYTES_CEILING = 1024 * 1024;

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
  /**
   * Fork: start from the canvas of session `sessionId` after its director turn `turn`. The worker
   * reads that session's recorded events; clients name the session and the turn, never events.
   */
  startFrom?: { sessionId: string; turn: number };
  /** Keep the trajectory (director texts, feedback, token logprobs) for training. */
  recordTrajectory?: boolean;
  /**
   * Baseline mode: the canvas starts from this hand-written workflow, it is executed once and the
   * session finishes; no director turn is taken (turns = 0).
   */
  fixedWorkflow?: FixedWorkflow;
  /**
   * Plug-in operators of this session (the deployment's `FLOWSTEER_PLUGINS`, put here by whoever
   * starts it): the director sees them in its catalogue, the canvas accepts them, and replay and
   * fork read them from the input. The worker that runs them must declare the same ones.
   */
  plugins?: PluginOperator[];
  /** Set by the session itself when it continues as new: what the next run starts from. */
  carry?: SessionCarry;
  /**
   * The task queue of the sandbox workers that run this session's code (operator runs, scoring).
   * Default: the sandbox queue paired with the session's own queue (`sandboxQueueFor`).
   */
  sandboxTaskQueue?: string;
}

/**
 * What one run of a session hands the next when it continues as new: a compact snapshot of the
 * canvas (not its events), the references of every earlier run's stored segment, ledger totals,
 * the steering state and the outage clock. Bounded whatever the session's age.
 */
export interface SessionCarry {
  /** Index of the run that starts from this carry (the first run is 0). */
  run: number;
  /** The canvas state at the end of the previous run (libs/canvas `CanvasState`). */
  state: unknown;
  /** Stored segments of the earlier runs, oldest first (`SessionSegment` artifacts). */
  segments: string[];
  ledger: SessionLedgerTotals;
  paused: boolean;
  stopRequested: string | null;
  /** The problem (and code tests) by reference, once stored. */
  problemText?: TextValue;
  testsText?: TextValue;
  /** Transcript entries and canvas events of the earlier runs. */
  transcriptEntries: number;
  eventCount: number;
  /** Ongoing outage: when it started (ms since epoch, workflow time) and how long was waited in all. */
  outage?: { since: number; waitedMs: number; reason: string };
  /** Fork origin, kept for `show`. */
  forkedFrom?: { sessionId: string; turn: number };
}

/**
 * One run's record in the artifact store (`artifact://sessions/<id>.<first run>.run-<n>.json`): its
 * canvas events, transcript and ledger. The fold of every segment's events, in order, is the canvas.
 */
export interface SessionSegment {
  sessionId: string;
  run: number;
  /** Director turns covered: after `fromTurn` up to and including `toTurn`. */
  fromTurn: number;
  toTurn: number;
  /** The fork this session started from (segments of that session hold the turns before). */
  forkedFrom?: { sessionId: string; turn: number };
  events: unknown[];
  transcript: TranscriptEntry[];
}

export type SessionStatus =
  | 'running'
  | 'paused'
  | 'waiting-for-backend'
  | 'finished'
  | 'turn-limit'
  | 'cancelled'
  | 'backend-unavailable'
  | 'failed';

/** Statuses a session ends with (the rest are states of a running session). */
export const TERMINAL_SESSION_STATUSES: readonly SessionStatus[] = ['finished', 'turn-limit', 'cancelled', 'backend-unavailable', 'failed'];

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
  /** Canvas events the turn caused (index range into the session's whole event log). */
  eventRange: [number, number];
  ledger: LedgerEntry[];
  /** Training sample of this director turn in the artifact store (prompt, completion, tokens). */
  sampleRef?: string;
}

export interface CanvasView {
  dsl: string;
  status: SessionStatus;
  turn: number;
  maxTurns: number;
  /** The current canvas (graph, statistics, pending prompt, last execution, recent turns): bounded. */
  state: unknown;
  lastAnswer?: string;
  /** Which run of the session answers (continue-as-new chain), and the earlier runs' segments. */
  run: number;
  segments: string[];
  /** Set while the session waits for a backend. */
  waiting?: { since: number; reason: string; nextTryAt: number };
}

export interface SessionScore {
  metrics: Record<string, number>;
  /** The headline value (correctness in [0, 1]) stored in the FlowSteerScore search attribute. */
  primary: number;
  note?: string;
}

/** Token and cost sums of one role's calls, failed calls included. */
export interface LedgerSums {
  calls: number;
  failedCalls: number;
  /** Requests sent, retries included. */
  attempts: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface SessionLedgerTotals {
  /** Calls by role: the director's turns, and every operator call (plug-ins answered by the director backend included). */
  director: LedgerSums;
  executor: LedgerSums;
  /** The same calls by the backend that answered them (absent in results recorded before it existed). */
  byBackend?: Record<string, LedgerSums>;
}

/** Answers longer than this are returned as a preview plus `answerText` (the store holds the whole). */
export const RESULT_ANSWER_MAX_CHARS = 16_000;

/** The session's outcome: bounded (a few kilobytes) whatever the session's length. */
export interface SessionResult {
  sessionId: string;
  status: SessionStatus;
  /** The answer, whole up to `RESULT_ANSWER_MAX_CHARS`, else its preview. */
  answer: string;
  /** The whole answer by reference, when it is longer than `answer` shows. */
  answerText?: TextValue;
  dsl: string;
  turns: number;
  score?: SessionScore;
  ledger: SessionLedgerTotals;
  totals: { directorTokens: number; executorTokens: number; costUsd: number };
  /** Runs of the continue-as-new chain. */
  runs: number;
  /** Every run's stored segment (events, transcript, ledger), oldest first. */
  segments: string[];
  transcriptEntries: number;
  /** Reference to the stored trajectory (artifact store), when recorded. */
  trajectoryRef?: string;
  /** Why the session ended as it did, when not `finished` (e.g. the outage that ran out its budget). */
  reason?: string;
  error?: string;
  forkedFrom?: { sessionId: string; turn: number };
}

export const canvasQuery = defineQuery<CanvasView>('canvas');
/** The current run's transcript, paged: `from` is an index into the whole session's transcript. */
export const transcriptQuery = defineQuery<TranscriptPage, [TranscriptPageRequest?]>('transcript');
/** The current run's canvas events after the last stored segment (a fork reads them). */
export const runEventsQuery = defineQuery<RunEvents>('runEvents');

export interface RunEvents {
  run: number;
  segments: string[];
  /** Director turns taken before this run started. */
  fromTurn: number;
  events: unknown[];
  /** The session this one was forked from (its segments hold the turns before the fork). */
  forkedFrom?: { sessionId: string; turn: number };
}

export interface TranscriptPageRequest {
  from?: number;
  limit?: number;
}

export interface TranscriptPage {
  /** Index of `entries[0]` in the whole transcript. */
  from: number;
  entries: TranscriptEntry[];
  /** Entries in the whole transcript so far. */
  total: number;
  /** Entries before `firstInRun` live in `segments` (the store), not in this run. */
  firstInRun: number;
  segments: string[];
}

export const TRANSCRIPT_PAGE_MAX = 100;
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** A person's edit, in the director's action syntax; validated exactly like a director action. */
export const humanActionUpdate = defineUpdate<{ accepted: boolean; outcome: string }, [string]>('humanAction');

export const CANVAS_SESSION_WORKFLOW = 'canvasSession';

/** Graceful stop: the session ends after the current turn and completes with status 'cancelled'. */
export const cancelSignal = defineSignal<[string?]>('cancel');

export interface ScoreSessionInput {
  task: BenchTask;
  /** The answer, whole or by reference (the scorer reads it from the store). */
  answer: TextValue;
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
  /** Stores a JSON artifact (e.g. a run segment) and returns its reference; idempotent by (kind, id). */
  storeArtifact(input: { kind: string; id: string; content: unknown }): Promise<string>;
  /** Stores a text by content and returns how it travels (whole when short, else a reference). */
  storeText(input: { text: string }): Promise<TextValue>;
  /**
   * The canvas of session `sessionId` after director turn `turn`, folded from its stored segments
   * and its current run: a bounded snapshot for a fork to start from.
   */
  forkPoint(input: { sessionId: string; turn: number }): Promise<{ state: unknown; availableTurns: number }>;
  /** Assembles the trajectory artifact of a session from its segments' director turns. */
  writeTrajectory(input: { sessionId: string; segments: string[]; meta: Omit<Trajectory, 'turns'> }): Promise<string>;
}
