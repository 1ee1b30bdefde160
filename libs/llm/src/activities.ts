/**
 * The LLM activities: `policyTurn` (the director's turn) and `chat` (any call by name).
 *
 * Inside a Temporal activity they heartbeat while the call runs (when the activity has a
 * heartbeat timeout) and abort the call when the activity is cancelled. Outside an activity
 * (tests, scripts) they are plain async functions. At the boundary, failures that retrying cannot
 * fix (bad config, unknown backend, 4xx other than 429, missing model) become non-retryable
 * `ApplicationFailure`s; the others are thrown as `LlmError`s for Temporal to retry.
 */
import { activityContext, withHeartbeat } from '@flowsteer/temporal-runtime/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  type ChatRequest,
  type ChatMessage,
  type ChatResult,
  DIRECTOR_BACKEND_ALIAS,
  type LedgerEntry,
  type LlmActivities,
  type PolicyTurnInput,
  type PolicyTurnResult,
  type TextValue,
  textPlaceholder,
} from '@flowsteer/contracts';
import { LlmClient } from './client';
import type { BackendRegistry } from './config';
import { LlmError, isLlmError } from './errors';
import type { LlmLogger } from './types';

async function asActivity<T>(
  label: string,
  run: (signal: AbortSignal | undefined, logger: LlmLogger | undefined) => Promise<T>,
  failure: { final?: boolean; purpose?: string } = {},
): Promise<T> {
  const ctx = activityContext();
  const logger: LlmLogger | undefined = ctx
    ? { warn: (m, meta) => ctx.log.warn(m, meta), info: (m, meta) => ctx.log.info(m, meta), debug: (m, meta) => ctx.log.debug(m, meta) }
    : undefined;
  const started = Date.now();
  try {
    return await withHeartbeat(
      () => ({ phase: label, elapsedMs: Date.now() - started }),
      () => run(ctx?.cancellationSignal, logger),
    );
  } catch (err) {
    if (ctx?.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? err;
    throw toActivityFailure(err, { ...failure, latencyMs: Date.now() - started });
  }
}

/**
 * Every `LlmError` becomes an `ApplicationFailure` of type `LlmError.<kind>` whose details carry the
 * error as plain data (`{backend, kind, retryable, status, attempts, message}`) and a ledger entry
 * for the failed call (requests actually sent, no tokens), so the workflow can tell an outage from
 * a bad request and count every request. Kinds that retrying cannot fix are non-retryable; with
 * `final`, every kind is (the client already retried: the workflow decides what happens next).
 */
export function toActivityFailure(err: unknown, options: { final?: boolean; purpose?: string; latencyMs?: number } = {}): unknown {
  if (!isLlmError(err)) return err;
  const failedCall: LedgerEntry = {
    backend: err.backend,
    model: '',
    promptTokens: 0,
    completionTokens: 0,
    latencyMs: Math.max(0, Math.round(options.latencyMs ?? 0)),
    costUsd: 0,
    attempts: Math.max(1, err.attempts),
    failed: true,
    ...(options.purpose !== undefined ? { purpose: options.purpose } : {}),
  };
  return ApplicationFailure.create({
    message: err.message,
    type: `LlmError.${err.kind}`,
    nonRetryable: options.final === true || !err.retryable,
    details: [{ ...err.toJSON(), ledger: [failedCall] }],
  });
}

/** The part of the artifact store (libs/artifacts) the policy turn uses. */
export interface PolicyTurnStore {
  readText(value: TextValue): Promise<string>;
  putJsonBlob(content: unknown): Promise<string>;
}

/**
 * The LLM activities. With a store, `policyTurn` expands the placeholders of texts that travelled
 * by reference and, when asked to record the turn, stores the training sample (the messages as
 * sent, the completion and its per-token log-probs) and returns only its reference.
 */
export function createLlmActivities(
  registryOrClient?: BackendRegistry | LlmClient,
  options: { store?: PolicyTurnStore } = {},
): LlmActivities {
  const client = registryOrClient instanceof LlmClient ? registryOrClient : new LlmClient(registryOrClient);
  const store = options.store;

  async function expand(input: PolicyTurnInput): Promise<ChatMessage[]> {
    const names = Object.keys(input.texts ?? {});
    if (names.length === 0) return input.messages;
    if (!store)
      throw new LlmError('policyTurn: the prompt refers to stored texts but this worker has no artifact store', {
        backend: input.backend ?? DIRECTOR_BACKEND_ALIAS,
        kind: 'config',
      });
    const whole = new Map<string, string>();
    for (const name of names)
      whole.set(textPlaceholder(name), await store.readText((input.texts as Record<string, TextValue>)[name] as TextValue));
    return input.messages.map((m) => {
      let content = m.content;
      for (const [placeholder, text] of whole) content = content.split(placeholder).join(text);
      return { ...m, content };
    });
  }

  async function chat(req: ChatRequest): Promise<ChatResult> {
    return asActivity('chat', (signal, logger) => client.chat(req, { signal, logger }));
  }

  async function policyTurn(input: PolicyTurnInput): Promise<PolicyTurnResult> {
    const purpose = input.purpose ?? 'policy turn';
    return asActivity(
      'policyTurn',
      async (signal, logger) => {
        const messages = await expand(input);
        const result = await client.chat(
          {
            backend: input.backend ?? DIRECTOR_BACKEND_ALIAS,
            ...(input.model ? { model: input.model } : {}),
            messages,
            constraint: input.constraint,
            temperature: input.temperature,
            topP: input.topP,
            maxTokens: input.maxTokens,
            stop: input.stop,
            seed: input.seed,
            logprobs: input.logprobs,
            purpose,
          },
          { signal, logger },
        );
        const out: PolicyTurnResult = {
          text: result.text,
          finishReason: result.finishReason,
          promptTokens: result.ledger.promptTokens,
          completionTokens: result.ledger.completionTokens,
          latencyMs: result.ledger.latencyMs,
          ledger: result.ledger,
        };
        if (result.constrained !== undefined) out.constrained = result.constrained;
        if (input.record && store) {
          out.sampleRef = await store.putJsonBlob({
            messages,
            completion: result.text,
            finishReason: result.finishReason,
            ...(result.logprobs ? { logprobs: result.logprobs } : {}),
            ...(result.promptTokenIds && result.completionTokenIds
              ? { promptTokenIds: result.promptTokenIds, completionTokenIds: result.completionTokenIds }
              : {}),
            ...(result.completionSupport ? { completionSupport: result.completionSupport } : {}),
            backend: result.ledger.backend,
            model: result.ledger.model,
          });
        } else if (result.logprobs) {
          out.logprobs = result.logprobs;
        }
        return out;
      },
      { final: true, purpose },
    );
  }

  return { policyTurn, chat };
}
