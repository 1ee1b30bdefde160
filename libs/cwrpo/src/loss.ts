/**
 * Reference implementations of the CWRPO loss over plain arrays (one trajectory's tokens), so that
 * the Python learner can be checked against the same numbers (see test-vectors/). Log-probabilities
 * are natural logs of the sampled token under each policy; `mask` selects the director's tokens.
 */
import { CwrpoError, requireFinite } from './errors';

/** The paper's settings (spec §5.1). */
export const DEFAULT_CLIP_EPSILON = 0.2;
export const DEFAULT_KL_BETA = 0.005;

export interface LossOptions {
  /** Ratio clip range ε: ratios are clipped to [1 − ε, 1 + ε]. */
  clipEpsilon?: number;
  /** KL weight β. */
  klBeta?: number;
}

/** Importance ratio of one token: π_θ / π_old = exp(logp_new − logp_old). */
export function tokenRatio(newLogprob: number, oldLogprob: number): number {
  return Math.exp(newLogprob - oldLogprob);
}

/** PPO clipped objective of one token: min(r·A, clip(r, 1 − ε, 1 + ε)·A). To be maximised. */
export function clippedSurrogate(ratio: number, advantage: number, clipEpsilon: number = DEFAULT_CLIP_EPSILON): number {
  const clipped = Math.min(Math.max(ratio, 1 - clipEpsilon), 1 + clipEpsilon);
  return Math.min(ratio * advantage, clipped * advantage);
}

/**
 * The k3 estimator of KL(π_θ ‖ π_ref) at a token sampled from π_θ:
 * exp(ref − new) − (ref − new) − 1, which is ≥ 0 and 0 when the two agree.
 */
export function k3Kl(newLogprob: number, refLogprob: number): number {
  const d = refLogprob - newLogprob;
  // expm1 keeps precision for small d; the estimator is >= 0 in exact arithmetic, so clamp the
  // last-ulp rounding below zero (e.g. d = -9e-16) rather than report a negative KL.
  return Math.max(0, Math.expm1(d) - d);
}

export interface TrajectoryTokens {
  /** log π_θ of each token (the policy being trained). */
  newLogprobs: readonly number[];
  /** log π_old of each token (the policy that sampled it); used where mask is 1. */
  oldLogprobs: readonly number[];
  /** log π_ref of each token (the frozen reference); without it the KL term is 0. */
  refLogprobs?: readonly number[];
  mask: readonly number[];
  advantage: number;
}

export interface TrajectoryLoss {
  /** Mean clipped surrogate over masked tokens. */
  surrogate: number;
  /** Mean k3 KL over masked tokens. */
  kl: number;
  /** −(surrogate − β·kl): the value to minimise. 0 when no token is masked. */
  loss: number;
  maskedTokens: number;
  /** Share of masked tokens whose ratio left [1 − ε, 1 + ε]. */
  clippedFraction: number;
}

function checkAligned(t: TrajectoryTokens): void {
  const n = t.mask.length;
  const lengths: [string, number | undefined][] = [
    ['newLogprobs', t.newLogprobs.length],
    ['oldLogprobs', t.oldLogprobs.length],
    ['refLogprobs', t.refLogprobs?.length],
  ];
  for (const [name, len] of lengths) {
    if (len !== undefined && len !== n) throw new CwrpoError(`${name} has ${len} entries but mask has ${n}: one entry per token`);
  }
  t.mask.forEach((m, i) => {
    if (m !== 0 && m !== 1) throw new CwrpoError(`mask[${i}] is ${m}: the mask holds 0 or 1`);
  });
  requireFinite(t.advantage, 'advantage');
}

/** The CWRPO objective of one trajectory: per-token clipped ratio and KL, averaged over masked tokens. */
export function trajectoryLoss(t: TrajectoryTokens, options: LossOptions = {}): TrajectoryLoss {
  checkAligned(t);
  const eps = options.clipEpsilon ?? DEFAULT_CLIP_EPSILON;
  const beta = options.klBeta ?? DEFAULT_KL_BETA;
  let surrogate = 0;
  let kl = 0;
  let masked = 0;
  let clipped = 0;
  t.mask.forEach((m, i) => {
    if (m === 0) return;
    const lpNew = requireFinite(t.newLogprobs[i] as number, `newLogprobs[${i}]`);
    const lpOld = requireFinite(t.oldLogprobs[i] as number, `oldLogprobs[${i}]`);
    const ratio = tokenRatio(lpNew, lpOld);
    surrogate += clippedSurrogate(ratio, t.advantage, eps);
    if (ratio < 1 - eps || ratio > 1 + eps) clipped += 1;
    if (t.refLogprobs) kl += k3Kl(lpNew, requireFinite(t.refLogprobs[i] as number, `refLogprobs[${i}]`));
    masked += 1;
  });
  if (masked === 0) return { surrogate: 0, kl: 0, loss: 0, maskedTokens: 0, clippedFraction: 0 };
  const meanSurrogate = surrogate / masked;
  const meanKl = kl / masked;
  return {
    surrogate: meanSurrogate,
    kl: meanKl,
    loss: -(meanSurrogate - beta * meanKl),
    maskedTokens: masked,
    clippedFraction: clipped / masked,
  };
}

export interface BatchLoss {
  /** Mean of the per-trajectory losses (every trajectory counts, one without masked tokens as 0). */
  loss: number;
  surrogate: number;
  kl: number;
  perTrajectory: TrajectoryLoss[];
}

/** The CWRPO loss of a batch: (1/N) Σ_i trajectory loss. */
export function batchLoss(batch: readonly TrajectoryTokens[], options: LossOptions = {}): BatchLoss {
  const perTrajectory = batch.map((t) => trajectoryLoss(t, options));
  const n = Math.max(1, perTrajectory.length);
  const sum = (f: (x: TrajectoryLoss) => number) => perTrajectory.reduce((s, x) => s + f(x), 0);
  return { loss: sum((x) => x.loss) / n, surrogate: sum((x) => x.surrogate) / n, kl: sum((x) => x.kl) / n, perTrajectory };
}

/**
 * The reference code's per-trajectory loss (REINFORCE with a group baseline, spec §5.2):
 * −A · mean of log π_θ over masked tokens. No ratio, clipping or KL. The reference sums these over
 * the batch instead of averaging.
 */
export function reinforceTrajectoryLoss(t: Pick<TrajectoryTokens, 'newLogprobs' | 'mask' | 'advantage'>): number {
  if (t.newLogprobs.length !== t.mask.length) {
    throw new CwrpoError(`newLogprobs has ${t.newLogprobs.length} entries but mask has ${t.mask.length}: one entry per token`);
  }
  requireFinite(t.advantage, 'advantage');
  let sum = 0;
  let masked = 0;
  t.mask.forEach((m, i) => {
    if (m === 0) return;
    sum += requireFinite(t.newLogprobs[i] as number, `newLogprobs[${i}]`);
    masked += 1;
  });
  return masked === 0 ? 0 : -t.advantage * (sum / masked);
}
