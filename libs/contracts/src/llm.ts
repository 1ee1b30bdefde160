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
export type OutputConstraint =
  | { kind: 'gbnf'; grammar: string }
  | { kind: 'json-schema'; schema: Record<string, unknown> };

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
}

export function sumLedger(entries: readonly LedgerEntry[]): { promptTokens: number; completionTokens: number; costUsd: number; calls: number } {
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
