import { evalRunInput, type EvalOptions } from './run-input';
import { progressLine } from './progress-line';

const base: EvalOptions = {
  datasets: 'gsm8k, math',
  perDataset: '128',
  seed: '42',
  director: 'local',
  executor: 'local',
  maxTurns: '20',
  concurrency: '4',
  promptMode: 'compact',
  name: 'paper',
};

describe('flowsteer eval options', () => {
  it('builds the evalRun input', () => {
    expect(evalRunInput({ ...base, baselines: true })).toEqual({
      name: 'paper',
      datasets: ['gsm8k', 'math'],
      perDataset: 128,
      seed: 42,
      director: 'local',
      executor: 'local',
      maxTurns: 20,
      promptMode: 'compact',
      baselines: true,
      concurrency: 4,
      llmCalls: 'local',
    });
  });

  it('refuses bad flags with the flag named', () => {
    expect(() => evalRunInput({ ...base, datasets: ' , ' })).toThrow(/--datasets needs at least one name/);
    expect(() => evalRunInput({ ...base, perDataset: '0' })).toThrow(/--per-dataset must be a positive integer, not "0"/);
    expect(() => evalRunInput({ ...base, seed: 'x' })).toThrow(/--seed must be an integer/);
    expect(() => evalRunInput({ ...base, concurrency: '1.5' })).toThrow(/--concurrency/);
    expect(() => evalRunInput({ ...base, name: 'a b' })).toThrow(/--name/);
    expect(() => evalRunInput({ ...base, director: '/etc/passwd' })).toThrow(/--director: a backend is a name/);
    expect(() => evalRunInput({ ...base, datasets: 'gsm8k,../../x' })).toThrow(/--datasets: a dataset is a name/);
    expect(() => evalRunInput({ ...base, llmCalls: 'remote' })).toThrow(/--llm-calls/);
    expect(evalRunInput({ ...base, llmCalls: 'activity' }).llmCalls).toBe('activity');
  });

  it('prints progress as one line', () => {
    expect(
      progressLine({
        phase: 'running',
        step: 3,
        total: 8,
        failed: 1,
        metrics: { meanTurns: 5.5 },
        perDataset: { gsm8k: { done: 3, total: 4, meanScore: 0.5 }, math: { done: 0, total: 4, meanScore: null } },
      }),
    ).toBe('[running] 3/8 done, 1 failed · mean turns 5.5 · gsm8k 3/4 (score 50.0) · math 0/4');
  });
});
