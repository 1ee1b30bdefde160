/**
 * The evaluation sampling protocol: per dataset, `n` items (paper: 128) drawn without replacement
 * with a seeded PRNG (paper: seed 42), allocated to strata in proportion to their sizes (largest
 * remainder), so that e.g. MATH keeps its level/subject mix and APPS its difficulty mix.
 */
import { deriveSeed, mulberry32, seededShuffle } from './prng';

export const PAPER_SAMPLE_SIZE = 128;
export const PAPER_SEED = 42;

export interface SampleOptions<T> {
  n?: number;
  seed?: number;
  /** the stratum of an item; default: none (one stratum). */
  stratumOf?: (item: T) => string | undefined;
  /** mixed into the seed so each dataset gets its own stream (use the dataset name). */
  label?: string;
}

/**
 * How many of `n` items each stratum gets: floor of the proportional share, then the remaining
 * slots to the largest fractional parts (ties: larger stratum, then name order). Never more than a
 * stratum holds; sums to min(n, total).
 */
export function allocateStrata(sizes: ReadonlyMap<string, number>, n: number): Map<string, number> {
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const want = Math.max(0, Math.min(Math.floor(n), total));
  const out = new Map<string, number>();
  if (total === 0) return out;
  const rows = [...sizes.entries()].map(([name, size]) => {
    const exact = (want * size) / total;
    return { name, size, base: Math.floor(exact), frac: exact - Math.floor(exact) };
  });
  let left = want - rows.reduce((a, r) => a + r.base, 0);
  const order = [...rows].sort((a, b) => b.frac - a.frac || b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const r of order) {
    if (left === 0) break;
    if (r.base < r.size) {
      r.base += 1;
      left -= 1;
    }
  }
  for (const r of rows) out.set(r.name, r.base);
  return out;
}

/**
 * Draw the sample. Items are shuffled once with the seeded PRNG; each stratum takes its quota in
 * shuffled order; the result keeps the shuffled order. Same input order + seed + label -> same items.
 */
export function stratifiedSample<T>(items: readonly T[], opts: SampleOptions<T> = {}): T[] {
  const n = opts.n ?? PAPER_SAMPLE_SIZE;
  const seed = opts.seed ?? PAPER_SEED;
  const random = mulberry32(opts.label === undefined ? seed >>> 0 : deriveSeed(seed, opts.label));
  const shuffled = seededShuffle(items, random);
  if (n >= items.length) return shuffled;
  const stratumOf = opts.stratumOf ?? (() => undefined);
  const sizes = new Map<string, number>();
  for (const it of items) {
    const s = stratumOf(it) ?? '';
    sizes.set(s, (sizes.get(s) ?? 0) + 1);
  }
  const quota = allocateStrata(sizes, n);
  const out: T[] = [];
  for (const it of shuffled) {
    const s = stratumOf(it) ?? '';
    const q = quota.get(s) ?? 0;
    if (q > 0) {
      out.push(it);
      quota.set(s, q - 1);
    }
  }
  return out;
}
