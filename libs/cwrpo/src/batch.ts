import type { Trajectory, TrainingSample } from '@flowsteer/contracts';
import { computeAdvantages, type AdvantageOptions, type GroupSummary } from './advantages';
import { CwrpoError } from './errors';
import { trajectoryToSample, type SampleOptions, type Tokenise } from './training-sample';

export interface BatchOptions {
  advantages?: AdvantageOptions;
  samples?: SampleOptions;
}

export interface TrainingBatch {
  samples: TrainingSample[];
  groups: GroupSummary[];
}

/** Rewarded trajectories of one training step → group-relative advantages → training samples. */
export function buildTrainingBatch(trajectories: readonly Trajectory[], tokenise: Tokenise, options: BatchOptions = {}): TrainingBatch {
  const rollouts = trajectories.map((t) => {
    if (!t.reward) throw new CwrpoError(`trajectory "${t.id}" has no reward: score every trajectory before building the batch`);
    return { id: t.id, problemId: t.problemId, dataset: t.dataset, reward: t.reward.total };
  });
  const { advantages, groups } = computeAdvantages(rollouts, options.advantages);
  const samples = trajectories.map((t, i) => {
    const a = advantages[i] as (typeof advantages)[number];
    return trajectoryToSample(t, { advantage: a.advantage, groupKey: a.groupKey }, tokenise, options.samples);
  });
  return { samples, groups };
}
