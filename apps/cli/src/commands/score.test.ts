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
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(7); // 6 non-empty input lines + the summary line
    expect(lines[0]).toMatchObject({ line: 1, ok: true, id: 'g1', dataset: 'gsm8k', metrics: { accuracy: 1 } });
    expect(lines[1]).toMatchObject({ line: 2, ok: true, metrics: { accuracy: 0 } });
    expect(lines[2]).toMatchObject({ line: 3, ok: true, dataset: 'hotpotqa', metrics: { em: 1, f1: 1 } });
    expect(lines[3]).toMatchObject({ line: 5, ok: false, error: expect.stringMatching(/^line 5: not JSON/) });
    expect(lines[4]).toMatchObject({ line: 6, ok: false, error: expect.stringMatching(/^line 6: .*answer/) });
    expect(lines[5]).toMatchObject({ line: 7, ok: true, metrics: { accuracy: 1 } });
    const summary = lines[6]?.summary as { lines: number; scored: number; failed: number; byDataset: Record<string, { count: number; metrics: Record<string, number> }> };
    expect(summary).toMatchObject({ lines: 6, scored: 4, failed: 2 });
    expect(summary.byDataset.gsm8k).toMatchObject({ count: 2, metrics: { accuracy: 50 } });
    expect(stderr).toContain('scored 4 of 6 line(s); 2 malformed');
    expect(stderr).toMatch(/gsm8k \(n=2\): canonical accuracy 50\.00/);
    expect(stderr).toMatch(/malformed lines \(skipped\):\n {2}line 5: not JSON/);
  });

  it('exits with 2 and says so when the file is missing', () => {
    const { code, stdout, stderr } = flowsteer('score', '--file', join(tmpdir(), 'no-such-predictions.jsonl'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/no such file: .*no-such-predictions\.jsonl/);
  });
});
