import fc from 'fast-check';
import { batchLoss, clippedSurrogate, k3Kl, reinforceTrajectoryLoss, tokenRatio, trajectoryLoss } from './loss';

describe('token pieces', () => {
  it('ratio is exp of the log-prob difference', () => {
    expect(tokenRatio(-1, -1)).toBe(1);
    expect(tokenRatio(-0.5, -1)).toBeCloseTo(Math.exp(0.5), 15);
  });

  it('clipped surrogate: the pessimistic of r·A and clip(r)·A', () => {
    expect(clippedSurrogate(1.5, 2, 0.2)).toBeCloseTo(2.4, 12); // clipped at 1.2 for A > 0
    expect(clippedSurrogate(0.5, 2, 0.2)).toBeCloseTo(1.0, 12); // below the range: unclipped r·A is smaller
    expect(clippedSurrogate(0.5, -2, 0.2)).toBeCloseTo(-1.6, 12); // clipped at 0.8 for A < 0
    expect(clippedSurrogate(1.5, -2, 0.2)).toBeCloseTo(-3.0, 12); // above the range: unclipped is smaller
    expect(clippedSurrogate(1.1, 2, 0.2)).toBeCloseTo(2.2, 12);
  });

  it('k3 KL is 0 when the policies agree and e^d − d − 1 otherwise', () => {
    expect(k3Kl(-1.3, -1.3)).toBe(0);
    expect(k3Kl(-1, -2)).toBeCloseTo(Math.exp(-1), 12);
    expect(k3Kl(-2, -1)).toBeCloseTo(Math.E - 2, 12);
  });

  it('k3 is never negative', () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 0, noNaN: true }), fc.double({ min: -20, max: 0, noNaN: true }), (a, b) => {
        expect(k3Kl(a, b)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('the surrogate never exceeds r·A nor clip(r)·A', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (r, a) => {
        const s = clippedSurrogate(r, a, 0.2);
        expect(s).toBeLessThanOrEqual(r * a + 1e-12);
        expect(s).toBeLessThanOrEqual(Math.min(Math.max(r, 0.8), 1.2) * a + 1e-12);
      }),
    );
  });
});

describe('trajectoryLoss', () => {
  it('averages over masked tokens only and subtracts β·KL', () => {
    const r = trajectoryLoss(
      { newLogprobs: [-9, -1, -1], oldLogprobs: [0, -1, -1], refLogprobs: [0, -1, -2], mask: [0, 1, 1], advantage: 0.5 },
      { clipEpsilon: 0.2, klBeta: 0.1 },
    );
    // ratios 1, 1 → surrogate 0.5; KL tokens 0 and e^-1 → mean e^-1 / 2
    expect(r.surrogate).toBeCloseTo(0.5, 12);
    expect(r.kl).toBeCloseTo(Math.exp(-1) / 2, 12);
    expect(r.loss).toBeCloseTo(-(0.5 - 0.1 * (Math.exp(-1) / 2)), 12);
    expect(r.maskedTokens).toBe(2);
    expect(r.clippedFraction).toBe(0);
  });

  it('gives 0 for a trajectory without director tokens and ignores unmasked tokens entirely', () => {
    expect(trajectoryLoss({ newLogprobs: [-1], oldLogprobs: [-5], mask: [0], advantage: 3 }).loss).toBe(0);
  });

  it('counts the tokens whose ratio left the clip range', () => {
    const r = trajectoryLoss({ newLogprobs: [-0.1, -1, -3], oldLogprobs: [-1, -1, -1], mask: [1, 1, 1], advantage: 1 });
    expect(r.clippedFraction).toBeCloseTo(2 / 3, 12);
  });

  it('rejects misaligned arrays and masks that are not 0/1', () => {
    expect(() => trajectoryLoss({ newLogprobs: [-1], oldLogprobs: [-1, -1], mask: [1], advantage: 1 })).toThrow(
      'oldLogprobs has 2 entries but mask has 1: one entry per token',
    );
    expect(() => trajectoryLoss({ newLogprobs: [-1], oldLogprobs: [-1], mask: [0.5], advantage: 1 })).toThrow(/mask\[0\] is 0.5/);
  });

  it('at the sampling policy (new = old = ref) the loss is −A', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -10, max: 0, noNaN: true }), fc.constantFrom(0, 1)), { minLength: 1, maxLength: 20 }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (tokens, advantage) => {
          const lp = tokens.map(([l]) => l);
          const mask = tokens.map(([, m]) => m);
          const r = trajectoryLoss({ newLogprobs: lp, oldLogprobs: lp, refLogprobs: lp, mask, advantage });
          const any = mask.some((m) => m === 1);
          expect(r.loss).toBeCloseTo(any ? -advantage : 0, 12);
        },
      ),
    );
  });
});

describe('batchLoss', () => {
  it('is the mean of the trajectory losses, counting every trajectory', () => {
    const a = { newLogprobs: [-1], oldLogprobs: [-1], mask: [1], advantage: 1 };
    const b = { newLogprobs: [-1], oldLogprobs: [-1], mask: [1], advantage: -0.5 };
    const c = { newLogprobs: [-1], oldLogprobs: [-1], mask: [0], advantage: 2 };
    expect(batchLoss([a, b, c]).loss).toBeCloseTo((-1 + 0.5 + 0) / 3, 12);
    expect(batchLoss([]).loss).toBe(0);
  });
});

describe('reinforceTrajectoryLoss (reference code)', () => {
  it('is −A times the mean masked log-prob', () => {
    expect(reinforceTrajectoryLoss({ newLogprobs: [-100, -1, -3], mask: [0, 1, 1], advantage: 2 })).toBeCloseTo(4, 12);
    expect(reinforceTrajectoryLoss({ newLogprobs: [-1], mask: [0], advantage: 2 })).toBe(0);
  });
});
