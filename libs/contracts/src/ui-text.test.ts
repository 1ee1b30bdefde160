import fc from 'fast-check';
import { UI_SUMMARY_MAX_CHARS, capMarkdown, sessionStaticDetails, sessionStaticSummary } from './ui-text';
import type { SessionInput } from './session';

const input = (problem: string, extra: Partial<SessionInput> = {}): SessionInput => ({
  task: { dataset: 'mbpp', id: '11', taskType: 'code', problem, answers: [] },
  directorBackend: 'local',
  executorBackend: 'vllm',
  limits: { maxTurns: 20 },
  ...extra,
});

describe('UI texts of a session', () => {
  it('summarises dataset, item, backends and the problem in one line', () => {
    expect(sessionStaticSummary(input('Write a function\nthat removes   the first char.'))).toBe(
      'mbpp/11 · local → vllm · Write a function that removes the first char.',
    );
    expect(sessionStaticSummary(input('p', { startFrom: { sessionId: 'session-a', turn: 3 } }))).toContain('fork of session-a@3');
  });

  it('keeps the summary to one bounded line and the details bounded, whatever the problem', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20_000 }), (problem) => {
        const summary = sessionStaticSummary(input(problem));
        expect(summary).not.toMatch(/\n/);
        expect(summary.length).toBeLessThanOrEqual(UI_SUMMARY_MAX_CHARS + 60);
        expect(sessionStaticDetails(input(problem)).length).toBeLessThanOrEqual(4_000);
      }),
    );
  });

  it('details name the limits, the backends and quote the problem', () => {
    const md = sessionStaticDetails(input('line one\nline two', { limits: { maxTurns: 20, outageBudgetSec: 600 } }));
    expect(md).toContain('limits: 20 turns, outage budget 600 s');
    expect(md).toContain('director `local` → executor `vllm`');
    expect(md).toContain('> line one\n> line two');
  });

  it('capMarkdown says when it cut', () => {
    expect(capMarkdown('abc', 10)).toBe('abc');
    const cut = capMarkdown('x'.repeat(100), 50);
    expect(cut.length).toBe(50);
    expect(cut).toContain('cut to fit');
  });
});
