import fc from 'fast-check';
import { computeAdvantages, groupAdvantages, meanAndStd } from './advantages';
import { CwrpoError } from './errors';

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe('groupAdvantages', () => {
  it('normalises by the population mean and deviation plus epsilon', () => {
    // rewards -1, 0, 1: mean 0, population std sqrt(2/3)
    const std = Math.sqrt(2 / 3);
    const a = groupAdvantages([-1, 0, 1]);
    expect(a[0]).toBeCloseTo(-1 / (std + 1e-6), 12);
    expect(a[1]).toBe(0);
    expect(a[2]).toBeCloseTo(1 / (std + 1e-6), 12);
  });

  it('uses the n − 1 deviation when asked', () => {
    expect(groupAdvantages([0, 2], { std: 'sample', epsilon: 0 })).toEqual([-1 / Math.SQRT2, 1 / Math.SQRT2]);
  });

  it('floors the deviation like the reference code with stdFloor', () => {
    // std 0.001 < 0.01: (R - mean) / 0.01
    const a = groupAdvantages([0.5, 0.502], { stdFloor: 0.01 });
    expect(a[0]).toBeCloseTo(-0.1, 9);
    expect(a[1]).toBeCloseTo(0.1, 9);
  });

  it('gives zeros to a group of equal rewards and to a group of one', () => {
    expect(groupAdvantages([0.1, 0.1, 0.1])).toEqual([0, 0, 0]);
    expect(groupAdvantages([-0.6])).toEqual([0]);
    expect(groupAdvantages([])).toEqual([]);
  });

  it('rejects a non-finite reward and bad settings', () => {
    expect(() => groupAdvantages([0, Number.NaN])).toThrow(new CwrpoError('reward 1 must be a finite number, got NaN'));
    expect(() => groupAdvantages([0, 1], { stdFloor: 0 })).toThrow(/stdFloor must be positive/);
    expect(() => groupAdvantages([0, 1], { epsilon: -1 })).toThrow(/epsilon/);
  });

  const rewards = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 16 });

  it('sums to about zero', () => {
    fc.assert(
      fc.property(rewards, (rs) => {
        expect(Math.abs(sum(groupAdvantages(rs)))).toBeLessThan(1e-6);
      }),
    );
  });

  it('does not change when a constant is added to every reward', () => {
    fc.assert(
      fc.property(rewards, fc.double({ min: -5, max: 5, noNaN: true }), (rs, c) => {
        const a = groupAdvantages(rs);
        const b = groupAdvantages(rs.map((r) => r + c));
        a.forEach((x, i) => expect(Math.abs(x - (b[i] as number))).toBeLessThan(1e-4 * Math.max(1, Math.abs(x))));
      }),
    );
  });

  it('keeps the order of the rewards', () => {
    fc.assert(
      fc.property(rewards, (rs) => {
        const a = groupAdvantages(rs);
        rs.forEach((r, i) =>
          rs.forEach((s, j) => {
            if (r < s) expect(a[i] as number).toBeLessThanOrEqual(a[j] as number);
          }),
        );
      }),
    );
  });

  it('has unit deviation when epsilon is 0 and rewards differ', () => {
    fc.assert(
      fc.property(
        rewards.filter((rs) => new Set(rs).size > 1 && meanAndStd(rs).std > 1e-6),
        (rs) => {
          expect(meanAndStd(groupAdvantages(rs, { epsilon: 0 })).std).toBeCloseTo(1, 6);
        },
      ),
    );
  });
});

describe('computeAdvantages', () => {
  const rollouts = [
    { id: 's1', problemId: 'gsm8k/1', dataset: 'gsm8k', reward: 1 },
    { id: 's2', problemId: 'gsm8k/1', dataset: 'gsm8k', reward: 0 },
    { id: 's3', problemId: 'gsm8k/2', dataset: 'gsm8k', reward: -0.6 },
    { id: 's4', problemId: 'gsm8k/2', dataset: 'gsm8k', reward: -0.6 },
    { id: 's5', problemId: 'hotpotqa/7', dataset: 'hotpotqa', reward: 0.4 },
  ];

  it('groups the G rollouts of one problem by default (paper GRPO)', () => {
    const r = computeAdvantages(rollouts, { epsilon: 0 });
    expect(r.advantages).toEqual([
      { id: 's1', groupKey: 'gsm8k/1', advantage: 1 },
      { id: 's2', groupKey: 'gsm8k/1', advantage: -1 },
      { id: 's3', groupKey: 'gsm8k/2', advantage: 0 },
      { id: 's4', groupKey: 'gsm8k/2', advantage: 0 },
      { id: 's5', groupKey: 'hotpotqa/7', advantage: 0 },
    ]);
    expect(r.groups.map((g) => [g.key, g.size, g.zeroVariance])).toEqual([
      ['gsm8k/1', 2, false],
      ['gsm8k/2', 2, true],
      ['hotpotqa/7', 1, true],
    ]);
  });

  it('groups by dataset with the reference option', () => {
    const r = computeAdvantages(rollouts, { grouping: 'dataset', stdFloor: 0.01 });
    const { mean, std } = meanAndStd([1, 0, -0.6, -0.6]);
    expect(r.advantages.map((a) => a.groupKey)).toEqual(['gsm8k', 'gsm8k', 'gsm8k', 'gsm8k', 'hotpotqa']);
    expect(r.advantages[0]?.advantage).toBeCloseTo((1 - mean) / std, 12);
    expect(r.advantages[4]?.advantage).toBe(0);
  });

  it('refuses a repeated rollout id', () => {
    expect(() => computeAdvantages([rollouts[0]!, rollouts[0]!])).toThrow(/"s1" appears twice/);
  });

  it('sums to about zero in every group', () => {
    const arb = fc.array(fc.record({ problem: fc.integer({ min: 0, max: 3 }), reward: fc.double({ min: -1, max: 1, noNaN: true }) }), {
      maxLength: 30,
    });
    fc.assert(
      fc.property(arb, fc.constantFrom<'problem' | 'dataset'>('problem', 'dataset'), (xs, grouping) => {
        const r = computeAdvantages(
          xs.map((x, i) => ({ id: `t${i}`, problemId: `p${x.problem}`, dataset: `d${x.problem % 2}`, reward: x.reward })),
          { grouping },
        );
        expect(r.advantages).toHaveLength(xs.length);
        for (const g of r.groups) {
          const total = sum(r.advantages.filter((a) => a.groupKey === g.key).map((a) => a.advantage));
          expect(Math.abs(total)).toBeLessThan(1e-6);
        }
      }),
    );
  });
});
