/**
 * One attempt against an OpenAI-compatible endpoint through the `openai` SDK. The SDK's own
 * retries are off (the client retries with its own policy and counts attempts) and the SDK's
 * timeout only covers the response headers, so the hard per-attempt timeout is ours: an abort
 * that also cuts a slow body.
 */
import OpenAI from 'openai';
import type { ChatRequest } from '@flowsteer/contracts';
import { type OpenAICompatibleBackend, safeOrigin } from './config';
import { LlmError, clip, redact } from './errors';
import type { AttemptResult, LlmLogger } from './types';

/** Sent as the bearer token to endpoints that need none (vLLM, Ollama, llama.cpp ...). */
const NO_KEY = 'no-key';

const sdkClients = new Map<string, { key: string; client: OpenAI }>();

function sdkClient(backend: OpenAICompatibleBackend, apiKey: string): OpenAI {
  const cacheKey = `${backend.name}\u0000${backend.baseURL}`;
  const cached = sdkClients.get(cacheKey);
  if (cached && cached.key === apiKey) return cached.client;
  const client = new OpenAI({
    apiKey,
    baseURL: backend.baseURL,
    // Explicit, so that OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_BASE_URL of the environment never leak in.
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: backend.timeoutMs,
    logLevel: 'off',
  });
  sdkClients.set(cacheKey, { key: apiKey, client });
  return client;
}

/** The key from the backend's env var; a clear config error when the variable is unset. */
export function resolveApiKey(backend: OpenAICompatibleBackend, env: NodeJS.ProcessEnv = process.env): string {
  if (!backend.apiKeyEnv) return NO_KEY;
  const key = env[backend.apiKeyEnv];
  if (!key) {
    throw new LlmError(`backend "${backend.name}": environment variable ${backend.apiKeyEnv} (its API key) is not set in this process`, {
      backend: backend.name,
      kind: 'config',
    });
  }
  return key;
}

export function buildRequestBody(
  backend: OpenAICompatibleBackend,
  req: ChatRequest,
  logger?: LlmLogger,
): { body: Record<string, unknown>; constrained?: boolean } {
  const body: Record<string, unknown> = {
    model: req.model ?? backend.model,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
  };
  const temperature = req.temperature ?? backend.sampling.temperature;
  const topP = req.topP ?? backend.sampling.topP;
  const maxTokens = req.maxTokens ?? backend.sampling.maxTokens;
  if (temperature !== undefined) body.temperature = temperature;
  if (topP !== undefined) body.top_p = topP;
  if (maxTokens !== undefined) body[backend.capabilities.maxTokensField ?? 'max_tokens'] = maxTokens;
  if (req.stop && req.stop.length > 0) body.stop = req.stop;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.logprobs && backend.capabilities.logprobs) body.logprobs = true;
  if (req.logprobs && backend.capabilities.tokenIds) body.return_token_ids = true;

  let constrained: boolean | undefined;
  const c = req.constraint;
  if (c?.kind === 'json-schema') {
    constrained = backend.capabilities.jsonSchema;
    if (constrained) body.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: c.schema, strict: true } };
  } else if (c?.kind === 'gbnf') {
    const mode = backend.capabilities.grammar;
    constrained = mode !== 'none';
    if (mode === 'llama-cpp') body.grammar = c.grammar;
    else if (mode === 'vllm') body.structured_outputs = { grammar: c.grammar };
    else if (mode === 'vllm-legacy') body.guided_grammar = c.grammar;
  }
  if (constrained === false) {
    logger?.warn(`backend "${backend.name}" cannot enforce a ${c?.kind} constraint; the output is unconstrained`, {
      backend: backend.name,
    });
  }
  return { body, constrained };
}

interface ClassifiedError {
  error: LlmError;
  retryAfterMs?: number;
}

