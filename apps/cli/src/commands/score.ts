import { existsSync, readFileSync } from 'node:fs';
import { scorePredictionsText, type LineOutcome, type ScoreFileResult } from '@flowsteer/bench';

export interface ScoreOptions {
  file?: string;
  json?: boolean;
}

/**
 * `flowsteer score --file predictions.jsonl`: scores each line offline (canonical and
 * FlowSteer-compatible metrics), prints one JSON line per input line and a last `{"summary": …}`
 * line on stdout, and a readable summary on stderr (unless --json). Bad lines are
 * reported with their line numbers and do not change the exit code; a missing file exits with 2.
 */
export async function score(opts: ScoreOptions): Promise<number> {
  if (!opts.file) {
    console.error('flowsteer score: give the predictions file with --file predictions.jsonl');
    return 2;
  }
  if (!existsSync(opts.file)) {
    console.error(`flowsteer score: no such file: ${opts.file}`);
    return 2;
  }
  const result = scorePredictionsText(readFileSync(opts.file, 'utf8'));
  for (const line of result.lines) console.log(JSON.stringify(lineJson(line)));
  console.log(JSON.stringify({ summary: result.summary }));
  if (!opts.json) console.error(renderSummary(result));
  return 0;
}

function lineJson(line: LineOutcome) {
  if (!line.ok) return { line: line.line, ok: false, error: line.error };
  return {
    line: line.line,
    ok: true,
    ...(line.id !== undefined ? { id: line.id } : {}),
    dataset: line.dataset,
    scorer: line.scorer,
    metrics: line.metrics,
    flowsteer: line.flowsteer,
    ...(line.extracted !== undefined ? { extracted: line.extracted } : {}),
    ...(line.group !== undefined ? { group: line.group } : {}),
    ...(line.needsSandbox ? { needsSandbox: line.needsSandbox } : {}),
  };
}

/** The summary (to stderr, so stdout stays JSONL): per dataset means in percent, then bad lines. */
export function renderSummary({ lines, summary }: ScoreFileResult): string {
  const out = [`\nscored ${summary.scored} of ${summary.lines} line(s); ${summary.failed} malformed`];
  for (const [name, s] of Object.entries(summary.byDataset)) {
    const fmt = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') || '-';
    out.push(`  ${name} (n=${s.count}): canonical ${fmt(s.metrics)} | FlowSteer-compatible ${fmt(s.flowsteer)}${s.needsSandbox ? ` | ${s.needsSandbox} need the sandbox` : ''}`);
    for (const [group, g] of Object.entries(s.groups ?? {})) out.push(`    ${group} (n=${g.count}): ${fmt(g.metrics)}`);
  }
  const bad = lines.filter((l) => !l.ok);
  if (bad.length) {
    out.push('malformed lines (skipped):');
    for (const l of bad) out.push(`  ${l.ok ? '' : l.error}`);
  }
  return out.join('\n');
}
