import { CwrpoError, requireFinite } from './errors';

export interface GroupAdvantageOptions {
  /**
   * Added to the standard deviation: `A = (R − mean) / (std + epsilon)` (paper form). Default 1e-6.
   * Ignored when `stdFloor` is set.
   */
  epsilon?: number;
  /** Reference-code form `A = (R − mean) / max(std, stdFloor)`; the reference uses 0.01. */
  stdFloor?: number;
  /** Population (divide by n, the default and the reference's choice) or sample (n − 1) deviation. */
  std?: 'population' | 'sample';
}

export const DEFAULT_ADVANTAGE_EPSILON = 1e-6;

/** Mean and standard deviation of a non-empty list. */
export function meanAndStd(values: readonly number[], kind: 'population' | 'sample' = 'population'): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) throw new CwrpoError('cannot take the mean of an empty group');
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { mean, std: 0 };
  const squares = values.reduce((s, v) => s + (v - mean) * (v - mean), 0);
  return { mean, std: Math.sqrt(squares / (kind === 'sample' ? n - 1 : n)) };
}

/**
 * Group-relative advantages of one group's rewards. A group whose rewards are all equal (including a
 * group of one) gets zeros: it carries no learning signal.
 */
export function groupAdvantages(rewards: readonly number[], options: GroupAdvantageOptions = {}): number[] {
  rewards.forEach((r, i) => requireFinite(r, `reward ${i}`));
  if (rewards.length === 0) return [];
  const first = rewards[0] as number;
  if (rewards.every((r) => r === first)) return rewards.map(() => 0);
  const { mean, std } = meanAndStd(rewards, options.std);
  let denominator: number;
  if (options.stdFloor !== undefined) {
    if (!(options.stdFloor > 0)) throw new CwrpoError(`stdFloor must be positive, got ${options.stdFloor}`);
    denominator = Math.max(std, options.stdFloor);
  } else {
    const epsilon = options.epsilon ?? DEFAULT_ADVANTAGE_EPSILON;
    if (!(epsilon >= 0)) throw new CwrpoError(`epsilon must be zero or positive, got ${epsilon}`);
    denominator = std + epsilon;
  }
  if (denominator === 0) return rewards.map(() => 0);
  return rewards.map((r) => (r - mean) / denominator);
}

/** What the advantage needs to know about one rollout. */
export interface RolloutReward {
  id: string;
  problemId: string;
  dataset: string;
  reward: number;
}

export interface AdvantageOptions extends GroupAdvantageOptions {
  /**
   * `problem` (default, the paper's GRPO): the G rollouts of one problem form a group.
   * `dataset` (the reference code): all rollouts from the same dataset form a group.
   */
  grouping?: 'problem' | 'dataset';
}

export interface GroupSummary {
  key: string;
  size: number;
  mean: number;
  std: number;
  /** All rewards equal: every advantage in the group is 0. */
  zeroVariance: boolean;
}

export interface AdvantageResult {
  /** One entry per input rollout, in input order. */
  advantages: { id: string; groupKey: string; advantage: number }[];
  /** One entry per group, in order of first appearance. */
  groups: GroupSummary[];
}

/** Groups rollouts (per problem or per dataset) and normalises each group's rewards. */
export function computeAdvantages(rollouts: readonly RolloutReward[], options: AdvantageOptions = {}): AdvantageResult {
  const grouping = options.grouping ?? 'problem';
  const seen = new Set<string>();
  const byKey = new Map<string, number[]>();
  rollouts.forEach((r, index) => {
    if (seen.has(r.id)) throw new CwrpoError(`rollout id "${r.id}" appears twice: each rollout needs its own id`);
    seen.add(r.id);
    const key = grouping === 'dataset' ? r.dataset : r.problemId;
    const members = byKey.get(key) ?? [];
    members.push(index);
    byKey.set(key, members);
  });
  const advantageOf = new Array<number>(rollouts.length).fill(0);
  const groupOf = new Array<string>(rollouts.length).fill('');
  const groups: GroupSummary[] = [];
  for (const [key, members] of byKey) {
    const rewards = members.map((i) => (rollouts[i] as RolloutReward).reward);
    const advantages = groupAdvantages(rewards, options);
    members.forEach((i, k) => {
      advantageOf[i] = advantages[k] as number;
      groupOf[i] = key;
    });
    const { mean, std } = meanAndStd(rewards, options.std);
    groups.push({ key, size: members.length, mean, std, zeroVariance: rewards.every((r) => r === rewards[0]) });
  }
  return {
    advantages: rollouts.map((r, i) => ({ id: r.id, groupKey: groupOf[i] as string, advantage: advantageOf[i] as number })),
    groups,
  };
}
