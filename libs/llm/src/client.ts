/**
 * `LlmClient.chat(req)`: one call to a named backend with bounded retries (backoff + jitter on
 * 429, 5xx, timeouts, connection errors and malformed answers), a hard timeout per attempt, a
 * per-backend concurrency limit, and a ledger entry in every result.
 */
import type { ChatRequest, ChatResult } from '@flowsteer/contracts';
import { type Backend, type BackendRegistry, loadBackendRegistry } from './config';
import { Semaphore, backoffDelay, sleep } from './concurrency';
import { LlmError, isLlmError } from './errors';
import { estimateTokens, ledgerEntry } from './ledger';
import { localChatAttempt } from './local/local-model';
import { ClassifiedAttemptError, openAICompatibleAttempt, resolveApiKey } from './openai-backend';
import { type AttemptResult, type LlmLogger, silentLogger } from './types';

export interface LlmClientOptions {
  /** Where retries and degraded behaviour are reported (no keys ever). Default: silent. */
  logger?: LlmLogger;
  /** Environment holding the API-key variables; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Jitter source, for tests. */
  random?: () => number;
}

export interface ChatCallOptions {
  /** Aborts the call (waiting, in flight or between retries) with a `cancelled` LlmError. */
  signal?: AbortSignal;
  /** Overrides the client's logger for this call (e.g. the Temporal activity logger). */
  logger?: LlmLogger;
}

export class LlmClient {
  readonly registry: BackendRegistry;
  private readonly logger: LlmLogger;
  private readonly env: NodeJS.ProcessEnv;
  private readonly random: () => number;
  private readonly limits = new Map<string, Semaphore>();

  constructor(registry: BackendRegistry = loadBackendRegistry(), options: LlmClientOptions = {}) {
    this.registry = registry;
    this.logger = options.logger ?? silentLogger;
    this.env = options.env ?? process.env;
    this.random = options.random ?? Math.random;
  }

