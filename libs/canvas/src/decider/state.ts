import type { TextValue } from '@flowsteer/contracts';
import type { Action } from '../actions/types';
import type { Graph } from '../graph/types';
import type { Rejection } from '../rejection';
import type { ResolvedOptions } from './options';

/**
 * The canvas state: a fold of `CanvasEvent`s over `EMPTY_STATE`. Plain JSON throughout, so it can
 * be returned from a Temporal query and compared with `toEqual`.
 */
export type Phase = 'unopened' | 'building' | 'awaiting_prompt' | 'finished';

/** What the canvas waits for while `phase === 'awaiting_prompt'`. */
export type PendingPrompt =
  | { kind: 'add'; operator: string; position: number | null }
  | { kind: 'modify'; target: string; operator: string }
  /** A structure was inserted; its children get one prompt each, in build order. */
  | { kind: 'structure'; parentId: string; childIds: string[]; index: number };

/** One executed (or cache-served) operator call, as kept by the canvas. */
export interface CallRecord {
  /** Unique within one execution: the node id, plus `#k` for loop pass k > 1. */
  callId: string;
  nodeId: string;
  operator: string;
  cacheKey: string;
  /** Served from the node cache without running. */
  cached: boolean;
  ok: boolean;
  /** The output: whole when short, else a reference to it (a cached call refers to the same text). */
  text: TextValue | null;
  passed: boolean | null;
  feedback: string | null;
  error: string | null;
}

export interface ExecutionResult {
  /** The graph revision the execution ran on. */
  revision: number;
  ok: boolean;
  /** The workflow's answer: the output of its last step (checkers pass the solution through). */
  answer: TextValue | null;
  /** Why the execution failed (which node and what happened); null when ok. */
  error: string | null;
  calls: CallRecord[];
  /** How each conditional went: the check passed (otherwise branch / done) or failed (fix ran). */
  branches: { nodeId: string; passed: boolean; ran: 'fix' | 'otherwise' | 'done' }[];
}

/** A cached outcome, keyed in `CanvasState.cache` by call id. */
export interface CacheEntry {
  nodeId: string;
  operator: string;
  cacheKey: string;
  text: TextValue;
  passed: boolean | null;
  feedback: string | null;
}

/** One turn, as the history keeps it (feedback and the full-history prompt read it). */
export interface TurnRecord {
  /** Director turn number (1-based); human edits carry the turn they happened after. */
  turn: number;
  actor: 'director' | 'human';
  /** The director's text with thinking removed, clipped (what it "said"). */
  text: string;
  /** Short summary of the action, e.g. "add Programmer"; "invalid output" for parse errors. */
  summary: string;
  action: Action | null;
  accepted: boolean;
  rejection: Rejection | null;
  /** Notes of the parser (fallback used, extra actions ignored, …). */
  notes: string[];
  /** Set when an execution was recorded after this turn. */
  execution: { ok: boolean; answer: TextValue | null; error: string | null } | null;
}

export interface CanvasState {
  phase: Phase;
  options: ResolvedOptions;
  graph: Graph;
  pending: PendingPrompt | null;
  /** Director turns consumed (prompt and invalid turns included). */
  turn: number;
  /** Graph version: grows on every graph change; executions are recorded against it. */
  revision: number;
  /** The graph changed since the last recorded execution and is complete: run it. */
  needsExecution: boolean;
  lastExecution: ExecutionResult | null;
  /** The last successful answer produced by an answer-producing operator. */
  lastSolverResult: TextValue | null;
  cache: Record<string, CacheEntry>;
  history: TurnRecord[];
  /** Failed executions in a row (drives "try a different approach"). */
  errorStreak: number;
  /** The finish action's answer, kept for display only; scoring uses the last execution. */
  finishAnswer: string | null;
}
