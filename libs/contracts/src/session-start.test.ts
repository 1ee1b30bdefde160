import { DEFAULT_MAX_PROBLEM_BYTES, MAX_TURNS, type SessionInput } from './session';
import { effectiveSessionStatus, sessionInputProblems } from './session-start';
import { sessionInputProblemsWithoutPlugins } from './session-input';

const input = (over: Partial<SessionInput> = {}, problem = 'What is 2 + 2?'): SessionInput => ({
  task: { dataset: 'adhoc', id: '1', taskType: 'math', problem, answers: ['4'] },
  directorBackend: 'local',
  executorBackend: 'local',
  limits: { maxTurns: 20 },
  ...over,
});

describe('sessionInputProblems (the same checks at every edge)', () => {
  it('accepts an ordinary input', () => {
    expect(sessionInputProblems(input())).toEqual([]);
  });

  it('names the cap when the problem is too large (the 1.1 MB probe of issue 16)', () => {
    const big = 'x'.repeat(1_100_000);
    expect(sessionInputProblems(input({}, big)).join()).toMatch(/1100000 bytes; the cap is 524288 bytes/);
    expect(sessionInputProblems(input({}, 'x'.repeat(DEFAULT_MAX_PROBLEM_BYTES)))).toEqual([]);
    expect(sessionInputProblems(input({}, 'x'.repeat(600_000)), { maxProblemBytes: 700_000 })).toEqual([]);
  });

  it('refuses turn budgets the canvas would refuse', () => {
    expect(sessionInputProblems(input({ limits: { maxTurns: MAX_TURNS + 1 } })).join()).toMatch(/from 1 to 10000/);
    expect(sessionInputProblems(input({ limits: { maxTurns: 0 } }))).toHaveLength(1);
    expect(sessionInputProblems(input({ limits: { maxTurns: 2.5 } }))).toHaveLength(1);
  });

  it('checks budgets, fork points and backend names', () => {
    expect(sessionInputProblems(input({ limits: { maxTurns: 5, historyBudget: { maxEvents: 10 } } }))).toHaveLength(1);
    expect(sessionInputProblems(input({ limits: { maxTurns: 5, outageBudgetSec: -1 } }))).toHaveLength(1);
    expect(sessionInputProblems(input({ startFrom: { sessionId: '', turn: 1 } }))).toHaveLength(1);
    expect(sessionInputProblems(input({ executorBackend: '' }))).toHaveLength(1);
  });

  it('checks plug-in declarations with their schema; the part the workflow runs at every start leaves them out', () => {
    const unit = {
      name: 'UnitCheck',
      category: 'checking',
      description: 'checks the units',
      instruction: 'Check every unit of the answer.',
    };
    expect(sessionInputProblems(input({ plugins: [unit] as SessionInput['plugins'] }))).toEqual([]);
    const bad = input({ plugins: [{ ...unit, name: 'not a name' }] as SessionInput['plugins'], executorBackend: '' });
    expect(sessionInputProblems(bad)).toEqual([
      'directorBackend and executorBackend must name configured backends',
      expect.stringMatching(/^plugins: 0\.name: a capitalised name/),
    ]);
    expect(sessionInputProblemsWithoutPlugins(bad)).toEqual(['directorBackend and executorBackend must name configured backends']);
  });
});

describe('effectiveSessionStatus', () => {
  it('says how a session the server ended really ended', () => {
    expect(effectiveSessionStatus('TERMINATED', 'running')).toBe('failed');
    expect(effectiveSessionStatus('TIMED_OUT', 'waiting-for-backend')).toBe('failed');
    expect(effectiveSessionStatus('CANCELLED', 'paused')).toBe('cancelled');
    expect(effectiveSessionStatus('RUNNING', 'running')).toBe('running');
    expect(effectiveSessionStatus('COMPLETED', 'turn-limit')).toBe('turn-limit');
    expect(effectiveSessionStatus('FAILED', 'failed')).toBe('failed');
  });
});