  /**
   * Sends `req.messages` to `req.backend` (a configured name, or `@director` / `@executor`).
   * Resolves with the text and a ledger entry; rejects with an `LlmError` that names the backend,
   * the kind of failure and whether retrying later can help.
   */
  async chat(req: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResult> {
    const backend = this.registry.get(req.backend);
    validateRequest(backend.name, req);
    const logger = options.logger ?? this.logger;
    const signal = options.signal;
    const cancelled = () =>
      new LlmError(`backend "${backend.name}": call cancelled by the caller`, { backend: backend.name, kind: 'cancelled' });
    const apiKey = backend.kind === 'openai-compatible' ? resolveApiKey(backend, this.env) : undefined;

    const release = await this.limit(backend).acquire(signal, cancelled);
    const started = Date.now();
    let attempt = 0;
    try {
      for (;;) {
        attempt++;
        let retryAfterMs: number | undefined;
        try {
          const result = await this.attempt(backend, req, signal, apiKey, logger);
          return this.toResult(backend, req, result, Date.now() - started, attempt);
        } catch (err) {
          let error: LlmError;
          if (err instanceof ClassifiedAttemptError) {
            error = err.error;
            retryAfterMs = err.retryAfterMs;
          } else if (isLlmError(err)) {
            error = err;
          } else {
            error = new LlmError(`backend "${backend.name}": unexpected failure: ${String((err as Error)?.message ?? err)}`, {
              backend: backend.name,
              kind: 'bad-response',
            });
          }
          if (signal?.aborted) throw cancelled().withAttempts(attempt);
          const retriesLeft = backend.retry.maxRetries - (attempt - 1);
          if (!error.retryable || retriesLeft <= 0) {
            throw attempt > 1 ? error.withAttempts(attempt, `after ${attempt} attempts: `) : error.withAttempts(attempt);
          }
          const delay = backoffDelay(attempt, backend.retry, retryAfterMs, this.random);
          logger.warn(`${error.message}; retry ${attempt}/${backend.retry.maxRetries} in ${delay} ms`, {
            backend: backend.name,
            kind: error.kind,
            attempt,
            delayMs: delay,
          });
          try {
            await sleep(delay, signal);
          } catch {
            throw cancelled().withAttempts(attempt);
          }
        }
      }
    } finally {
      release();
    }
  }

  private limit(backend: Backend): Semaphore {
    let s = this.limits.get(backend.name);
    if (!s) {
      s = new Semaphore(backend.concurrency);
      this.limits.set(backend.name, s);
    }
    return s;
  }

  private async attempt(
    backend: Backend,
    req: ChatRequest,
    signal: AbortSignal | undefined,
    apiKey: string | undefined,
    logger: LlmLogger,
  ): Promise<AttemptResult> {
    const timeoutMs = req.timeoutMs ?? backend.timeoutMs;
    if (backend.kind === 'openai-compatible') {
      return openAICompatibleAttempt(backend, req, {
        signal: signal ?? new AbortController().signal,
        timeoutMs,
        apiKey: apiKey ?? '',
        logger,
      });
    }
    // The embedded model: abort generation on timeout or caller abort, and answer at once.
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let rejectEarly: (err: unknown) => void = () => {};
    const early = new Promise<never>((_, reject) => (rejectEarly = reject));
    early.catch(() => {});
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      rejectEarly(
        new LlmError(`backend "${backend.name}": no complete answer within ${timeoutMs} ms (hard timeout)`, {
          backend: backend.name,
          kind: 'timeout',
        }),
      );
    }, timeoutMs);
    controller.signal.addEventListener('abort', () => {
      if (!timedOut)
        rejectEarly(new LlmError(`backend "${backend.name}": call cancelled by the caller`, { backend: backend.name, kind: 'cancelled' }));
    });
    try {
      return await Promise.race([localChatAttempt(backend, req, { signal: controller.signal }), early]);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private toResult(backend: Backend, req: ChatRequest, r: AttemptResult, latencyMs: number, attempts: number): ChatResult {
    const estimated = r.promptTokens === undefined || r.completionTokens === undefined;
    const usage = estimated
      ? {
          promptTokens: estimateTokens(req.messages.map((m) => m.content).join('\n')),
          completionTokens: estimateTokens(r.text),
          estimated: true,
        }
      : { promptTokens: r.promptTokens ?? 0, completionTokens: r.completionTokens ?? 0 };
    const result: ChatResult = {
      text: r.text,
      finishReason: r.finishReason,
      ledger: ledgerEntry(backend, usage, latencyMs, attempts, req.purpose, req.model ?? backend.model),
    };
    if (r.logprobs) result.logprobs = r.logprobs;
    if (r.promptTokenIds && r.completionTokenIds) {
      result.promptTokenIds = r.promptTokenIds;
      result.completionTokenIds = r.completionTokenIds;
      if (r.completionSupport) result.completionSupport = r.completionSupport;
    }
    if (r.constrained !== undefined) result.constrained = r.constrained;
    return result;
  }
}

function validateRequest(backend: string, req: ChatRequest): void {
  const bad = (why: string) => new LlmError(`backend "${backend}": invalid request: ${why}`, { backend, kind: 'bad-request' });
  if (!Array.isArray(req.messages) || req.messages.length === 0) throw bad('messages must be a non-empty array');
  req.messages.forEach((m, i) => {
    if (!m || (m.role !== 'system' && m.role !== 'user' && m.role !== 'assistant'))
      throw bad(`messages[${i}].role must be system, user or assistant`);
    if (typeof m.content !== 'string') throw bad(`messages[${i}].content must be a string`);
  });
  if (req.maxTokens !== undefined && (!Number.isInteger(req.maxTokens) || req.maxTokens < 1))
    throw bad('maxTokens must be a positive integer');
  if (req.temperature !== undefined && !(req.temperature >= 0 && req.temperature <= 2)) throw bad('temperature must be within [0, 2]');
  if (req.topP !== undefined && !(req.topP > 0 && req.topP <= 1)) throw bad('topP must be within (0, 1]');
  if (req.timeoutMs !== undefined && !(req.timeoutMs > 0)) throw bad('timeoutMs must be positive');
  const c = req.constraint;
  if (
    c &&
    !(
      (c.kind === 'gbnf' && typeof c.grammar === 'string' && c.grammar.trim()) ||
      (c.kind === 'json-schema' && c.schema && typeof c.schema === 'object')
    )
  ) {
    throw bad('constraint must be {kind: "gbnf", grammar} or {kind: "json-schema", schema}');
  }
}
