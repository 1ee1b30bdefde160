import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EvalReport } from '@flowsteer/contracts';

jest.setTimeout(60_000);

const BIN = resolve(__dirname, '..', '..', 'bin', 'flowsteer.js');

function flowsteer(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A report folder as `flowsteer eval --baselines` writes it (report.json holds the report and its items). */
function writeRun(dir: string, executor: string, alone: number, steered: number): string {
  const report: EvalReport = {
    name: `transfer-${executor}`,
    markdown: '',
    backends: { director: 'policy', executor },
    rows: [
      { dataset: 'gsm8k', method: 'direct', n: 4, metrics: { accuracy: alone } },
      { dataset: 'gsm8k', method: 'flowsteer', n: 4, metrics: { accuracy: steered } },
    ],
  };
  const folder = join(dir, `eval-${executor}`);
  mkdirSync(folder);
  writeFileSync(join(folder, 'report.json'), JSON.stringify({ runId: `eval-${executor}`, ...report, items: [] }));
  return folder;
}

describe('flowsteer transfer (the CLI as users run it)', () => {
  it('prints the table and writes the figure from report folders and files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-transfer-'));
    const a = writeRun(dir, 'small', 25, 50);
    const b = writeRun(dir, 'large', 75, 75);
    const run = flowsteer(dir, 'transfer', a, join(b, 'report.json'), '--out', 'fig.svg');
    expect(run.stderr).toContain(join(dir, 'fig.svg'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('| gsm8k | small | 25.0 | 50.0 | +25.0 |');
    expect(run.stdout).toContain('| gsm8k | large | 75.0 | 75.0 | +0.0 |');
    const svg = readFileSync(join(dir, 'fig.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('small');
  });

  it('names the file that is not a report and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-transfer-'));
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    const bad = flowsteer(dir, 'transfer', join(dir, 'other.json'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/other\.json is not an evaluation report/);
    const missing = flowsteer(dir, 'transfer', join(dir, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\/report\.json: no such file|nope: no such file/);
  });
});
