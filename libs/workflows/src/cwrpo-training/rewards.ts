import { computeAdvantages, computeReward, correctnessReward, meanAndStd, type GroupSummary } from '@flowsteer/cwrpo';
import type { BenchTask, RewardParts, RolloutOutcome, TrainingBatchItem, TrainingConfig } from '@flowsteer/contracts';

/** One rollout of a step: which problem, which try, and what the session returned (or why it failed). */
export interface Rollout {
  id: string;
  task: BenchTask;
  outcome?: RolloutOutcome;
  error?: string;
}

export interface ScoredRollout extends Rollout {
  outcome: RolloutOutcome;
  reward: RewardParts;
  /** True when the session had no usable score (counted as correctness 0). */
  unscored: boolean;
}

/** A session its backends could not serve (outage budget spent): no result, never a reward. */
export const isUnavailable = (r: Rollout): boolean => r.outcome?.status === 'backend-unavailable';

/**
 * Rewards of the usable rollouts (finished or turn-limit sessions with a stored trajectory):
 * `computeReward(final DSL, correctness)`, correctness from the session's own score.
 *
 * A `backend-unavailable` rollout is dropped from its group (the group shrinks; advantages are
 * relative to the rollouts that ran): an outage says nothing about the policy, so it must not become
 * a 0 score and a negative advantage. Failed and cancelled sessions are dropped as before.
 */
export function scoreRollouts(
  rollouts: readonly Rollout[],
  options: Pick<TrainingConfig, 'referenceCompatReward' | 'grouping'>,
): ScoredRollout[] {
  const out: ScoredRollout[] = [];
  for (const r of rollouts) {
    const o = r.outcome;
    if (!o || o.status === 'failed' || o.status === 'cancelled' || o.status === 'backend-unavailable' || !o.trajectoryRef) continue;
    let correctness = 0;
    let unscored = false;
    try {
      if (!o.score) throw new Error('no score');
      correctness = correctnessReward(r.task.taskType, o.score);
    } catch {
      unscored = true;
    }
    out.push({
      ...r,
      outcome: o,
      unscored,
      reward: computeReward(o.dsl, correctness, { referenceCompat: options.referenceCompatReward === true }),
    });
  }
  return out;
}

/** Group-relative advantages over the scored rollouts, as batch items for `buildTrainingBatch`. */
export function batchItems(
  scored: readonly ScoredRollout[],
  options: Pick<TrainingConfig, 'referenceCompatReward' | 'grouping'>,
): { items: TrainingBatchItem[]; groups: GroupSummary[] } {
  const { advantages, groups } = computeAdvantages(
    scored.map((s) => ({ id: s.id, problemId: `${s.task.dataset}/${s.task.id}`, dataset: s.task.dataset, reward: s.reward.total })),
    { grouping: options.grouping ?? 'problem' },
  );
  const items = scored.map((s, i) => {
    const a = advantages[i] as (typeof advantages)[number];
    return { trajectoryRef: s.outcome.trajectoryRef as string, reward: s.reward, advantage: a.advantage, groupKey: a.groupKey };
  });
  return { items, groups };
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Standard error of the mean (sample standard deviation / sqrt(n)); 0 below two values. */
export function standardError(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1) / xs.length);
}

/** The step's rollout metrics: reward mean/std and its parts, correctness, turns, tokens, counts. */
export function rolloutMetrics(
  rollouts: readonly Rollout[],
  scored: readonly ScoredRollout[],
  groups: readonly GroupSummary[],
): Record<string, number> {
  const rewards = scored.map((s) => s.reward.total);
  const { std } = rewards.length ? meanAndStd(rewards) : { std: 0 };
  const frac = (pick: (p: RewardParts) => boolean) => mean(scored.map((s) => (pick(s.reward) ? 1 : 0)));
  return {
    rewardMean: mean(rewards),
    rewardStd: std,
    rewardSe: standardError(rewards),
    rewardMin: rewards.length ? Math.min(...rewards) : 0,
    rewardMax: rewards.length ? Math.max(...rewards) : 0,
    diversityMean: mean(scored.map((s) => s.reward.diversity)),
    diversitySe: standardError(scored.map((s) => s.reward.diversity)),
    answerMean: mean(scored.map((s) => s.reward.answer)),
    correctnessMean: mean(scored.map((s) => s.reward.correctness)),
    releasedFraction: frac((p) => p.released),
    checkerFraction: frac((p) => p.hasChecker),
    formatFraction: frac((p) => p.hasFormat),
    enoughOperatorsFraction: frac((p) => p.hasEnoughOperators),
    structureFraction: frac((p) => p.hasStructure),
    operatorsMean: mean(scored.map((s) => s.reward.operatorCount)),
    turnsMean: mean(scored.map((s) => s.outcome.turns)),
    finishedFraction: mean(scored.map((s) => (s.outcome.status === 'finished' ? 1 : 0))),
    directorTokensMean: mean(scored.map((s) => s.outcome.directorTokens)),
    executorTokensMean: mean(scored.map((s) => s.outcome.executorTokens)),
    directorTokens: scored.reduce((a, s) => a + s.outcome.directorTokens, 0),
    rollouts: rollouts.length,
    usableRollouts: scored.length,
    unavailableRollouts: rollouts.filter(isUnavailable).length,
    failedRollouts: rollouts.length - scored.length - rollouts.filter(isUnavailable).length,
    unscoredRollouts: scored.filter((s) => s.unscored).length,
    groups: groups.length,
    zeroVarianceGroups: groups.filter((g) => g.zeroVariance).length,
  };
}

/**
 * Backend-unavailable rollouts in a row, in completion order, continuing `before` (a usable or
 * failed rollout ends the streak). The run stops when it reaches the limit: the backends are down,
 * and more rollouts would only wait out more outage budgets.
 */
export function unavailableStreak(before: number, rollouts: readonly Rollout[]): number {
  let streak = before;
  for (const r of rollouts) streak = isUnavailable(r) ? streak + 1 : 0;
  return streak;
}
