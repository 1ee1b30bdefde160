import { collidingIds } from './problems';
import { exitCodeOf, renderNotes, solveRow } from './table';

const task = (id: string) => ({ dataset: 'file', id, taskType: 'math' as const, problem: 'p', answers: [] });

describe('solve input checks', () => {
  it('finds duplicate ids and ids that map to the same workflow id before anything starts', () => {
    expect(collidingIds([task('a'), task('b')])).toEqual([]);
    expect(collidingIds([task('a'), task('a')])).toEqual(['"a" appears twice']);
    expect(collidingIds([task('x y'), task('x/y')])).toEqual(['"x y" and "x/y" give the same workflow id']);
  });

  it('prints whole reasons, wrapped, and says an outage apart in the exit code', () => {
    const reason = `the executor backend did not answer for 1800 s: ${'word '.repeat(40)}end`;
    const result = {
      sessionId: 's',
      status: 'backend-unavailable',
      answer: '',
      dsl: '',
      turns: 3,
      reason,
      totals: { directorTokens: 0, executorTokens: 0, costUsd: 0 },
    };
    const row = solveRow('file/1', [], { ok: true, result: result as never }, (id) => id);
    const notes = renderNotes([row], 60);
    expect(notes).toContain('file/1 backend-unavailable:');
    expect(notes.replace(/\s+/g, ' ')).toContain(reason.replace(/\s+/g, ' '));
    expect(Math.max(...notes.split('\n').map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(exitCodeOf([{ ok: true, result: result as never }])).toBe(4);
    expect(
      exitCodeOf([
        { ok: false, workflowId: 'w', error: 'boom' },
        { ok: true, result: result as never },
      ]),
    ).toBe(1);
  });
});
