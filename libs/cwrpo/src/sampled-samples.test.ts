import type { Trajectory, TrajectoryTurn } from '@flowsteer/contracts';
import { CwrpoError } from './errors';
import { computeReward } from './reward';
import { sampledTurnSamples } from './training-sample';

function trajectory(turns: TrajectoryTurn[]): Trajectory {
  return {
    id: 'session-1',
    problemId: 'gsm8k/1',
    dataset: 'gsm8k',
    taskType: 'math',
    policyVersion: 'v3',
    turns,
    finalDsl: 'Plan -> Verify -> Format',
    reward: computeReward('Plan -> Verify -> Format', 1),
  };
}

describe('sampledTurnSamples: the ids the director sampled, nothing re-tokenised', () => {
  const turns: TrajectoryTurn[] = [
    {
      prompt: 'p1',
      completion: 'c1',
      promptTokenIds: [1, 50, 51],
      completionTokenIds: [7, 8],
      completionLogprobs: [-0.5, -0.25],
      feedback: 'f1',
    },
    {
      prompt: 'p2',
      completion: 'c2',
      promptTokenIds: [1, 50, 51, 7, 8, 60],
      completionTokenIds: [9],
      completionLogprobs: [-1],
      feedback: 'f2',
    },
  ];

  it('gives one sample per director turn: prompt ids (mask 0) then completion ids (mask 1, sampler log-probs)', () => {
    const [a, b] = sampledTurnSamples(trajectory(turns), { advantage: 0.5, groupKey: 'gsm8k/1' });
    expect(a).toMatchObject({
      trajectoryId: 'session-1',
      tokenIds: [1, 50, 51, 7, 8],
      mask: [0, 0, 0, 1, 1],
      oldLogprobs: [null, null, null, -0.5, -0.25],
      hasOldLogprobs: true,
      advantage: 0.5,
    });
    expect(b).toMatchObject({
      trajectoryId: 'session-1',
      tokenIds: [1, 50, 51, 7, 8, 60, 9],
      mask: [0, 0, 0, 0, 0, 0, 1],
      oldLogprobs: [null, null, null, null, null, null, -1],
    });
  });

  it('refuses a turn whose backend reported no ids, naming it', () => {
    const without = [turns[0] as TrajectoryTurn, { prompt: 'p2', completion: 'c2', completionLogprobs: [-1], feedback: '' }];
    expect(() => sampledTurnSamples(trajectory(without), { advantage: 0, groupKey: 'g' })).toThrow(CwrpoError);
    expect(() => sampledTurnSamples(trajectory(without), { advantage: 0, groupKey: 'g' })).toThrow(/turn 2 has no sampled token ids/);
  });

  it('refuses log-probs that do not pair with the ids', () => {
    const bad = [{ ...(turns[0] as TrajectoryTurn), completionLogprobs: [-0.5] }];
    expect(() => sampledTurnSamples(trajectory(bad), { advantage: 0, groupKey: 'g' })).toThrow(/1 completion logprobs for 2/);
  });
});

describe('sampledTurnSamples: the sampler’s support', () => {
  const turn: TrajectoryTurn = {
    prompt: 'p',
    completion: 'c',
    promptTokenIds: [1, 50, 51, 52],
    completionTokenIds: [7, 8, 9],
    completionLogprobs: [-0.5, -0.25, -1],
    completionSupport: [[7, 70], null, [9]],
    feedback: '',
  };

  it('carries it aligned with the tokens (null on the prompt), through head-and-tail truncation too', () => {
    const [whole] = sampledTurnSamples(trajectory([turn]), { advantage: 1, groupKey: 'g' });
    expect(whole?.support).toEqual([null, null, null, null, [7, 70], null, [9]]);
    const [cut] = sampledTurnSamples(trajectory([turn]), { advantage: 1, groupKey: 'g' }, { maxTokens: 4 });
    expect(cut?.tokenIds).toEqual([1, 50, 8, 9]);
    expect(cut?.support).toEqual([null, null, null, [9]]);
    const { completionSupport: _s, ...without } = turn;
    expect(sampledTurnSamples(trajectory([without]), { advantage: 1, groupKey: 'g' })[0]).not.toHaveProperty('support');
  });

  it('refuses a support of the wrong length, or one without the token sampled from it', () => {
    expect(() => sampledTurnSamples(trajectory([{ ...turn, completionSupport: [[7]] }]), { advantage: 1, groupKey: 'g' })).toThrow(
      /1 completion support entries for 3 completion token ids/,
    );
    expect(() =>
      sampledTurnSamples(trajectory([{ ...turn, completionSupport: [[70], null, [9]] }]), { advantage: 1, groupKey: 'g' }),
    ).toThrow(/completion token 0 is not in the set the sampler reported choosing from/);
  });
});
