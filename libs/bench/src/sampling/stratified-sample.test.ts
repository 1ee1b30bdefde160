import type { BenchTask } from '@flowsteer/contracts';
import fc from 'fast-check';
import { loadDataset } from '../datasets/load-dataset';
import { deriveSeed, fnv1a, mulberry32, seededShuffle } from './prng';
import { sampleTasks } from './sample-tasks';
import { allocateStrata, stratifiedSample } from './stratified-sample';

describe('mulberry32', () => {
  it('gives the same stream on every machine (golden values)', () => {
    const r = mulberry32(42);
    const first = [r(), r(), r()].map((x) => Math.floor(x * 2 ** 32));
    // recorded once; integer-only arithmetic makes them platform independent
    expect(first).toEqual(GOLDEN_42);
    expect(first).toEqual([2581720956, 1925393290, 3661312704]);
  });
  it('yields floats in [0,1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const r = mulberry32(seed);
        for (let i = 0; i < 20; i += 1) {
          const x = r();
          if (x < 0 || x >= 1) return false;
        }
        return true;
      }),
    );
  });
  it('fnv1a and deriveSeed are stable', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(deriveSeed(42, 'gsm8k')).not.toBe(deriveSeed(42, 'math'));
  });
  it('shuffle is a permutation', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (xs, seed) => {
        const out = seededShuffle(xs, mulberry32(seed));
        return JSON.stringify([...out].sort()) === JSON.stringify([...xs].sort());
      }),
    );
  });
});

const GOLDEN_42 = (() => {
  // computed independently of mulberry32's closure form, straight from the published reference code
  let a = 42;
  const out: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out.push((t ^ (t >>> 14)) >>> 0);
  }
  return out;
})();

describe('allocateStrata', () => {
  it('largest remainder', () => {
    const q = allocateStrata(
      new Map([
        ['a', 50],
        ['b', 30],
        ['c', 20],
      ]),
      7,
    );
    expect(Object.fromEntries(q)).toEqual({ a: 4, b: 2, c: 1 }); // 3.5, 2.1, 1.4 -> 3+1, 2, 1
  });
  it('sums to min(n, total), never exceeds a stratum, within 1 of the proportional share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 200 }),
        (sizes, n) => {
          const m = new Map(sizes.map((s, i) => [`s${i}`, s]));
          const total = sizes.reduce((a, b) => a + b, 0);
          const q = allocateStrata(m, n);
          const want = Math.min(n, total);
          let sum = 0;
          for (const [k, size] of m) {
            const got = q.get(k) ?? 0;
            sum += got;
            if (got > size) return false;
            if (total > 0 && Math.abs(got - (want * size) / total) >= 1) return false;
          }
          return sum === want;
        },
      ),
    );
  });
});

describe('stratifiedSample', () => {
  const items = Array.from({ length: 300 }, (_, i) => ({ id: i, s: i < 200 ? 'big' : i < 280 ? 'mid' : 'small' }));
  it('is deterministic and depends on seed and label', () => {
    const a = stratifiedSample(items, { n: 30, seed: 42, label: 'x', stratumOf: (x) => x.s });
    expect(stratifiedSample(items, { n: 30, seed: 42, label: 'x', stratumOf: (x) => x.s })).toEqual(a);
    expect(stratifiedSample(items, { n: 30, seed: 43, label: 'x', stratumOf: (x) => x.s })).not.toEqual(a);
    expect(stratifiedSample(items, { n: 30, seed: 42, label: 'y', stratumOf: (x) => x.s })).not.toEqual(a);
  });
  it('keeps stratum proportions, no duplicates', () => {
    const a = stratifiedSample(items, { n: 30, seed: 42, stratumOf: (x) => x.s });
    const count = (s: string) => a.filter((x) => x.s === s).length;
    expect([count('big'), count('mid'), count('small')]).toEqual([20, 8, 2]);
    expect(new Set(a.map((x) => x.id)).size).toBe(30);
  });
  it('returns everything (shuffled) when n >= size', () => {
    const a = stratifiedSample(items.slice(0, 10), { n: 128 });
    expect(a.map((x) => x.id).sort((p, q) => p - q)).toEqual([...Array(10).keys()]);
  });
});

describe('sampleTasks on the real data (the paper protocol: 128 per dataset, seed 42)', () => {
  const ids = (ts: BenchTask[]) => ts.map((t) => t.id);
  it('GSM8K: fixed first ids (regression guard for "same items on every machine")', () => {
    const s = sampleTasks(loadDataset('gsm8k').tasks);
    expect(s).toHaveLength(128);
    expect(ids(s).slice(0, 5)).toEqual(GSM8K_FIRST_IDS);
  });
  it('MATH keeps its subject/level mix within one item per stratum', () => {
    const tasks = loadDataset('math').tasks;
    const s = sampleTasks(tasks);
    expect(s).toHaveLength(128);
    const by = (ts: BenchTask[], k: string) => ts.filter((t) => t.stratum === k).length;
    for (const k of new Set(tasks.map((t) => t.stratum ?? ''))) {
      expect(Math.abs(by(s, k) - (128 * by(tasks, k)) / tasks.length)).toBeLessThan(1);
    }
  });
  it('APPS keeps its difficulty mix; AIME returns all 30', () => {
    const s = sampleTasks(loadDataset('apps').tasks);
    const n = (d: string) => s.filter((t) => t.stratum === d).length;
    expect(s).toHaveLength(128); // 128 distinct problems: the whole selection
    expect(n('introductory') + n('interview') + n('competition')).toBe(128);
    expect(sampleTasks(loadDataset('aime2025').tasks)).toHaveLength(30);
  });
  it('SQuAD v2 keeps the HasAns/NoAns ratio', () => {
    const s = sampleTasks(loadDataset('squad_v2').tasks);
    expect(s.filter((t) => t.stratum === 'NoAns')).toHaveLength(Math.round((128 * 580) / 1292));
  });
});

const GSM8K_FIRST_IDS = ['1260', '402', '387', '1147', '727'];
