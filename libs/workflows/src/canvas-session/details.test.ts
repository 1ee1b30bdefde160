import { EMPTY_STATE, openCanvas, replay } from '@flowsteer/canvas';
import { UI_DETAILS_MAX_CHARS } from '@flowsteer/contracts';
import { renderSessionDetails } from './details';

const opened = replay(openCanvas({ problem: 'What is 6 times 7?', taskType: 'math', maxTurns: 12 }).events ?? [], EMPTY_STATE);

describe('the session details the Temporal UI shows', () => {
  it('names the turn, the status, the backends and the workflow', () => {
    const md = renderSessionDetails({ state: opened, status: 'running', run: 0, director: 'local', executor: 'vllm-8b' });
    expect(md).toContain('turn 0 of 12 · running');
    expect(md).toContain('director `local` → executor `vllm-8b`');
    expect(md).toContain('**workflow** `(empty)`');
  });

  it('tabulates the last execution, one row per call, and stays bounded however many calls ran', () => {
    const calls = Array.from({ length: 200 }, (_, i) => ({
      callId: `node_${i}`,
      nodeId: `node_${i}`,
      operator: 'Custom',
      cacheKey: 'k',
      cached: false,
      ok: true,
      text: `answer | ${i}\nsecond line ${'x'.repeat(5_000)}`,
      passed: i % 2 === 0,
      feedback: null,
      error: null,
    }));
    const state = { ...opened, turn: 7, lastExecution: { revision: 3, ok: true, answer: '42', error: null, calls, branches: [] } };
    const md = renderSessionDetails({
      state,
      status: 'waiting-for-backend',
      run: 2,
      director: 'd',
      executor: 'e',
      waiting: { reason: 'executor down' },
      score: 1,
    });
    expect(md).toContain('| node_0 | Custom | passed | answer \\| 0 second line');
    expect(md).toContain('| node_1 | Custom | failed check |');
    expect(md).toContain('175 more calls');
    expect(md).toContain('**waiting for a backend:** executor down');
    expect(md).toContain('run 3 of the chain');
    expect(md).toContain('**answer:** 42');
    expect(md.length).toBeLessThanOrEqual(UI_DETAILS_MAX_CHARS);
    // every table row is one line: no cell carries a newline into the Markdown
    for (const line of md.split('\n').filter((l) => l.startsWith('| node_'))) expect(line.split(' | ').length).toBe(4);
  });
});
