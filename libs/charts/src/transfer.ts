import type { EvalReport } from '@flowsteer/contracts';
import { headline } from './evaluation';
import type { ChartSpec } from './render';

export interface TransferRow {
  dataset: string;
  executor: string;
  method: 'FlowSteer' | 'Executor alone';
  /** Headline score in percent (QA: F1). */
  value: number;
  n: number;
}

/** Who an evaluation report's sessions ran with (reports written before backends were recorded: their name). */
export function reportExecutor(report: EvalReport): string {
  return report.backends?.executor ?? report.name;
}

/**
 * The backend-transfer comparison (the paper's figure of one director over several executors):
 * per dataset and executor, FlowSteer's score and, where the run had baselines, the executor's alone.
 */
export function transferRows(reports: readonly EvalReport[]): TransferRow[] {
  const rows: TransferRow[] = [];
  for (const report of reports) {
    const executor = reportExecutor(report);
    for (const r of report.rows) {
      const method = r.method === 'flowsteer' ? 'FlowSteer' : r.method === 'direct' ? 'Executor alone' : undefined;
      const value = headline(r.metrics);
      if (method && value !== undefined && Number.isFinite(value)) rows.push({ dataset: r.dataset, executor, method, value, n: r.n });
    }
  }
  return rows;
}

/** The directors of the reports: a transfer figure is about one, so more than one is worth saying. */
export function transferDirectors(reports: readonly EvalReport[]): string[] {
  const seen = reports.map((r) =>
    r.backends ? `${r.backends.director}${r.backends.policyVersion ? ` (${r.backends.policyVersion})` : ''}` : 'unknown',
  );
  return [...new Set(seen)];
}

export function transferSpec(reports: readonly EvalReport[]): ChartSpec {
  const directors = transferDirectors(reports);
  return {
    title: { text: 'Backend transfer: one director over several executors', subtitle: `director: ${directors.join(', ')}` },
    data: { values: transferRows(reports) },
    width: { step: 16 },
    height: 200,
    mark: { type: 'bar', tooltip: true },
    encoding: {
      column: { field: 'dataset', type: 'nominal', title: null, header: { labelOrient: 'bottom' } },
      x: { field: 'executor', type: 'nominal', title: null, axis: { labelAngle: -30 } },
      xOffset: { field: 'method', type: 'nominal', sort: ['Executor alone', 'FlowSteer'] },
      y: { field: 'value', type: 'quantitative', title: 'score %' },
      color: { field: 'method', type: 'nominal', sort: ['Executor alone', 'FlowSteer'], legend: { orient: 'top', title: null } },
    },
    spacing: 12,
  } as unknown as ChartSpec;
}

/** The same figures as a markdown table: score alone, with FlowSteer, and the gain, per dataset and executor. */
export function transferMarkdown(reports: readonly EvalReport[]): string {
  const rows = transferRows(reports);
  const keys = [...new Set(rows.map((r) => `${r.dataset}\u0000${r.executor}`))];
  const fmt = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));
  const lines = ['| dataset | executor | executor alone | FlowSteer | gain |', '|---|---|---|---|---|'];
  for (const key of keys) {
    const [dataset, executor] = key.split('\u0000') as [string, string];
    const of = (m: TransferRow['method']) => rows.find((r) => r.dataset === dataset && r.executor === executor && r.method === m)?.value;
    const alone = of('Executor alone');
    const steered = of('FlowSteer');
    const gain = alone !== undefined && steered !== undefined ? `${steered - alone >= 0 ? '+' : ''}${(steered - alone).toFixed(1)}` : '–';
    lines.push(`| ${dataset} | ${executor} | ${fmt(alone)} | ${fmt(steered)} | ${gain} |`);
  }
  return lines.join('\n');
}
