import { existsSync, readFileSync } from 'node:fs';
import {
  addSymbolicScores,
  scorePredictionsText,
  summarizeScores,
  type DatasetSummary,
  type LineOutcome,
  type RunCode,
  type ScoreFileResult,
} from '@flowsteer/bench';
import { createSandbox } from '@flowsteer/sandbox';

export interface ScoreOptions {
  file?: string;
  json?: boolean;
  /** commander's `--no-symbolic`: skip the sympy check (it needs the sandbox's Python). */
  symbolic?: boolean;
}

/**
 * `flowsteer score --file predictions.jsonl`: scores each line offline - canonical (the official
 * scripts' decisions), lenient and symbolic where the benchmark has them, and FlowSteer-compatible -
 * prints one JSON line per input line and a last `{"summary": …}` line on stdout, and a table on
 * stderr (unless --json). The symbolic (sympy) check runs in the code sandbox; when the sandbox or
 * sympy is missing the reason is printed and the other metrics stand. Bad lines are reported with
 * their line numbers and do not change the exit code; a missing file exits with 2.
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
  const scored = scorePredictionsText(readFileSync(opts.file, 'utf8'));
  let lines = scored.lines;
  let symbolicNote: string | undefined;
  if (opts.symbolic === false) symbolicNote = 'symbolic metric skipped (--no-symbolic)';
  else if (lines.some((l) => l.ok && l.symbolicQuery)) {
    const runCode = await sandboxRunCode();
    if (typeof runCode === 'string') symbolicNote = `symbolic metric not computed: ${runCode}`;
    else {
      const filled = await addSymbolicScores(lines, runCode);
      lines = filled.lines;
      if (filled.unavailable) symbolicNote = `symbolic metric not computed: ${filled.unavailable}`;
    }
  }
  const result: ScoreFileResult = { lines, summary: summarizeScores(lines) };
  for (const line of result.lines) console.log(JSON.stringify(lineJson(line)));
  console.log(JSON.stringify({ summary: result.summary, ...(symbolicNote ? { symbolic: symbolicNote } : {}) }));
  if (!opts.json) console.error(renderSummary(result, symbolicNote));
  return 0;
}

async function sandboxRunCode(): Promise<RunCode | string> {
  try {
    const sandbox = await createSandbox({ log: () => undefined });
    return (req) => sandbox.run(req);
  } catch (e) {
    return `no code sandbox here (${(e as Error).message.split('\n')[0]})`;
  }
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
    ...(line.lenient ? { lenient: line.lenient } : {}),
    ...(line.symbolic ? { symbolic: line.symbolic } : {}),
    flowsteer: line.flowsteer,
    ...(line.extracted !== undefined ? { extracted: line.extracted } : {}),
    ...(line.group !== undefined ? { group: line.group } : {}),
    ...(line.note ? { note: line.note } : {}),
    ...(line.needsSandbox ? { needsSandbox: line.needsSandbox } : {}),
  };
}

/** Column headers of the summary table: the metric families by name. */
export const SCORE_TABLE_HEADER = ['dataset', 'n', 'canonical (official scorer)', 'lenient', 'symbolic (sympy)', 'FlowSteer-compatible'];

const fmt = (m: Record<string, number> | undefined) =>
  m === undefined
    ? '—'
    : Object.entries(m)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ') || '—';

/**
 * The summary (to stderr, so stdout stays JSONL): one table row per dataset, means in percent, each
 * metric family in its own column (`—`: the benchmark has no such metric, or it was not computed),
 * SQuAD v2's HasAns/NoAns rows, then the bad lines.
 */
export function renderSummary({ lines, summary }: ScoreFileResult, symbolicNote?: string): string {
  const out = [`\nscored ${summary.scored} of ${summary.lines} line(s); ${summary.failed} malformed`, ''];
  out.push(
    `| ${SCORE_TABLE_HEADER.join(' | ')} |`,
    `|---|---:|${SCORE_TABLE_HEADER.slice(2)
      .map(() => '---')
      .join('|')}|`,
  );
  const row = (
    name: string,
    n: number,
    s: Pick<DatasetSummary, 'metrics' | 'lenient' | 'symbolic'> & { flowsteer?: Record<string, number> },
  ) => `| ${name} | ${n} | ${fmt(s.metrics)} | ${fmt(s.lenient)} | ${fmt(s.symbolic)} | ${fmt(s.flowsteer)} |`;
  for (const [name, s] of Object.entries(summary.byDataset)) {
    out.push(row(name, s.count, s));
    for (const [group, g] of Object.entries(s.groups ?? {})) out.push(row(`${name} ${group}`, g.count, { metrics: g.metrics }));
  }
  const sandboxNeeded = Object.entries(summary.byDataset).filter(([, s]) => s.needsSandbox > 0);
  if (sandboxNeeded.length) {
    out.push(
      '',
      `code lines (${sandboxNeeded.map(([n, s]) => `${n}: ${s.needsSandbox}`).join(', ')}) have no canonical pass@1 here: it needs the benchmark's tests run in the sandbox (flowsteer eval)`,
    );
  }
  if (symbolicNote) out.push('', symbolicNote);
  const bad = lines.filter((l) => !l.ok);
  if (bad.length) {
    out.push('', 'malformed lines (skipped):');
    for (const l of bad) out.push(`  ${l.ok ? '' : l.error}`);
  }
  return out.join('\n');
}
