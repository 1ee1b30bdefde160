import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvalItemResult, EvalRunInput } from '@flowsteer/contracts';
import { buildReport } from '../../../libs/workflows/src/eval-run/report';
import { renderReportSvg, writeEvalReportFiles } from './eval-report';

function item(method: EvalItemResult['method'], dataset: string, id: string, extra: Partial<EvalItemResult> = {}): EvalItemResult {
  const taskType = dataset === 'gsm8k' ? 'math' : 'qa';
  return {
    key: `${method}/${dataset}/${id}`,
    method,
    dataset,
    taskType,
    itemId: id,
    ok: true,
    metrics: {},
    turns: 0,
    directorTokens: 0,
    executorTokens: 100,
    costUsd: 0.001,
    ...extra,
  };
}

const input: EvalRunInput = {
  name: 'unit',
  datasets: ['hotpotqa', 'gsm8k'],
  perDataset: 2,
  seed: 42,
  director: 'd',
  executor: 'e',
  maxTurns: 6,
  promptMode: 'compact',
  baselines: true,
  concurrency: 2,
};
const plan = [
  { dataset: 'hotpotqa', total: 2, skipped: [], skippedCount: 0 },
  { dataset: 'gsm8k', total: 2, skipped: [], skippedCount: 0 },
];
const results: EvalItemResult[] = [
  item('flowsteer', 'gsm8k', '1', {
    primary: 1,
    metrics: { accuracy: 1, lenient_accuracy: 1, flowsteer_accuracy: 1 },
    turns: 6,
    directorTokens: 900,
    executorTokens: 1200,
  }),
  item('flowsteer', 'gsm8k', '2', {
    primary: 0,
    metrics: { accuracy: 0, lenient_accuracy: 1, flowsteer_accuracy: 1 },
    turns: 4,
    directorTokens: 700,
    executorTokens: 800,
  }),
  item('direct', 'gsm8k', '1', { primary: 0, metrics: { accuracy: 0, flowsteer_accuracy: 0 } }),
  item('direct', 'gsm8k', '2', { primary: 1, metrics: { accuracy: 1, flowsteer_accuracy: 1 } }),
  item('fixed', 'gsm8k', '1', { primary: 1, metrics: { accuracy: 1, flowsteer_accuracy: 1 } }),
  item('fixed', 'gsm8k', '2', { primary: 1, metrics: { accuracy: 1, flowsteer_accuracy: 1 } }),
  item('flowsteer', 'hotpotqa', 'a', {
    primary: 0.5,
    metrics: { em: 0, f1: 0.5, flowsteer_em: 0, flowsteer_f1: 0.5 },
    turns: 5,
    directorTokens: 1000,
  }),
  item('flowsteer', 'hotpotqa', 'b', { ok: false, error: 'session failed at turn 0: director down', costUsd: 0 }),
];

describe('evaluation report', () => {
  const report = buildReport(input, plan, ['direct', 'fixed', 'flowsteer'], results);

  it('records who ran the sessions (for the backend-transfer figure)', () => {
    expect(report.backends).toEqual({ director: 'd', executor: 'e' });
  });

  it('aggregates per dataset and method (percent, failures count as 0) in the paper layout, with the paper column', () => {
    const fs = report.rows.find((r) => r.dataset === 'gsm8k' && r.method === 'flowsteer');
    expect(fs?.metrics).toMatchObject({
      accuracy: 50,
      flowsteer_accuracy: 100,
      primary: 50,
      meanTurns: 5,
      directorTokens: 800,
      executorTokens: 1000,
      failures: 0,
    });
    const qa = report.rows.find((r) => r.dataset === 'hotpotqa' && r.method === 'flowsteer');
    expect(qa?.metrics).toMatchObject({ em: 0, f1: 25, primary: 25, meanTurns: 5, failures: 1 });
    const lines = report.markdown.split('\n');
    expect(lines[0]).toBe('| Method (canonical metrics) | GSM8K | HotPotQA EM/F1 |'); // paper order, not input order
    expect(lines).toContain('| Executor alone (one call) | 50.00 | — |');
    expect(lines).toContain('| Fixed workflow (hand-written) | 100.00 | — |');
    expect(lines).toContain('| FlowSteer (this run) | 50.00 | 0.00 / 25.00 |');
    expect(lines).toContain('| FlowSteer (paper, Qwen3-8B director) | 96.09 | 78.12 / 84.98 |');
    expect(report.markdown).toContain(
      '| Dataset | Method | n | failed | unavail. | canonical (official scorer) | lenient | symbolic (sympy) | FlowSteer-compatible | mean turns | director tok/item | executor tok/item | cost USD |',
    );
    // GSM8K has a lenient family and no symbolic one; a metric the scorer has but the items lack is n/s
    expect(report.markdown).toContain(
      '| GSM8K | flowsteer | 2 | 0 | 0 | accuracy 50.00 | accuracy 100.00 | — | accuracy 100.00 | 5.00 | 800 | 1000 | 0.0020 |',
    );
    expect(report.markdown).toContain('| GSM8K | direct | 2 | 0 | 0 | accuracy 50.00 | accuracy n/s | — | accuracy 50.00 |');
    expect(report.markdown).toContain('| HotPotQA | flowsteer | 2 | 1 | 0 | em 0.00, f1 25.00 | — | — | em 0.00, f1 25.00 |');
    expect(report.markdown).toContain('| qa | flowsteer | 2 | 25.00 | 5.00 | 1000 | 100 |');
    expect(report.failures).toEqual([{ key: 'flowsteer/hotpotqa/b', error: 'session failed at turn 0: director down' }]);
  });

  it('writes report.md, report.json and the chart SVG under <reports>/<run>/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-report-'));
    const files = await writeEvalReportFiles(dir, 'eval-unit-abc', report, results);
    expect(files.dir).toBe(join(dir, 'eval-unit-abc'));
    const md = readFileSync(files.markdown, 'utf8');
    expect(md).toMatch(/^# Evaluation run `eval-unit-abc`/);
    expect(md).toContain('| FlowSteer (paper, Qwen3-8B director) | 96.09 | 78.12 / 84.98 |');
    expect(md).toContain('## Failures (1)\n\n- `flowsteer/hotpotqa/b`: session failed at turn 0: director down');
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as { runId: string; rows: unknown[]; items: unknown[]; paper: unknown };
    expect(json.runId).toBe('eval-unit-abc');
    expect(json.items).toHaveLength(results.length);
    expect(json.paper).toEqual({ hotpotqa: { em: 78.12, f1: 84.98 }, gsm8k: { accuracy: 96.09 } });
    const svg = readFileSync(files.svg, 'utf8');
    expect(svg).toBe(await renderReportSvg(report));
  });

  it('charts score per dataset and method (QA by F1) with the paper, and tokens/turns per task type', async () => {
    const svg = await renderReportSvg(report);
    expect(svg.startsWith('<svg')).toBe(true);
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(
      expect.arrayContaining([
        'gsm8k',
        'hotpotqa',
        'FlowSteer (paper)',
        'FlowSteer (this run)',
        'Tokens per item by task type (director + executor)',
      ]),
    );
    expect(svg).not.toMatch(/NaN|undefined/);
  });
});
