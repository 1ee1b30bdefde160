import type { EvalMethod, EvalReportRow } from '@flowsteer/contracts';
import { PAPER_ORDER, datasetColumn } from './paper-reference';

export const METHOD_LABELS: Record<EvalMethod, string> = {
  direct: 'Executor alone (one call)',
  fixed: 'Fixed workflow (hand-written)',
  flowsteer: 'FlowSteer (this run)',
};

const fmt = (v: number | undefined) => (v === undefined ? 'n/s' : v.toFixed(2));

/** The metric families, as the details table names them (libs/bench README: what each one is). */
export const FAMILY_HEADERS = ['canonical (official scorer)', 'lenient', 'symbolic (sympy)', 'FlowSteer-compatible'];

export function orderDatasets(datasets: readonly string[]): string[] {
  const rank = (d: string) => (PAPER_ORDER.indexOf(d) === -1 ? PAPER_ORDER.length : PAPER_ORDER.indexOf(d));
  return [...datasets].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
}

function cell(row: EvalReportRow | undefined, metrics: string[], prefix = ''): string {
  if (!row) return '—';
  return metrics.map((m) => fmt(row.metrics[`${prefix}${m}`])).join(' / ');
}

/**
 * The results table in the paper's layout: one row per method, one column per dataset (QA as
 * EM / F1), the paper's published FlowSteer numbers as the last row; then the details per dataset
 * (canonical and FlowSteer-compatible scores, turns, tokens, cost, failures) and per task type.
 */
export function renderReportMarkdown(opts: {
  rows: readonly EvalReportRow[];
  byTaskType: readonly EvalReportRow[];
  paper: Record<string, Record<string, number>>;
  datasets: readonly string[];
  methods: readonly EvalMethod[];
}): string {
  const datasets = orderDatasets(opts.datasets);
  const find = (dataset: string, method: string) => opts.rows.find((r) => r.dataset === dataset && r.method === method);
  const header = datasets.map((d) => {
    const c = datasetColumn(d);
    return c.metrics.length > 1 ? `${c.title} ${c.metrics.map((m) => m.toUpperCase()).join('/')}` : c.title;
  });
  const lines: string[] = [];
  lines.push(`| Method (canonical metrics) | ${header.join(' | ')} |`, `|---|${datasets.map(() => '---:').join('|')}|`);
  for (const method of opts.methods) {
    lines.push(`| ${METHOD_LABELS[method]} | ${datasets.map((d) => cell(find(d, method), datasetColumn(d).metrics)).join(' | ')} |`);
  }
  lines.push(
    `| FlowSteer (paper, Qwen3-8B director) | ${datasets
      .map((d) => {
        const ref = opts.paper[d];
        return ref
          ? datasetColumn(d)
              .metrics.map((m) => fmt(ref[m]))
              .join(' / ')
          : '—';
      })
      .join(' | ')} |`,
  );
  lines.push(
    '',
    "Scores in percent, canonical metrics (the official scorers' decisions; see the table below for the other families); `n/s` = not scored on this worker (code and the symbolic check need the sandbox); a failed item counts as 0; an item whose backends were unavailable (`unavail.`) is not scored and counts nowhere.",
    '',
  );
  lines.push(
    `| Dataset | Method | n | failed | unavail. | ${FAMILY_HEADERS.join(' | ')} | mean turns | director tok/item | executor tok/item | cost USD |`,
  );
  lines.push(`|---|---|---:|---:|---:|${FAMILY_HEADERS.map(() => '---').join('|')}|---:|---:|---:|---:|`);
  for (const d of datasets) {
    const column = datasetColumn(d);
    for (const method of opts.methods) {
      const row = find(d, method);
      if (!row) continue;
      const family = (prefix: string, exists: boolean) =>
        exists ? column.metrics.map((m) => `${m} ${fmt(row.metrics[`${prefix}${m}`])}`).join(', ') : '—';
      const cells = [
        family('', true),
        family('lenient_', column.families?.includes('lenient') ?? false),
        family('symbolic_', column.families?.includes('symbolic') ?? false),
        family('flowsteer_', true),
      ];
      lines.push(
        `| ${column.title} | ${method} | ${row.n} | ${row.metrics.failures ?? 0} | ${row.metrics.unavailable ?? 0} | ${cells.join(' | ')} | ${fmt(row.metrics.meanTurns)} | ${row.metrics.directorTokens ?? 0} | ${row.metrics.executorTokens ?? 0} | ${(row.metrics.costUsd ?? 0).toFixed(4)} |`,
      );
    }
  }
  lines.push('', '`—` = the benchmark has no such metric (lenient: GSM8K, MATH, AIME, MathQA; symbolic: MATH, AIME, MathQA).');
  if (opts.byTaskType.length) {
    lines.push(
      '',
      '| Task type | Method | n | score | mean turns | director tok/item | executor tok/item |',
      '|---|---|---:|---:|---:|---:|---:|',
    );
    for (const row of opts.byTaskType) {
      lines.push(
        `| ${row.dataset} | ${row.method} | ${row.n} | ${fmt(row.metrics.primary)} | ${fmt(row.metrics.meanTurns)} | ${row.metrics.directorTokens ?? 0} | ${row.metrics.executorTokens ?? 0} |`,
      );
    }
  }
  return lines.join('\n');
}
