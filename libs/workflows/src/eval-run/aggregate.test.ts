import type { EvalItemResult } from '@flowsteer/contracts';
import { aggregateRows, progressMetrics } from './aggregate';

/** Scripted unit results of one dataset and method: two scored sessions, one failure, one outage. */
function item(id: string, over: Partial<EvalItemResult>): EvalItemResult {
  return {
    key: `flowsteer/gsm8k/${id}`,
    method: 'flowsteer',
    dataset: 'gsm8k',
    taskType: 'math',
    itemId: id,
    ok: true,
    status: 'finished',
    metrics: {},
    turns: 4,
    directorTokens: 100,
    executorTokens: 50,
    costUsd: 0,
    ...over,
  };
}

describe('evaluation: backend-unavailable sessions are counted apart, never scored 0', () => {
  const results = [
    item('a', { metrics: { accuracy: 1 }, primary: 1 }),
    item('b', { metrics: { accuracy: 0 }, primary: 0 }),
    item('c', { ok: false, status: 'failed', turns: 0, error: 'boom' }),
    item('d', { status: 'backend-unavailable', turns: 20, directorTokens: 0, error: 'director down for 1800 s' }),
  ];

  it('leaves them out of every mean and reports their count', () => {
    const [row] = aggregateRows(results);
    // (1 + 0 + failed 0) / 3: the outage is in no denominator
    expect(row?.metrics).toMatchObject({ accuracy: 33.33, primary: 33.33, failures: 1, unavailable: 1, meanTurns: 4, directorTokens: 100 });
    expect(row?.n).toBe(4);
    expect(progressMetrics(results).meanTurns).toBe(4);
  });

  it('a group of outages only has no score at all', () => {
    const [row] = aggregateRows([results[3] as EvalItemResult]);
    expect(row?.metrics.primary).toBeUndefined();
    expect(row?.metrics).toMatchObject({ unavailable: 1, failures: 0 });
  });
});
