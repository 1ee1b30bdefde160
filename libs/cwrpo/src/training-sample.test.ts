import fc from 'fast-check';
import type { Trajectory, TrajectoryTurn } from '@flowsteer/contracts';
import { trajectoryToSample, truncateHeadTail, REFERENCE_SAMPLE_OPTIONS, type Tokenise } from './training-sample';
import { buildTrainingBatch } from './batch';
import { computeReward } from './reward';

/** A toy tokeniser: one token per whitespace-separated word, id = word length * 100 + first char code % 100. */
const words: Tokenise = (text) =>
  text
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => w.length * 100 + (w.charCodeAt(0) % 100));

function trajectory(turns: TrajectoryTurn[], extra: Partial<Trajectory> = {}): Trajectory {
  return {
    id: 'session-gsm8k-1-a',
    problemId: 'gsm8k/1',
    dataset: 'gsm8k',
    taskType: 'math',
    policyVersion: 'v3',
    turns,
    finalDsl: 'Plan -> Verify -> Format',
    reward: computeReward('Plan -> Verify -> Format', 1),
    ...extra,
  };
}

describe('trajectoryToSample', () => {
  const turns: TrajectoryTurn[] = [
    { prompt: 'solve this', completion: 'add Plan', completionTokenIds: [7, 8], completionLogprobs: [-0.5, -0.25], feedback: 'ok added' },
    { prompt: 'next', completion: 'finish now please', feedback: 'done' },
  ];

  it('concatenates prompt, completion and feedback with mask 1 on director tokens only', () => {
    const s = trajectoryToSample(trajectory(turns), { advantage: 0.7, groupKey: 'gsm8k/1' }, words);
    // solve this | 7 8 | ok added | next | finish now please | done
    expect(s.mask).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0]);
    expect(s.tokenIds).toEqual([515, 416, 7, 8, 211, 597, 410, 602, 310, 612, 400]);
    expect(s.oldLogprobs).toEqual([null, null, -0.5, -0.25, null, null, null, null, null, null, null]);
    expect(s.hasOldLogprobs).toBe(false);
    expect(s).toMatchObject({
      trajectoryId: 'session-gsm8k-1-a',
      groupKey: 'gsm8k/1',
      policyVersion: 'v3',
      advantage: 0.7,
      truncatedTokens: 0,
    });
    expect(s.reward).toBeCloseTo(-0.6, 12);
  });

  it('leaves prompts out like the reference code, or keeps only the first', () => {
    const none = trajectoryToSample(trajectory(turns), { advantage: 1, groupKey: 'g' }, words, { prompts: 'none' });
    expect(none.mask).toEqual([1, 1, 0, 0, 1, 1, 1, 0]);
    const first = trajectoryToSample(trajectory(turns), { advantage: 1, groupKey: 'g' }, words, { prompts: 'first' });
    expect(first.mask).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 1, 0]);
    const noFinal = trajectoryToSample(trajectory(turns), { advantage: 1, groupKey: 'g' }, words, {
      prompts: 'none',
      includeFinalFeedback: false,
    });
    expect(noFinal.mask).toEqual([1, 1, 0, 0, 1, 1, 1]);
  });

  it('says the old logprobs are complete when every director token has one', () => {
    const s = trajectoryToSample(trajectory([turns[0] as TrajectoryTurn]), { advantage: 1, groupKey: 'g' }, words);
    expect(s.hasOldLogprobs).toBe(true);
  });

  it('refuses logprobs that do not pair with the token ids', () => {
    const bad = trajectory([{ prompt: '', completion: 'x', completionTokenIds: [1, 2], completionLogprobs: [-1], feedback: '' }]);
    expect(() => trajectoryToSample(bad, { advantage: 1, groupKey: 'g' }, words)).toThrow(
      'turn 1: 1 completion logprobs for 2 completion token ids; they must pair one to one (or leave the logprobs out)',
    );
  });

  it('refuses a tokeniser that returns something other than token ids', () => {
    expect(() => trajectoryToSample(trajectory(turns), { advantage: 1, groupKey: 'g' }, () => [1.5])).toThrow(/token ids are integers/);
  });

  it('needs a reward', () => {
    expect(() => trajectoryToSample(trajectory(turns, { reward: undefined }), { advantage: 1, groupKey: 'g' }, words)).toThrow(
      /has no reward: score it/,
    );
    const s = trajectoryToSample(trajectory(turns, { reward: undefined }), { advantage: 1, groupKey: 'g', reward: 0.3 }, words);
    expect(s.reward).toBe(0.3);
  });

  it('keeps head and tail like the reference when too long', () => {
    const long = trajectory([
      { prompt: '', completion: 'c', completionTokenIds: Array.from({ length: 1500 }, (_, i) => i), feedback: 'f' },
    ]);
    const s = trajectoryToSample(long, { advantage: 1, groupKey: 'g' }, words, REFERENCE_SAMPLE_OPTIONS);
    expect(s.tokenIds).toHaveLength(1024);
    expect(s.tokenIds.slice(0, 3)).toEqual([0, 1, 2]);
    expect(s.tokenIds.slice(510, 514)).toEqual([510, 511, 989, 990]);
    expect(s.tokenIds.at(-1)).toBe(100 + ('f'.charCodeAt(0) % 100));
    expect(s.mask.at(-1)).toBe(0);
    expect(s.truncatedTokens).toBe(477);
  });

  const turnArb: fc.Arbitrary<TrajectoryTurn> = fc.record(
    {
      prompt: fc.array(fc.constantFrom('a', 'bb', 'ccc'), { maxLength: 4 }).map((w) => w.join(' ')),
      completion: fc.array(fc.constantFrom('x', 'yy'), { maxLength: 4 }).map((w) => w.join(' ')),
      completionTokenIds: fc.array(fc.nat(50000), { maxLength: 6 }),
      feedback: fc.array(fc.constantFrom('ok', 'error'), { maxLength: 4 }).map((w) => w.join(' ')),
    },
    { requiredKeys: ['prompt', 'completion', 'feedback'] },
  );

  it('has mask, ids and logprobs of one length, and as many 1s as director tokens', () => {
    fc.assert(
      fc.property(
        fc.array(turnArb, { maxLength: 6 }),
        fc.constantFrom<'all' | 'first' | 'none'>('all', 'first', 'none'),
        fc.option(fc.integer({ min: 2, max: 40 }), { nil: undefined }),
        (ts, prompts, maxTokens) => {
          const s = trajectoryToSample(trajectory(ts), { advantage: 0, groupKey: 'g' }, words, { prompts, maxTokens });
          expect(s.mask).toHaveLength(s.tokenIds.length);
          expect(s.oldLogprobs).toHaveLength(s.tokenIds.length);
          s.oldLogprobs.forEach((lp, i) => {
            if (s.mask[i] === 0) expect(lp).toBeNull();
          });
          if (maxTokens === undefined) {
            const director = ts.reduce((n, t) => n + (t.completionTokenIds ?? words(t.completion)).length, 0);
            expect(s.mask.filter((m) => m === 1)).toHaveLength(director);
            expect(s.truncatedTokens).toBe(0);
          } else {
            expect(s.tokenIds.length).toBeLessThanOrEqual(maxTokens);
          }
          expect(JSON.parse(JSON.stringify(s))).toEqual(s);
        },
      ),
    );
  });
});