/** One attempt. Throws `ClassifiedAttemptError` (an LlmError plus an optional Retry-After). */
export async function openAICompatibleAttempt(
  backend: OpenAICompatibleBackend,
  req: ChatRequest,
  opts: { signal: AbortSignal; timeoutMs: number; apiKey: string; logger?: LlmLogger },
): Promise<AttemptResult> {
  const { body, constrained } = buildRequestBody(backend, req, opts.logger);
  const client = sdkClient(backend, opts.apiKey);
  const controller = new AbortController();
  let timedOut = false;
  let rejectAbort: (err: unknown) => void = () => {};
  const aborted = new Promise<never>((_, reject) => (rejectAbort = reject));
  aborted.catch(() => {});
  const onCallerAbort = () => {
    controller.abort();
    rejectAbort(new Error('aborted'));
  };
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
    rejectAbort(new Error('timeout'));
  }, opts.timeoutMs);
  if (opts.signal.aborted) onCallerAbort();
  else opts.signal.addEventListener('abort', onCallerAbort, { once: true });

  try {
    const call = client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, {
      signal: controller.signal,
      // A little longer than ours, so that our timer (which also covers the body) decides.
      timeout: opts.timeoutMs + 1000,
      maxRetries: 0,
    });
    const response: unknown = await Promise.race([call, aborted]);
    return parseCompletion(backend, response, constrained, Boolean(req.logprobs && backend.capabilities.logprobs), opts.apiKey);
  } catch (err) {
    if (err instanceof ClassifiedAttemptError) throw err;
    const classified = classify(backend, err, {
      timedOut,
      callerAborted: opts.signal.aborted,
      timeoutMs: opts.timeoutMs,
      apiKey: opts.apiKey,
    });
    throw new ClassifiedAttemptError(classified);
  } finally {
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onCallerAbort);
  }
}

export class ClassifiedAttemptError extends Error {
  readonly error: LlmError;
  readonly retryAfterMs?: number;
  constructor(c: ClassifiedError) {
    super(c.error.message);
    this.error = c.error;
    this.retryAfterMs = c.retryAfterMs;
  }
}

function where(backend: OpenAICompatibleBackend): string {
  return `backend "${backend.name}" (${backend.model} at ${safeOrigin(backend.baseURL)})`;
}

function parseCompletion(
  backend: OpenAICompatibleBackend,
  response: unknown,
  constrained: boolean | undefined,
  wantLogprobs: boolean,
  apiKey: string,
): AttemptResult {
  const bad = (why: string) =>
    new ClassifiedAttemptError({
      error: new LlmError(redact(`${where(backend)}: unusable response: ${why}`, [apiKey]), {
        backend: backend.name,
        kind: 'bad-response',
      }),
    });
  if (typeof response === 'string') throw bad(`not JSON: ${clip(redact(response, [apiKey]), 200) || '(empty body)'}`);
  if (!response || typeof response !== 'object') throw bad('empty body');
  const r = response as {
    choices?: Array<{
      message?: { content?: unknown };
      finish_reason?: unknown;
      logprobs?: { content?: Array<{ token?: unknown; logprob?: unknown }> | null } | null;
      token_ids?: unknown;
      prompt_token_ids?: unknown;
    }>;
    prompt_token_ids?: unknown;
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
    error?: unknown;
  };
  if (r.error) throw bad(`error object in a 200 answer: ${clip(redact(JSON.stringify(r.error), [apiKey]), 200)}`);
  const choice = Array.isArray(r.choices) ? r.choices[0] : undefined;
  if (!choice || typeof choice !== 'object' || !choice.message || typeof choice.message !== 'object') throw bad('no choices[0].message');
  const content = choice.message.content;
  if (content !== null && content !== undefined && typeof content !== 'string') throw bad('choices[0].message.content is not a string');
  const result: AttemptResult = {
    text: typeof content === 'string' ? content : '',
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : 'unknown',
  };
  const pt = r.usage?.prompt_tokens;
  const ct = r.usage?.completion_tokens;
  if (typeof pt === 'number' && typeof ct === 'number') {
    result.promptTokens = pt;
    result.completionTokens = ct;
  }
  if (wantLogprobs && Array.isArray(choice.logprobs?.content)) {
    result.logprobs = choice.logprobs.content
      .filter((t) => typeof t?.token === 'string' && typeof t?.logprob === 'number')
      .map((t) => ({ token: t.token as string, logprob: t.logprob as number }));
    // vLLM's `return_token_ids`: prompt ids at the top level (or per choice), completion ids per choice
    const promptIds = tokenIdList(r.prompt_token_ids) ?? tokenIdList(choice.prompt_token_ids);
    const completionIds = tokenIdList(choice.token_ids);
    if (backend.capabilities.tokenIds && promptIds && completionIds && completionIds.length === result.logprobs.length) {
      result.promptTokenIds = promptIds;
      result.completionTokenIds = completionIds;
    }
  }
  if (constrained !== undefined) result.constrained = constrained;
  return result;
}

