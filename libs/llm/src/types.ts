import type { TokenLogprob } from '@flowsteer/contracts';

/** What one attempt against a backend produced, before accounting. */
export interface AttemptResult {
  text: string;
  finishReason: string;
  /** Undefined when the backend reported no usage (the client then estimates). */
  promptTokens?: number;
  completionTokens?: number;
  logprobs?: TokenLogprob[];
  /** With logprobs, where the backend gives them: the prompt's ids after the chat template, the completion's ids. */
  promptTokenIds?: number[];
  completionTokenIds?: number[];
  /** With logprobs, where the sampler chose among a subset of the vocabulary: that subset per completion token. */
  completionSupport?: (number[] | null)[];
  /** Whether the request's constraint was enforced (undefined when none was requested). */
  constrained?: boolean;
}

/** Where the library reports retries and degraded behaviour. Messages never contain keys. */
export interface LlmLogger {
  debug?(message: string, meta?: Record<string, unknown>): void;
  info?(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export const silentLogger: LlmLogger = { warn() {} };
