import type { EvalReport, EvalReportRow } from '@flowsteer/contracts';
import type { ChartSpec } from './render';

const METHOD_ORDER = ['direct', 'fixed', 'flowsteer', 'paper'];
const METHOD_LABELS: Record<string, string> = {
  direct: 'Direct (executor alone)',
  fixed: 'Fixed workflow',
  flowsteer: 'FlowSteer (this run)',
  paper: 'FlowSteer (paper)',
};

/** Headline score of a row: F1 for QA, else accuracy / pass@1, else the primary score. */
export function headline(metrics: Record<string, number>): number | undefined {
  return metrics.f1 ?? metrics.accuracy ?? metrics['pass@1'] ?? metrics.primary;
}

export interface EvalChartRow {
  chart: 'score' | 'tokens' | 'turns';
  group: string;
  method: string;
  value: number;
}

/** The values the evaluation charts show: score per dataset (with the paper's), tokens and turns per task type. */
export function evalChartRows(report: EvalReport): EvalChartRow[] {
  const rows: EvalChartRow[] = [];
  const push = (chart: EvalChartRow['chart'], group: string, method: string, value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value)) rows.push({ chart, group, method: METHOD_LABELS[method] ?? method, value });
  };
  for (const r of report.rows) push('score', r.dataset, r.method, headline(r.metrics));
  for (const [dataset, ref] of Object.entries(report.paper ?? {})) push('score', dataset, 'paper', headline(ref));
  for (const r of report.byTaskType ?? ([] as EvalReportRow[])) {
    push('tokens', r.dataset, r.method, (r.metrics.directorTokens ?? 0) + (r.metrics.executorTokens ?? 0));
    if (r.method !== 'direct') push('turns', r.dataset, r.method, r.metrics.meanTurns);
  }
  return rows;
}

const methodSort = METHOD_ORDER.map((m) => METHOD_LABELS[m] ?? m);

function bars(values: EvalChartRow[], title: string, yTitle: string, width: number): ChartSpec {
  return {
    title,
    data: { values },
    width: { step: 14 },
    height: 200,
    mark: { type: 'bar', tooltip: true },
    encoding: {
      column: { field: 'group', type: 'nominal', title: null, header: { labelAngle: 0, labelOrient: 'bottom' } },
      x: { field: 'method', type: 'nominal', sort: methodSort, axis: null },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: { field: 'method', type: 'nominal', sort: methodSort, title: 'method', legend: { orient: 'top', labelLimit: 400 } },
    },
    spacing: width,
  } as unknown as ChartSpec;
}

/** The evaluation figure: per-dataset comparison with the paper, token cost and turns per task type. */
export function evalReportSpecs(report: EvalReport): ChartSpec[] {
  const rows = evalChartRows(report);
  const of = (chart: EvalChartRow['chart']) => rows.filter((r) => r.chart === chart);
  const specs = [bars(of('score'), `Evaluation ${report.name}: score per dataset (%, QA: F1)`, 'score %', 12)];
  if (of('tokens').length) specs.push(bars(of('tokens'), 'Tokens per item by task type (director + executor)', 'tokens', 12));
  if (of('turns').length) specs.push(bars(of('turns'), 'Director turns per item by task type', 'turns', 12));
  return specs;
}
