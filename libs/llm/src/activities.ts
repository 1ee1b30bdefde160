/**
 * The LLM activities: `policyTurn` (the director's turn) and `chat` (any call by name).
 *
 * Inside a Temporal activity they heartbeat while the call runs (when the activity has a
 * heartbeat timeout) and abort the call when the activity is cancelled. Outside an activity
 * (tests, scripts) they are plain async functions. At the boundary, failures that retrying cannot
 * fix (bad config, unknown backend, 4xx other than 429, missing model) become non-retryable
 * `ApplicationFailure`s; the others are thrown as `LlmError`s for Temporal to retry.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  type ChatRequest,
  type ChatResult,
  DIRECTOR_BACKEND_ALIAS,
  type LlmActivities,
  type PolicyTurnInput,
  type PolicyTurnResult,
} from '@flowsteer/contracts';
import { LlmClient } from './client';
import type { BackendRegistry } from './config';
import { isLlmError } from './errors';
import type { LlmLogger } from './types';

function currentActivityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

async function asActivity<T>(label: string, run: (signal: AbortSignal | undefined, logger: LlmLogger | undefined) => Promise<T>): Promise<T> {
  const ctx = currentActivityContext();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  if (ctx?.info.heartbeatTimeoutMs) {
    const every = Math.max(100, Math.min(10_000, Math.floor(ctx.info.heartbeatTimeoutMs / 3)));
    const started = Date.now();
    ctx.heartbeat({ phase: label, elapsedMs: 0 });
    heartbeat = setInterval(() => ctx.heartbeat({ phase: label, elapsedMs: Date.now() - started }), every);
  }
  const logger: LlmLogger | undefined = ctx
    ? { warn: (m, meta) => ctx.log.warn(m, meta), info: (m, meta) => ctx.log.info(m, meta), debug: (m, meta) => ctx.log.debug(m, meta) }
    : undefined;
  try {
    return await run(ctx?.cancellationSignal, logger);
  } catch (err) {
    if (ctx?.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? err;
    throw toActivityFailure(err);
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }
}

/**
 * Non-retryable `LlmError`s become `ApplicationFailure.nonRetryable` (type `LlmError.<kind>`,
 * details `[{backend, kind, retryable, status, attempts, message}]`); retryable ones stay `LlmError`s.
 */
export function toActivityFailure(err: unknown): unknown {
  if (!isLlmError(err) || err.retryable) return err;
  return ApplicationFailure.create({
    message: err.message,
    type: `LlmError.${err.kind}`,
    nonRetryable: true,
    details: [err.toJSON()],
  });
}

export function createLlmActivities(registryOrClient?: BackendRegistry | LlmClient): LlmActivities {
  const client = registryOrClient instanceof LlmClient ? registryOrClient : new LlmClient(registryOrClient);

  async function chat(req: ChatRequest): Promise<ChatResult> {
    return asActivity('chat', (signal, logger) => client.chat(req, { signal, logger }));
  }

  async function policyTurn(input: PolicyTurnInput): Promise<PolicyTurnResult> {
    return asActivity('policyTurn', async (signal, logger) => {
      const result = await client.chat(
        {
          backend: input.backend ?? DIRECTOR_BACKEND_ALIAS,
          ...(input.model ? { model: input.model } : {}),
          messages: input.messages,
          constraint: input.constraint,
          temperature: input.temperature,
          topP: input.topP,
          maxTokens: input.maxTokens,
          stop: input.stop,
          seed: input.seed,
          logprobs: input.logprobs,
          purpose: input.purpose ?? 'policy turn',
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
      if (result.logprobs) out.logprobs = result.logprobs;
      if (result.constrained !== undefined) out.constrained = result.constrained;
      return out;
    });
  }

  return { policyTurn, chat };
}
