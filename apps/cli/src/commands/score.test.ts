import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(60_000);

const BIN = resolve(__dirname, '..', '..', 'bin', 'flowsteer.js');

function flowsteer(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmpdir() });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('flowsteer score --file (the CLI as users run it)', () => {
  it('prints one JSON line per input line and a summary; bad lines are reported with their numbers and exit 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-score-'));
    const file = join(dir, 'predictions.jsonl');
    writeFileSync(
      file,
      [
        '{"dataset": "gsm8k", "id": "g1", "prediction": "so the answer is #### 18", "answer": "18"}',
        '{"dataset": "gsm8k", "id": "g2", "prediction": "I think 17", "answer": "18"}',
        '{"dataset": "hotpotqa", "id": "h1", "prediction": "the Eiffel Tower", "answers": ["Eiffel Tower"]}',
        '',
        '{"dataset": "gsm8k", "prediction": "12", "answer": ',
        '{"dataset": "nq", "prediction": "Paris"}',
        '{"metric": "option", "prediction": "(b)", "answer": "b", "options": "a ) 1 , b ) 2"}',
      ].join('\n') + '\n',
    );
    const { code, stdout, stderr } = flowsteer('score', '--file', file);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(7); // 6 non-empty input lines + the summary line
    expect(lines[0]).toMatchObject({
      line: 1,
      ok: true,
      id: 'g1',
      dataset: 'gsm8k',
      metrics: { accuracy: 1 },
      lenient: { accuracy: 1 },
      flowsteer: { accuracy: 1 },
    });
    expect(lines[1]).toMatchObject({ line: 2, ok: true, metrics: { accuracy: 0 } });
    expect(lines[2]).toMatchObject({ line: 3, ok: true, dataset: 'hotpotqa', metrics: { em: 1, f1: 1 } });
    expect(lines[3]).toMatchObject({ line: 5, ok: false, error: expect.stringMatching(/^line 5: not JSON/) });
    expect(lines[4]).toMatchObject({ line: 6, ok: false, error: expect.stringMatching(/^line 6: .*answer/) });
    expect(lines[5]).toMatchObject({ line: 7, ok: true, metrics: { accuracy: 1 } });
    const summary = lines[6]?.summary as {
      lines: number;
      scored: number;
      failed: number;
      byDataset: Record<string, { count: number; metrics: Record<string, number> }>;
    };
    expect(summary).toMatchObject({ lines: 6, scored: 4, failed: 2 });
    expect(summary.byDataset.gsm8k).toMatchObject({ count: 2, metrics: { accuracy: 50 } });
    expect(stderr).toContain('scored 4 of 6 line(s); 2 malformed');
    expect(stderr).toContain('| dataset | n | canonical (official scorer) | lenient | symbolic (sympy) | FlowSteer-compatible |');
    expect(stderr).toContain('| gsm8k | 2 | accuracy 50.00 | accuracy 50.00 | — | accuracy 50.00 |');
    expect(stderr).toContain('| hotpotqa | 1 | em 100.00, f1 100.00 | — | — | correct 100.00, em 100.00, f1 100.00 |');
    expect(stderr).toMatch(/malformed lines \(skipped\):\n {2}line 5: not JSON/);
  });

  it('reports the official quirks under canonical and the forgiving reading under lenient, and the sympy check where it exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-score-'));
    const file = join(dir, 'predictions.jsonl');
    writeFileSync(
      file,
      [
        '{"dataset": "gsm8k", "prediction": "#### 0480", "answer": "#### 480"}',
        '{"dataset": "gsm8k", "prediction": "#### $7", "answer": "#### 7"}',
        '{"dataset": "math", "prediction": "so \\\\boxed{\\\\frac{2}{4}}", "answer": "\\\\frac{1}{2}"}',
        '{"dataset": "math", "prediction": "1/2", "answer": "\\\\frac{1}{2}"}',
        '{"dataset": "triviaqa", "prediction": "Paris", "answers": []}',
      ].join('\n') + '\n',
    );
    const { code, stdout, stderr } = flowsteer('score', '--file', file);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ metrics: { accuracy: 0 }, lenient: { accuracy: 1 }, extracted: '0480' });
    expect(lines[1]).toMatchObject({ metrics: { accuracy: 0 }, lenient: { accuracy: 1 }, extracted: null });
    expect(lines[2]).toMatchObject({ metrics: { accuracy: 0 }, lenient: { accuracy: 1 }, symbolic: { accuracy: 1 } });
    expect(lines[3]).toMatchObject({ metrics: { accuracy: 0 }, lenient: { accuracy: 1 }, symbolic: { accuracy: 1 }, extracted: null });
    expect(lines[4]).toMatchObject({ ok: true, metrics: { em: 0, f1: 0 }, note: expect.stringMatching(/raises/) });
    expect(stderr).toContain('| gsm8k | 2 | accuracy 0.00 | accuracy 100.00 | — | accuracy 100.00 |');
    expect(stderr).toContain('| math | 2 | accuracy 0.00 | accuracy 100.00 | accuracy 100.00 | accuracy 100.00 |');
    const skipped = flowsteer('score', '--file', file, '--no-symbolic');
    expect(skipped.stderr).toContain('| math | 2 | accuracy 0.00 | accuracy 100.00 | — | accuracy 100.00 |');
    expect(skipped.stderr).toContain('symbolic metric skipped (--no-symbolic)');
  });

  it('exits with 2 and says so when the file is missing', () => {
    const { code, stdout, stderr } = flowsteer('score', '--file', join(tmpdir(), 'no-such-predictions.jsonl'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/no such file: .*no-such-predictions\.jsonl/);
  });
});
