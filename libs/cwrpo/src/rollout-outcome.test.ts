import type { SessionResult } from '@flowsteer/contracts';
import { rolloutOutcomeOf } from './rollout-outcome';

const base = {
  sessionId: 'train-x-s1-p0-g0',
  status: 'finished',
  answer: '42',
  dsl: 'Custom -> Format',
  turns: 4,
  ledger: { director: [], executor: [] },
  totals: { directorTokens: 120, executorTokens: 300, costUsd: 0 },
  events: [{ type: 'x' }],
} as unknown as SessionResult;

describe('rolloutOutcomeOf', () => {
  it('keeps what training needs and drops the events and ledger', () => {
    expect(rolloutOutcomeOf(base)).toEqual({
      sessionId: 'train-x-s1-p0-g0',
      status: 'finished',
      dsl: 'Custom -> Format',
      turns: 4,
      directorTokens: 120,
      executorTokens: 300,
    });
  });

  it('carries the score, trajectory and error only when the session has them', () => {
    const full = {
      ...base,
      score: { correct: true, value: 1 },
      trajectoryRef: 'trajectories/a.json',
      error: 'boom',
    } as unknown as SessionResult;
    expect(rolloutOutcomeOf(full)).toMatchObject({
      score: { correct: true, value: 1 },
      trajectoryRef: 'trajectories/a.json',
      error: 'boom',
    });
  });
});
