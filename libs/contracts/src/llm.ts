import type { LedgerSums } from './session';
import type { TextValue } from './text';
/**
 * What crosses activity boundaries about LLM calls. Backends are referred to by name only: URLs
 * and keys stay in the worker's configuration and environment, never in payloads or histories.
 */
export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Constrains decoding where the backend can (the embedded model always can). */
export type OutputConstraint = { kind: 'gbnf'; grammar: string } | { kind: 'json-schema'; schema: Record<string, unknown> };

export interface ChatRequest {
  /** Name of a configured backend, e.g. "local" or "openai-gpt4o-mini". */
  backend: string;
  messages: ChatMessage[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  constraint?: OutputConstraint;
  /** Ask for per-token logprobs of the completion (used for training trajectories). */
  logprobs?: boolean;
  /** Free text that says why the call is made, kept in the ledger (e.g. "turn 3 director"). */
  purpose?: string;
  /** Per-attempt hard timeout in ms for this call; defaults to the backend's `timeoutMs`. */
  timeoutMs?: number;
  /**
   * Ask the endpoint for this model instead of the backend's configured one: a LoRA adapter the
   * server loaded (vLLM serves an adapter under its `lora_name`). The embedded model has no adapters.
   */
  model?: string;
}

/** One LLM call's accounting: what the caller gets back and what the session ledger sums. */
export interface LedgerEntry {
  backend: string;
  model: string;
  purpose?: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  costUsd: number;
  attempts: number;
  /** True when the backend reported no usage and the token counts are estimates (~4 chars/token). */
  usageEstimated?: boolean;
  /** The call failed: `attempts` requests were sent and no answer came back. */
  failed?: boolean;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
}

export interface ChatResult {
  text: string;
  finishReason: string;
  ledger: LedgerEntry;
  logprobs?: TokenLogprob[];
  /**
   * With `logprobs`, from backends that give them (the embedded model; OpenAI-compatible servers with
   * `capabilities.tokenIds`): the prompt's token ids exactly as the backend fed them (after its chat
   * template) and the sampled completion's ids, one per entry of `logprobs`.
   */
  promptTokenIds?: number[];
  completionTokenIds?: number[];
  /**
   * Where the sampler chose among a subset of the vocabulary (llama.cpp: the grammar's allowed tokens,
   * then top-k/top-p), the token ids it chose among, one entry per completion token (null: not
   * reported or too many); its log-probs are renormalised over that set, so the learner scores the
   * same way (apps/learner logprobs.py).
   */
  completionSupport?: (number[] | null)[];
  /**
   * Whether decoding was actually constrained by the request's `constraint` (false when the
   * backend cannot enforce it and the text is unconstrained; absent when none was asked for).
   */
  constrained?: boolean;
}

/**
 * Backend names `@director` and `@executor` stand for the worker's configured defaults, so a
 * workflow can say "the director backend" without knowing the worker's configuration.
 */
export const DIRECTOR_BACKEND_ALIAS = '@director';
export const EXECUTOR_BACKEND_ALIAS = '@executor';

/** Input of the `policyTurn` activity: the director prompt built by the canvas. */
export interface PolicyTurnInput {
  /** Director backend name; defaults to `@director` (the worker's configured director). */
  backend?: string;
  /** The policy to sample from when the server serves several: a published adapter's name. */
  model?: string;
  messages: ChatMessage[];
  /** E.g. the canvas's action grammar (GBNF) for an action turn. */
  constraint?: OutputConstraint;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  /** Ask for per-token logprobs (training rollouts); returned when the backend provides them. */
  logprobs?: boolean;
  /** Kept in the ledger, e.g. "session-x turn 3 director". */
  purpose?: string;
  /**
   * Long texts the messages refer to by placeholder (`\u0000text:<name>\u0000`), passed by
   * reference so the prompt does not carry them through the history on every turn.
   */
  texts?: Record<string, TextValue>;
  /** Store the turn as a training sample (messages, completion, log-probs) and return `sampleRef`. */
  record?: boolean;
}

export interface PolicyTurnResult {
  text: string;
  finishReason: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  ledger: LedgerEntry;
  /** Inline only when the turn was not recorded to the store (then see `sampleRef`). */
  logprobs?: TokenLogprob[];
  constrained?: boolean;
  /** The stored training sample of this turn (`record`). */
  sampleRef?: string;
}

/** The LLM activities served by the worker on the canvas task queue. */
export interface LlmActivities {
  policyTurn(input: PolicyTurnInput): Promise<PolicyTurnResult>;
  chat(req: ChatRequest): Promise<ChatResult>;
}

export function sumLedger(entries: readonly LedgerEntry[]): {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  calls: number;
} {
  return entries.reduce(
    (acc, e) => ({
      promptTokens: acc.promptTokens + e.promptTokens,
      completionTokens: acc.completionTokens + e.completionTokens,
      costUsd: acc.costUsd + e.costUsd,
      calls: acc.calls + 1,
    }),
    { promptTokens: 0, completionTokens: 0, costUsd: 0, calls: 0 },
  );
}

/** Running sums of a role's calls (failed calls counted apart), for results that stay small. */
export function addToLedgerSums(sums: LedgerSums, entries: readonly LedgerEntry[]): LedgerSums {
  return entries.reduce(
    (acc, e) => ({
      calls: acc.calls + 1,
      failedCalls: acc.failedCalls + (e.failed ? 1 : 0),
      attempts: acc.attempts + Math.max(1, e.attempts),
      promptTokens: acc.promptTokens + e.promptTokens,
      completionTokens: acc.completionTokens + e.completionTokens,
      costUsd: acc.costUsd + e.costUsd,
    }),
    sums,
  );
}

/** Sums per backend name, one entry added to the backend that answered it. */
export function addToBackendSums(
  byBackend: Readonly<Record<string, LedgerSums>>,
  entries: readonly LedgerEntry[],
): Record<string, LedgerSums> {
  const out = { ...byBackend };
  for (const e of entries) out[e.backend] = addToLedgerSums(out[e.backend] ?? EMPTY_LEDGER_SUMS, [e]);
  return out;
}

export const EMPTY_LEDGER_SUMS: LedgerSums = { calls: 0, failedCalls: 0, attempts: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
