import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evalReportSpecs, renderStack } from '@flowsteer/charts';
import type { EvalReport, EvalReportFiles } from '@flowsteer/contracts';

/**
 * Writes an evaluation run's report to `<reportsDir>/<run>/`: `report.md` (the paper-layout table
 * and details), `report.json` (the report and every item's result) and `report.svg` (scores per
 * dataset against the baselines and the paper; tokens and turns per task type), a Vega-Lite chart
 * (libs/charts). Files are written then renamed, so a retry never leaves half a file.
 */
export async function writeEvalReportFiles(
  reportsDir: string,
  runId: string,
  report: EvalReport,
  items: unknown[],
): Promise<EvalReportFiles> {
  const dir = join(reportsDir, runId.replace(/[^A-Za-z0-9._-]+/g, '_'));
  mkdirSync(dir, { recursive: true });
  const files = { dir, markdown: join(dir, 'report.md'), json: join(dir, 'report.json'), svg: join(dir, 'report.svg') };
  writeAtomic(files.markdown, reportMarkdownFile(runId, report));
  writeAtomic(files.json, JSON.stringify({ runId, ...report, items }, null, 2) + '\n');
  writeAtomic(files.svg, await renderReportSvg(report));
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

/** The report's figure: scores per dataset with the baselines and the paper, tokens and turns per task type. */
export function renderReportSvg(report: EvalReport): Promise<string> {
  return renderStack(evalReportSpecs(report));
}