function classify(
  backend: OpenAICompatibleBackend,
  err: unknown,
  ctx: { timedOut: boolean; callerAborted: boolean; timeoutMs: number; apiKey: string },
): ClassifiedError {
  const make = (kind: LlmError['kind'], message: string, status?: number) =>
    new LlmError(redact(`${where(backend)}: ${message}`, [ctx.apiKey]), { backend: backend.name, kind, status });
  if (ctx.timedOut) return { error: make('timeout', `no complete answer within ${ctx.timeoutMs} ms (hard timeout)`) };
  if (ctx.callerAborted) return { error: make('cancelled', 'call cancelled by the caller') };

  const e = err as { status?: unknown; message?: unknown; headers?: unknown; name?: unknown; cause?: unknown } | undefined;
  // Scrub before anything is clipped, so that no cut-off piece of a key survives.
  const msg = redact(typeof e?.message === 'string' ? e.message : String(err), [ctx.apiKey]);
  const status = typeof e?.status === 'number' ? e.status : undefined;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return { error: make('timeout', `request timed out after ${ctx.timeoutMs} ms`) };
  if (err instanceof OpenAI.APIUserAbortError) return { error: make('cancelled', 'call cancelled by the caller') };
  if (err instanceof OpenAI.APIConnectionError || (err instanceof OpenAI.APIError && status === undefined)) {
    const cause = e?.cause as { message?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
    const detail = [cause?.code, cause?.cause?.code, cause?.cause?.message ?? cause?.message]
      .filter((x) => typeof x === 'string')
      .join(' ');
    return { error: make('connection', `connection failed${detail ? `: ${clip(detail, 200)}` : ''}`) };
  }
  if (status !== undefined) {
    const serverMsg = clip(msg.replace(/^\d{3}\s*/, ''), 300);
    const retryAfterMs = readRetryAfter(e?.headers);
    if (status === 429) return { error: make('rate-limit', `HTTP 429 rate limited: ${serverMsg}`, status), retryAfterMs };
    if (status === 401 || status === 403) {
      const hint = backend.apiKeyEnv ? ` (check the key in $${backend.apiKeyEnv})` : ' (this backend has no apiKeyEnv configured)';
      return { error: make('auth', `HTTP ${status} not authorised${hint}: ${serverMsg}`, status) };
    }
    if (status === 408 || status === 409 || status >= 500)
      return { error: make('server', `HTTP ${status} server error: ${serverMsg}`, status), retryAfterMs };
    return { error: make('bad-request', `HTTP ${status} request rejected: ${serverMsg}`, status) };
  }
  if (err instanceof SyntaxError || e?.name === 'SyntaxError')
    return { error: make('bad-response', `malformed JSON in the answer: ${clip(msg, 200)}`) };
  if (/terminated|socket|ECONNRESET|ECONNREFUSED|EPIPE|other side closed|fetch failed|network/i.test(msg)) {
    return { error: make('connection', `connection failed while reading the answer: ${clip(msg, 200)}`) };
  }
  return { error: make('bad-response', `unexpected failure: ${clip(msg, 200)}`) };
}

function readRetryAfter(headers: unknown): number | undefined {
  const get = (name: string): string | null | undefined => {
    if (!headers) return undefined;
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
    const v = (headers as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : undefined;
  };
  const ms = get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const s = get('retry-after');
  if (!s) return undefined;
  if (Number.isFinite(Number(s))) return Number(s) * 1000;
  const date = Date.parse(s);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function tokenIdList(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((v) => Number.isInteger(v) && v >= 0) ? (value as number[]) : undefined;
}
