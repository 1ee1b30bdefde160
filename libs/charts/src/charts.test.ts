import type { EvalReport } from '@flowsteer/contracts';
import {
  evalChartRows,
  evalReportSpecs,
  renderStack,
  renderSvg,
  reportExecutor,
  trainingCurvesSpec,
  trainingRows,
  transferDirectors,
  transferMarkdown,
  transferRows,
  transferSpec,
} from './index';

const report: EvalReport = {
  name: 'unit',
  markdown: '',
  rows: [
    { dataset: 'gsm8k', method: 'direct', n: 2, metrics: { accuracy: 50 } },
    { dataset: 'gsm8k', method: 'flowsteer', n: 2, metrics: { accuracy: 100 } },
    { dataset: 'hotpotqa', method: 'flowsteer', n: 2, metrics: { em: 0, f1: 25 } },
  ],
  byTaskType: [
    { dataset: 'math', method: 'flowsteer', n: 2, metrics: { directorTokens: 800, executorTokens: 1000, meanTurns: 5 } },
    { dataset: 'math', method: 'direct', n: 2, metrics: { directorTokens: 0, executorTokens: 300, meanTurns: 0 } },
  ],
  paper: { gsm8k: { accuracy: 96.09 }, hotpotqa: { em: 78.12, f1: 84.98 } },
};

/** The text labels of an SVG rendered by Vega (axis labels, titles, legend entries). */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('charts (Vega-Lite rendered to SVG)', () => {
  it('takes each dataset headline (QA by F1), the paper, tokens and turns per task type', () => {
    const rows = evalChartRows(report);
    expect(rows).toEqual(
      expect.arrayContaining([
        { chart: 'score', group: 'gsm8k', method: 'Direct (executor alone)', value: 50 },
        { chart: 'score', group: 'hotpotqa', method: 'FlowSteer (this run)', value: 25 },
        { chart: 'score', group: 'hotpotqa', method: 'FlowSteer (paper)', value: 84.98 },
        { chart: 'tokens', group: 'math', method: 'FlowSteer (this run)', value: 1800 },
        { chart: 'turns', group: 'math', method: 'FlowSteer (this run)', value: 5 },
      ]),
    );
    expect(rows.some((r) => r.chart === 'turns' && r.method.startsWith('Direct'))).toBe(false);
  });

  it('renders the evaluation figure as one SVG with every panel and legend', async () => {
    const svg = await renderStack(evalReportSpecs(report));
    expect(svg.startsWith('<svg')).toBe(true);
    const labels = texts(svg);
    for (const t of [
      'gsm8k',
      'hotpotqa',
      'math',
      'FlowSteer (paper)',
      'Tokens per item by task type (director + executor)',
      'Director turns per item by task type',
    ]) {
      expect(labels).toContain(t);
    }
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  it('training curves: reward with a standard-error band, and only the metrics present', async () => {
    const points = [1, 2, 3].map((step) => ({
      step,
      metrics: { rewardMean: step / 10, rewardStd: 0.4, usableRollouts: 16, diversityMean: 0.2 * step, clippedFraction: 0.05 },
    }));
    const rows = trainingRows(points);
    const reward = rows.filter((r) => r.panel.startsWith('reward'));
    expect(reward).toHaveLength(3);
    expect(reward[0]?.hi).toBeCloseTo(0.1 + 0.4 / 4, 9);
    expect(rows.some((r) => r.panel.startsWith('KL'))).toBe(false);
    const withSe = trainingRows([{ step: 1, metrics: { diversityMean: 0.5, diversitySe: 0.1 } }]);
    expect(withSe[0]).toMatchObject({ lo: 0.4, hi: 0.6 });
    const svg = await renderSvg(trainingCurvesSpec('run', points));
    const labels = texts(svg);
    expect(labels).toEqual(expect.arrayContaining(['reward (mean ± s.e.)', 'structure reward R_div', 'clipped fraction']));
    expect(labels).not.toContain('KL to the reference');
  });

  it('says so when there is nothing to draw yet', async () => {
    expect(texts(await renderSvg(trainingCurvesSpec('run', [])))).toContain('no finished step yet');
  });
});

describe('the backend-transfer figure (one director, several executors)', () => {
  const run = (executor: string, alone: number, steered: number, director = 'policy'): EvalReport => ({
    name: `transfer-${executor}`,
    markdown: '',
    backends: { director, executor, policyVersion: 'step-40' },
    rows: [
      { dataset: 'gsm8k', method: 'direct', n: 8, metrics: { accuracy: alone } },
      { dataset: 'gsm8k', method: 'fixed', n: 8, metrics: { accuracy: 1 } },
      { dataset: 'gsm8k', method: 'flowsteer', n: 8, metrics: { accuracy: steered } },
    ],
  });

  it('pairs each executor’s score alone with its score under the director, and tabulates the gain', () => {
    const reports = [run('qwen-small', 40, 55), run('gpt-mini', 70, 68)];
    expect(transferRows(reports)).toEqual([
      { dataset: 'gsm8k', executor: 'qwen-small', method: 'Executor alone', value: 40, n: 8 },
      { dataset: 'gsm8k', executor: 'qwen-small', method: 'FlowSteer', value: 55, n: 8 },
      { dataset: 'gsm8k', executor: 'gpt-mini', method: 'Executor alone', value: 70, n: 8 },
      { dataset: 'gsm8k', executor: 'gpt-mini', method: 'FlowSteer', value: 68, n: 8 },
    ]);
    const table = transferMarkdown(reports).split('\n');
    expect(table).toContain('| gsm8k | qwen-small | 40.0 | 55.0 | +15.0 |');
    expect(table).toContain('| gsm8k | gpt-mini | 70.0 | 68.0 | -2.0 |');
  });

  it('names every director when the reports mix them, and renders to SVG with each executor', async () => {
    const reports = [run('qwen-small', 40, 55), run('gpt-mini', 70, 68, 'other-policy')];
    expect(transferDirectors(reports)).toEqual(['policy (step-40)', 'other-policy (step-40)']);
    const labels = texts(await renderStack([transferSpec(reports)]));
    expect(labels).toEqual(
      expect.arrayContaining([
        'qwen-small',
        'gpt-mini',
        'FlowSteer',
        'Executor alone',
        'director: policy (step-40), other-policy (step-40)',
      ]),
    );
  });

  it('falls back to the report name for reports written before backends were recorded, and shows a missing baseline as a dash', () => {
    const { backends: _b, ...old } = run('x', 10, 20);
    const noBaseline = { ...old, rows: old.rows.filter((r) => r.method !== 'direct') };
    expect(reportExecutor(noBaseline)).toBe('transfer-x');
    expect(transferMarkdown([noBaseline])).toContain('| gsm8k | transfer-x | – | 20.0 | – |');
  });
});