describe('truncateHeadTail', () => {
  it('keeps sequences that fit and rejects a limit below 2', () => {
    const seq = { tokenIds: [1, 2, 3], mask: [0, 1, 1] as (0 | 1)[], oldLogprobs: [null, -1, -2] };
    expect(truncateHeadTail(seq, 3)).toBe(seq);
    expect(truncateHeadTail(seq, 2)).toEqual({ tokenIds: [1, 3], mask: [0, 1], oldLogprobs: [null, -2] });
    expect(() => truncateHeadTail(seq, 1)).toThrow(/maxTokens must be an integer ≥ 2/);
  });
});

describe('buildTrainingBatch', () => {
  const t = (id: string, problemId: string, dsl: string, c: number): Trajectory => ({
    id,
    problemId,
    dataset: 'gsm8k',
    taskType: 'math',
    policyVersion: 'v1',
    turns: [{ prompt: 'p', completion: 'a b', feedback: 'f' }],
    finalDsl: dsl,
    reward: computeReward(dsl, c),
  });
  const full = 'Plan -> Decompose -> [Programmer, Custom] -> Aggregate -> Verify -> Format';

  it('computes per-problem advantages and one sample per trajectory', () => {
    const batch = buildTrainingBatch([t('a', 'p1', full, 1), t('b', 'p1', full, 0), t('c', 'p2', 'Plan', 0)], words, {
      advantages: { epsilon: 0 },
    });
    expect(batch.samples.map((s) => [s.trajectoryId, s.groupKey, s.advantage])).toEqual([
      ['a', 'p1', 1],
      ['b', 'p1', -1],
      ['c', 'p2', 0],
    ]);
    expect(batch.groups.map((g) => g.key)).toEqual(['p1', 'p2']);
  });

  it('refuses unscored trajectories', () => {
    expect(() => buildTrainingBatch([{ ...t('a', 'p1', full, 1), reward: undefined }], words)).toThrow(/"a" has no reward/);
  });
});
