import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderStack, transferDirectors, transferMarkdown, transferRows, transferSpec } from '@flowsteer/charts';
import type { EvalReport } from '@flowsteer/contracts';
import { CliError } from '../processes';

export interface TransferOptions {
  out: string;
}

/**
 * `flowsteer transfer REPORT...`: the backend-transfer figure from evaluation reports of one
 * director run with different executors (`flowsteer eval --executor X --baselines`, once per
 * executor). Each argument is a run's `report.json` or its report folder. Prints the table (each
 * executor alone, with FlowSteer, the gain) and writes the chart as SVG.
 */
export async function transfer(paths: string[], opts: TransferOptions): Promise<number> {
  const reports = paths.map(readReport);
  if (transferRows(reports).length === 0)
    throw new CliError('flowsteer transfer: the reports hold no FlowSteer or executor-alone scores to compare');
  const directors = transferDirectors(reports);
  if (directors.length > 1)
    console.error(
      `flowsteer transfer: note: the reports come from ${directors.length} directors (${directors.join(', ')}); a transfer figure compares one`,
    );
  const out = resolve(opts.out);
  writeFileSync(out, await renderStack([transferSpec(reports)]));
  console.log(transferMarkdown(reports));
  console.error(`figure: ${out}`);
  return 0;
}

function readReport(path: string): EvalReport {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'report.json') : path;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(
      `flowsteer transfer: ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  const report = parsed as Partial<EvalReport>;
  if (typeof report !== 'object' || report === null || !Array.isArray(report.rows) || typeof report.name !== 'string') {
    throw new CliError(
      `flowsteer transfer: ${file} is not an evaluation report (no "name" and "rows"; it is the report.json of a flowsteer eval run)`,
    );
  }
  return report as EvalReport;
}
