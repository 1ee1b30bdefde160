import type { LedgerEntry } from '@flowsteer/contracts';
import type { Backend, Price } from './config';

/** USD for the given token counts at per-million-token prices, rounded to 1e-10 USD. */
export function costUsd(price: Price, promptTokens: number, completionTokens: number): number {
  const raw = (promptTokens * price.inputPerMTok + completionTokens * price.outputPerMTok) / 1_000_000;
  return Math.round(raw * 1e10) / 1e10;
}

/** Rough token count for text when a backend reports no usage (~4 characters per token). */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

export function ledgerEntry(
  backend: Backend,
  usage: { promptTokens: number; completionTokens: number; estimated?: boolean },
  latencyMs: number,
  attempts: number,
  purpose?: string,
  model: string = backend.model,
): LedgerEntry {
  const entry: LedgerEntry = {
    backend: backend.name,
    model,
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
    latencyMs: Math.max(0, Math.round(latencyMs)),
    costUsd: costUsd(backend.price, usage.promptTokens, usage.completionTokens),
    attempts,
  };
  if (purpose !== undefined) entry.purpose = purpose;
  if (usage.estimated) entry.usageEstimated = true;
  return entry;
}
