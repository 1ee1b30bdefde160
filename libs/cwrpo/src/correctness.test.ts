import fc from 'fast-check';
import { correctnessReward } from './correctness';
import { CwrpoError } from './errors';

describe('correctnessReward', () => {
  it('uses the F1 value itself for QA', () => {
    expect(correctnessReward('qa', { metrics: { f1: 0.4, em: 0 } })).toBe(0.4);
    expect(correctnessReward('qa', { primary: 0.25 })).toBe(0.25);
  });

  it('is 0 or 1 for math, multiple-choice and unknown types', () => {
    expect(correctnessReward('math', { metrics: { correct: 1 } })).toBe(1);
    expect(correctnessReward('math', { metrics: { correct: false } })).toBe(0);
    expect(correctnessReward('multiple-choice', { metrics: { accuracy: 1 } })).toBe(1);
    expect(correctnessReward('reasoning', { primary: 0 })).toBe(0);
  });

  it('is 1 for code only when the tests passed, a partial pass rate gives 0', () => {
    expect(correctnessReward('code', { metrics: { passed: true } })).toBe(1);
    expect(correctnessReward('code', { metrics: { 'pass@1': 1 } })).toBe(1);
    expect(correctnessReward('code', { primary: 0.67 })).toBe(0);
  });

  it('prefers the named metric over the primary score', () => {
    expect(correctnessReward('qa', { metrics: { f1: 0.5 }, primary: 1 })).toBe(0.5);
  });

  it('says which metric it needed when none is there', () => {
    expect(() => correctnessReward('code', { metrics: { f1: 1 } })).toThrow(
      new CwrpoError('no correctness value for a code task: pass one of the metrics "passed", "pass@1", "correct" or a primary score'),
    );
  });

  it('rejects values outside [0, 1]', () => {
    expect(() => correctnessReward('qa', { metrics: { f1: 1.2 } })).toThrow(/must lie in \[0, 1\], got 1.2/);
    expect(() => correctnessReward('math', { primary: Number.POSITIVE_INFINITY })).toThrow(/finite/);
  });

  it('always lies in [0, 1], and binary types only take 0 or 1', () => {
    fc.assert(
      fc.property(fc.constantFrom('qa', 'math', 'code', 'multiple-choice'), fc.double({ min: 0, max: 1, noNaN: true }), (type, v) => {
        const r = correctnessReward(type, { primary: v });
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(1);
        if (type !== 'qa') expect([0, 1]).toContain(r);
      }),
    );
  });
});
