import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalReport, EvalReportFiles, EvalReportRow } from '@flowsteer/contracts';

/**
 * Writes an evaluation run's report to `<reportsDir>/<run>/`: `report.md` (the paper-layout table
 * and details), `report.json` (the report and every item's result) and `report.svg` (scores per
 * dataset against the baselines and the paper; tokens and turns per task type). The SVG is drawn
 * here, without a plotting dependency. Files are written then renamed, so a retry never leaves
 * half a file.
 */
export function writeEvalReportFiles(reportsDir: string, runId: string, report: EvalReport, items: unknown[]): EvalReportFiles {
  const dir = join(reportsDir, runId.replace(/[^A-Za-z0-9._-]+/g, '_'));
  mkdirSync(dir, { recursive: true });
  const files = { dir, markdown: join(dir, 'report.md'), json: join(dir, 'report.json'), svg: join(dir, 'report.svg') };
  writeAtomic(files.markdown, reportMarkdownFile(runId, report));
  writeAtomic(files.json, JSON.stringify({ runId, ...report, items }, null, 2) + '\n');
  writeAtomic(files.svg, renderReportSvg(report));
  return files;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export function reportMarkdownFile(runId: string, report: EvalReport): string {
  const failures = report.failures ?? [];
  return [
    `# Evaluation run \`${runId}\``,
    '',
    report.markdown,
    '',
    `Reference row: the paper's published FlowSteer scores (flowsteer-spec.md §8.1), not measured here.`,
    '',
    `## Failures (${failures.length})`,
    '',
    ...(failures.length ? failures.slice(0, 100).map((f) => `- \`${f.key}\`: ${f.error.replace(/\s+/g, ' ').slice(0, 300)}`) : ['none']),
    '',
    '![scores, tokens and turns](report.svg)',
    '',
  ].join('\n');
}

const COLORS: Record<string, string> = { direct: '#9aa5b1', fixed: '#f0a202', flowsteer: '#2b6cb0', paper: '#c53030' };
const LABELS: Record<string, string> = { direct: 'executor alone', fixed: 'fixed workflow', flowsteer: 'FlowSteer (this run)', paper: 'FlowSteer (paper)' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Bar {
  group: string;
  series: string;
  value: number | undefined;
}

/** One grouped bar chart at (x, y) of the given size; returns SVG elements. */
function barChart(title: string, bars: Bar[], series: string[], x: number, y: number, width: number, height: number, unit: string, maxValue?: number): string[] {
  const groups = [...new Set(bars.map((b) => b.group))];
  const max = maxValue ?? Math.max(1, ...bars.map((b) => b.value ?? 0)) * 1.1;
  const plotTop = y + 28;
  const plotHeight = height - 60;
  const groupWidth = groups.length ? width / groups.length : width;
  const barWidth = Math.max(4, Math.min(28, (groupWidth - 16) / Math.max(1, series.length)));
  const out: string[] = [`<text x="${x}" y="${y + 14}" font-size="14" font-weight="bold">${esc(title)}</text>`];
  out.push(`<line x1="${x}" y1="${plotTop + plotHeight}" x2="${x + width}" y2="${plotTop + plotHeight}" stroke="#333"/>`);
  for (const frac of [0, 0.5, 1]) {
    const yy = plotTop + plotHeight * (1 - frac);
    out.push(`<text x="${x - 4}" y="${yy + 4}" font-size="10" text-anchor="end">${formatTick(max * frac)}</text>`);
    out.push(`<line x1="${x}" y1="${yy}" x2="${x + width}" y2="${yy}" stroke="#ddd"/>`);
  }
  groups.forEach((group, gi) => {
    const gx = x + gi * groupWidth + (groupWidth - barWidth * series.length) / 2;
    series.forEach((s, si) => {
      const bar = bars.find((b) => b.group === group && b.series === s);
      if (!bar || bar.value === undefined) return;
      const h = (Math.min(bar.value, max) / max) * plotHeight;
      const bx = gx + si * barWidth;
      out.push(
        `<rect class="bar" data-group="${esc(group)}" data-series="${esc(s)}" data-value="${bar.value}" x="${bx.toFixed(1)}" y="${(plotTop + plotHeight - h).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[s] ?? '#666'}"><title>${esc(`${group} · ${LABELS[s] ?? s}: ${formatTick(bar.value)}${unit}`)}</title></rect>`,
      );
    });
    out.push(`<text x="${(x + gi * groupWidth + groupWidth / 2).toFixed(1)}" y="${plotTop + plotHeight + 16}" font-size="11" text-anchor="middle">${esc(group)}</text>`);
  });
  return out;
}

function formatTick(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v >= 10 ? v.toFixed(0) : v.toFixed(1);
}

/** Headline score of a row: F1 for QA, else accuracy / pass@1, else the primary score. */
function headline(row: EvalReportRow): number | undefined {
  return row.metrics.f1 ?? row.metrics.accuracy ?? row.metrics['pass@1'] ?? row.metrics.primary;
}

export function renderReportSvg(report: EvalReport): string {
  const methods = [...new Set(report.rows.map((r) => r.method))].sort((a, b) => ['direct', 'fixed', 'flowsteer'].indexOf(a) - ['direct', 'fixed', 'flowsteer'].indexOf(b));
  const scoreSeries = [...methods, 'paper'];
  const scoreBars: Bar[] = report.rows.map((r) => ({ group: r.dataset, series: r.method, value: headline(r) }));
  for (const [dataset, ref] of Object.entries(report.paper ?? {})) {
    scoreBars.push({ group: dataset, series: 'paper', value: ref.f1 ?? ref.accuracy ?? ref['pass@1'] });
  }
  const byType = report.byTaskType ?? [];
  const tokenBars: Bar[] = byType.map((r) => ({ group: r.dataset, series: r.method, value: (r.metrics.directorTokens ?? 0) + (r.metrics.executorTokens ?? 0) }));
  const turnBars: Bar[] = byType.filter((r) => r.method !== 'direct').map((r) => ({ group: r.dataset, series: r.method, value: r.metrics.meanTurns ?? 0 }));

  const width = 900;
  const parts: string[] = [];
  parts.push(...barChart('Score per dataset (%; QA: F1)', scoreBars, scoreSeries, 60, 40, width - 100, 280, '%', 100));
  parts.push(...barChart('Tokens per item by task type (director + executor)', tokenBars, methods, 60, 340, (width - 140) / 2, 260, ' tokens'));
  parts.push(...barChart('Director turns per item by task type', turnBars, methods.filter((m) => m !== 'direct'), 60 + (width - 140) / 2 + 40, 340, (width - 140) / 2, 260, ' turns'));
  const legend = scoreSeries.map((s, i) => {
    const lx = 60 + i * 190;
    return `<rect x="${lx}" y="12" width="12" height="12" fill="${COLORS[s] ?? '#666'}"/><text x="${lx + 18}" y="22" font-size="12">${esc(LABELS[s] ?? s)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="620" viewBox="0 0 ${width} 620" font-family="sans-serif">`,
    `<title>${esc(`Evaluation ${report.name}`)}</title>`,
    '<rect width="100%" height="100%" fill="white"/>',
    ...legend,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
