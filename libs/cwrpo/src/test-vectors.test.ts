/**
 * Fixed CWRPO test vectors for the Python learner (libs/cwrpo/test-vectors/cwrpo-loss.json).
 * This test recomputes every expected value from the inputs below and compares it with the file, so
 * the file can never drift from the TypeScript reference. After a deliberate change, rewrite it with
 *   CWRPO_WRITE_TEST_VECTORS=1 npx jest libs/cwrpo/src/test-vectors
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupAdvantages, type GroupAdvantageOptions } from './advantages';
import {
  batchLoss,
  clippedSurrogate,
  k3Kl,
  reinforceTrajectoryLoss,
  tokenRatio,
  trajectoryLoss,
  type LossOptions,
  type TrajectoryTokens,
} from './loss';

const FILE = join(__dirname, '..', 'test-vectors', 'cwrpo-loss.json');

interface LossCase {
  name: string;
  options: Required<LossOptions>;
  input: TrajectoryTokens;
}

const paper = { clipEpsilon: 0.2, klBeta: 0.005 };

const LOSS_CASES: LossCase[] = [
  {
    name: 'positive advantage, ratios inside the clip range, feedback token masked out',
    options: paper,
    input: {
      newLogprobs: [-1.0, -0.5, -2.0, -0.1],
      oldLogprobs: [-1.05, -0.45, -2.0, -0.2],
      refLogprobs: [-1.2, -0.5, -1.8, -0.25],
      mask: [0, 1, 1, 1],
      advantage: 1.5,
    },
  },
  {
    name: 'positive advantage, one ratio above 1 + eps is clipped',
    options: paper,
    input: {
      newLogprobs: [-0.1, -0.2, -3.0],
      oldLogprobs: [-0.6, -0.2, -3.1],
      refLogprobs: [-0.3, -0.4, -2.5],
      mask: [1, 1, 1],
      advantage: 0.8,
    },
  },
  {
    name: 'negative advantage, ratios below and above the range',
    options: paper,
    input: {
      newLogprobs: [-2.0, -0.1, -0.7, -1.1],
      oldLogprobs: [-1.0, -0.6, -0.7, -1.0],
      refLogprobs: [-1.5, -0.2, -0.9, -1.0],
      mask: [1, 1, 0, 1],
      advantage: -1.2,
    },
  },
  {
    name: 'no reference log-probs: the KL term is 0',
    options: { clipEpsilon: 0.1, klBeta: 0.04 },
    input: { newLogprobs: [-0.3, -0.9], oldLogprobs: [-0.35, -0.8], mask: [1, 1], advantage: 0.25 },
  },
  {
    name: 'no director tokens: loss 0',
    options: paper,
    input: { newLogprobs: [-0.3, -0.9], oldLogprobs: [-0.35, -0.8], refLogprobs: [-0.3, -0.9], mask: [0, 0], advantage: 2 },
  },
];

const ADVANTAGE_CASES: { name: string; rewards: number[]; options: GroupAdvantageOptions }[] = [
  { name: 'paper: population std + 1e-6', rewards: [-0.6, -0.2, 0.0, 0.7, 1.0, -1.0], options: { epsilon: 1e-6 } },
  { name: 'reference: max(population std, 0.01)', rewards: [0.5, 0.502, 0.498], options: { stdFloor: 0.01 } },
  { name: 'zero variance gives zeros', rewards: [-0.2, -0.2, -0.2, -0.2], options: { epsilon: 1e-6 } },
  { name: 'sample std', rewards: [0, 1, 1, 0.3], options: { std: 'sample', epsilon: 0 } },
];

function buildVectors() {
  return {
    description:
      'CWRPO reference values from libs/cwrpo (TypeScript). Log-probs are natural logs; mask 1 marks director tokens. ' +
      'loss = -(mean_masked(min(r*A, clip(r,1-eps,1+eps)*A)) - klBeta * mean_masked(k3)), r = exp(new-old), k3 = exp(ref-new) - (ref-new) - 1. ' +
      'batch loss = mean of trajectory losses over all trajectories. reinforce = -A * mean_masked(new) (reference code).',
    tolerance: 1e-9,
    trajectories: LOSS_CASES.map((c) => {
      const { newLogprobs: lpNew, oldLogprobs: lpOld, refLogprobs: lpRef, advantage } = c.input;
      const ratios = lpNew.map((n, i) => tokenRatio(n, lpOld[i] as number));
      const r = trajectoryLoss(c.input, c.options);
      return {
        name: c.name,
        options: c.options,
        input: { ...c.input, refLogprobs: lpRef ?? null },
        expected: {
          tokenRatio: ratios,
          tokenSurrogate: ratios.map((x) => clippedSurrogate(x, advantage, c.options.clipEpsilon)),
          tokenK3: lpRef ? lpNew.map((n, i) => k3Kl(n, lpRef[i] as number)) : lpNew.map(() => 0),
          surrogate: r.surrogate,
          kl: r.kl,
          loss: r.loss,
          maskedTokens: r.maskedTokens,
          clippedFraction: r.clippedFraction,
          reinforceLoss: reinforceTrajectoryLoss(c.input),
        },
      };
    }),
    batches: [
      {
        name: 'the first three trajectories with the paper settings',
        options: paper,
        trajectoryNames: LOSS_CASES.slice(0, 3).map((c) => c.name),
        expected: {
          loss: batchLoss(
            LOSS_CASES.slice(0, 3).map((c) => c.input),
            paper,
          ).loss,
        },
      },
    ],
    advantages: ADVANTAGE_CASES.map((c) => ({ ...c, expected: groupAdvantages(c.rewards, c.options) })),
  };
}

/** Compares numbers within `tol` and everything else exactly. */
function expectClose(actual: unknown, expected: unknown, tol: number, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > tol) throw new Error(`${path}: ${actual} differs from ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length === expected.length).toBe(true);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, tol, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], v, tol, `${path}.${k}`);
    return;
  }
  expect(actual).toEqual(expected);
}

describe('CWRPO test vectors for the Python learner', () => {
  const vectors = buildVectors();
  if (process.env.CWRPO_WRITE_TEST_VECTORS === '1') writeFileSync(FILE, `${JSON.stringify(vectors, null, 2)}\n`);

  it('the stored file matches what the TypeScript reference computes', () => {
    const stored: unknown = JSON.parse(readFileSync(FILE, 'utf8'));
    expectClose(stored, vectors, 1e-12);
  });

  it('covers clipped tokens, a missing reference, an empty mask and a zero-variance group', () => {
    const clipped = vectors.trajectories.filter((t) => t.expected.clippedFraction > 0);
    expect(clipped.length).toBeGreaterThanOrEqual(2);
    expect(vectors.trajectories.some((t) => t.input.refLogprobs === null)).toBe(true);
    expect(vectors.trajectories.some((t) => t.expected.maskedTokens === 0 && t.expected.loss === 0)).toBe(true);
    expect(vectors.advantages.some((a) => a.expected.every((x) => x === 0))).toBe(true);
  });
});
