import type { BenchTask, RolloutOutcome, SessionStatus } from '@flowsteer/contracts';
import { batchItems, rolloutMetrics, scoreRollouts, standardError, unavailableStreak, type Rollout } from './rewards';

/** Scripted rollouts: a group of four on one problem; statuses and scores are chosen per case. */
const task: BenchTask = { dataset: 'gsm8k', id: 'p1', taskType: 'math', problem: '2 + 2?', answers: ['4'] };
const DSL = 'Plan -> Programmer -> Review ? Revise : done -> Format';

function rollout(id: string, status: SessionStatus, correct?: boolean): Rollout {
  const outcome: RolloutOutcome = {
    sessionId: id,
    status,
    dsl: status === 'backend-unavailable' ? '' : DSL,
    turns: 3,
    directorTokens: 10,
    executorTokens: 5,
    trajectoryRef: `trajectories/${id}.json`,
    ...(correct === undefined ? {} : { score: { metrics: { accuracy: correct ? 1 : 0 }, primary: correct ? 1 : 0 } }),
  };
  return { id, task, outcome };
}

describe('backend-unavailable rollouts are not rewards', () => {
  const options = { grouping: 'problem' as const };

  it('drops them from their group: the group shrinks and the others keep the advantages they earned', () => {
    const rollouts = [
      rollout('a', 'finished', true),
      rollout('b', 'finished', false),
      rollout('c', 'backend-unavailable'),
      rollout('d', 'turn-limit', false),
    ];
    const scored = scoreRollouts(rollouts, options);
    expect(scored.map((s) => s.id)).toEqual(['a', 'b', 'd']);
    const { items, groups } = batchItems(scored, options);
    expect(items).toHaveLength(3);
    expect(groups).toHaveLength(1);
    // the same advantages as a group of the three that ran
    const alone = batchItems(scoreRollouts([rollouts[0], rollouts[1], rollouts[3]] as Rollout[], options), options);
    expect(items.map((i) => i.advantage)).toEqual(alone.items.map((i) => i.advantage));
    const m = rolloutMetrics(rollouts, scored, groups);
    expect(m).toMatchObject({ rollouts: 4, usableRollouts: 3, unavailableRollouts: 1, failedRollouts: 0 });
  });

  it('an unavailable rollout would otherwise have been a 0 score with a negative advantage', () => {
    // reproduce what main did: treat it as an unscored turn-limit session
    const asResult = { ...rollout('c', 'turn-limit'), outcome: { ...(rollout('c', 'turn-limit').outcome as RolloutOutcome), dsl: '' } };
    const { items } = batchItems(scoreRollouts([rollout('a', 'finished', true), asResult], options), options);
    expect(items[1]?.advantage).toBeLessThan(0);
  });

  it('counts them in a row across steps, and a rollout that ran ends the streak', () => {
    const down = (id: string) => rollout(id, 'backend-unavailable');
    expect(unavailableStreak(0, [down('a'), down('b')])).toBe(2);
    expect(unavailableStreak(2, [down('c'), rollout('d', 'finished', true), down('e')])).toBe(1);
    expect(unavailableStreak(1, [rollout('f', 'failed')])).toBe(0);
    expect(unavailableStreak(3, [])).toBe(3);
  });
});

describe('step metrics carry standard errors (learning curves compare steps by them)', () => {
  it('standardError is the sample standard deviation over sqrt(n)', () => {
    expect(standardError([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3) / 2, 12);
    expect(standardError([0.5])).toBe(0);
    const rollouts = [rollout('a', 'finished', true), rollout('b', 'finished', false)];
    const scored = scoreRollouts(rollouts, { grouping: 'problem' });
    const m = rolloutMetrics(rollouts, scored, batchItems(scored, { grouping: 'problem' }).groups);
    expect(m.rewardSe).toBeCloseTo(standardError(scored.map((s) => s.reward.total)), 12);
    expect(m.diversitySe).toBe(0); // both rollouts built the same workflow
  });
});
