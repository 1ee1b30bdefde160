import fc from 'fast-check';
import { EMPTY_LEDGER_SUMS, addToBackendSums, addToLedgerSums, type LedgerEntry } from './llm';

const entry: fc.Arbitrary<LedgerEntry> = fc.record({
  backend: fc.constantFrom('director', 'executor', 'vllm-policy'),
  model: fc.constant('m'),
  promptTokens: fc.nat(5_000),
  completionTokens: fc.nat(2_000),
  latencyMs: fc.nat(10_000),
  costUsd: fc.integer({ min: 0, max: 1_000 }).map((c) => c / 1_000),
  attempts: fc.integer({ min: 1, max: 5 }),
  failed: fc.boolean(),
});

describe('ledger sums by backend', () => {
  it('splits the calls by backend without losing or double-counting one, in any batching', () => {
    fc.assert(
      fc.property(fc.array(fc.array(entry, { maxLength: 6 }), { maxLength: 6 }), (batches) => {
        const byBackend = batches.reduce((acc, batch) => addToBackendSums(acc, batch), {} as Record<string, typeof EMPTY_LEDGER_SUMS>);
        const all = batches.flat();
        const total = addToLedgerSums(EMPTY_LEDGER_SUMS, all);
        const summed = Object.values(byBackend).reduce(
          (a, b) => ({
            calls: a.calls + b.calls,
            failedCalls: a.failedCalls + b.failedCalls,
            attempts: a.attempts + b.attempts,
            promptTokens: a.promptTokens + b.promptTokens,
            completionTokens: a.completionTokens + b.completionTokens,
            costUsd: a.costUsd + b.costUsd,
          }),
          EMPTY_LEDGER_SUMS,
        );
        expect({ ...summed, costUsd: Math.round(summed.costUsd * 1e6) }).toEqual({ ...total, costUsd: Math.round(total.costUsd * 1e6) });
        for (const [backend, sums] of Object.entries(byBackend)) {
          expect(sums.calls).toBe(all.filter((e) => e.backend === backend).length);
        }
      }),
    );
  });

  it('does not change the sums it was given', () => {
    const before = { executor: addToLedgerSums(EMPTY_LEDGER_SUMS, []) };
    const frozen = JSON.stringify(before);
    addToBackendSums(before, [
      { backend: 'executor', model: 'm', promptTokens: 1, completionTokens: 1, latencyMs: 1, costUsd: 0, attempts: 1 },
    ]);
    expect(JSON.stringify(before)).toBe(frozen);
  });
});
