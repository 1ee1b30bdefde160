/**
 * Offline scoring of a predictions file (`flowsteer score --file predictions.jsonl`): one JSON object
 * per line, `{"dataset"|"metric": ..., "prediction": ..., "answers"|"answer": ..., "id"?: ...,
 * "options"?: ..., "human_answers"?: [...]}`. Bad lines are reported with their number and never stop the rest.
 */
import type { BenchTask } from '@flowsteer/contracts';
import { parseMathqaOptions } from './choice';
import { decideSymbolic, SymbolicUnavailableError, type RunCode } from './math-symbolic';
import { scoreAnswer, withSymbolic, type ScoreResult } from './score-answer';
import { scorerKindFor, SCORER_KINDS, type ScorerKind } from './scorer-kind';

export interface ScoredLine extends ScoreResult {
  ok: true;
  line: number;
  id?: string;
  dataset: string;
}

export interface BadLine {
  ok: false;
  line: number;
  error: string;
}

export type LineOutcome = ScoredLine | BadLine;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function goldsOf(rec: Record<string, unknown>): string[] | string {
  const raw = rec.answers ?? rec.answer;
  if (raw === undefined) return 'needs "answers" (list) or "answer"';
  const list = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const a of list) {
    if (typeof a === 'string') out.push(a);
    else if (typeof a === 'number') out.push(String(a));
    else if (isRecord(a) && typeof a.text === 'string')
      out.push(a.text); // SQuAD {text, answer_start}
    else return `answers must be strings or numbers, got ${JSON.stringify(a)}`;
  }
  return out;
}

/** Score one line (raw JSON text or an already parsed value). `line` is 1-based for messages. */
export function scorePredictionLine(input: string | unknown, line = 1): LineOutcome {
  let rec: unknown = input;
  if (typeof input === 'string') {
    try {
      rec = JSON.parse(input);
    } catch (e) {
      return { ok: false, line, error: `line ${line}: not JSON (${(e as Error).message})` };
    }
  }
  if (!isRecord(rec)) return { ok: false, line, error: `line ${line}: expected a JSON object` };
  const name = typeof rec.dataset === 'string' ? rec.dataset : typeof rec.metric === 'string' ? rec.metric : undefined;
  if (name === undefined) return { ok: false, line, error: `line ${line}: needs "dataset" or "metric"` };
  const kind: ScorerKind | undefined = scorerKindFor(name);
  if (!kind)
    return { ok: false, line, error: `line ${line}: unknown dataset/metric "${name}" (known scorers: ${SCORER_KINDS.join(', ')})` };
  const prediction = rec.prediction;
  if (typeof prediction !== 'string' && typeof prediction !== 'number') {
    return { ok: false, line, error: `line ${line}: "prediction" must be a string` };
  }
  const golds = goldsOf(rec);
  if (typeof golds === 'string') return { ok: false, line, error: `line ${line}: ${golds}` };
  const human = rec.human_answers ?? rec.HumanAnswers;
  if (human !== undefined) {
    if (kind !== 'triviaqa') return { ok: false, line, error: `line ${line}: "human_answers" only applies to TriviaQA` };
    if (!Array.isArray(human) || human.some((h) => typeof h !== 'string'))
      return { ok: false, line, error: `line ${line}: "human_answers" must be a list of strings` };
    golds.push(...(human as string[]));
  }
  // SQuAD v2: no answer means unanswerable; TriviaQA: scored as the official script's is_exact_match does (a miss)
  if (golds.length === 0 && kind !== 'squad_v2' && kind !== 'triviaqa')
    return { ok: false, line, error: `line ${line}: empty answer list` };
  const meta: Record<string, string> = {};
  if (typeof rec.options === 'string') {
    for (const [letter, text] of Object.entries(parseMathqaOptions(rec.options))) if (text !== undefined) meta[`option_${letter}`] = text;
  }
  const id = typeof rec.id === 'string' || typeof rec.id === 'number' ? String(rec.id) : undefined;
  const task: BenchTask = {
    dataset: name,
    id: id ?? `line-${line}`,
    taskType: 'qa',
    problem: '',
    answers: golds.length === 0 && kind === 'squad_v2' ? [''] : golds,
    meta,
  };
  const score = scoreAnswer(task, String(prediction), kind);
  return { ok: true, line, ...(id !== undefined ? { id } : {}), dataset: name, ...score };
}

export interface DatasetSummary {
  count: number;
  /** mean of each canonical metric, in percent (the paper's unit). */
  metrics: Record<string, number>;
  flowsteer: Record<string, number>;
  /** means of the lenient / symbolic families, where the scorer has them. */
  lenient?: Record<string, number>;
  symbolic?: Record<string, number>;
  /** SQuAD v2 HasAns/NoAns breakdown of the canonical metrics, in percent. */
  groups?: Record<string, { count: number; metrics: Record<string, number> }>;
  needsSandbox: number;
}

export interface ScoreFileResult {
  lines: LineOutcome[];
  summary: { lines: number; scored: number; failed: number; byDataset: Record<string, DatasetSummary> };
}

function meanPercent(rows: Record<string, number>[]): Record<string, number> {
  const sums: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      sums[k] = (sums[k] ?? 0) + v;
      counts[k] = (counts[k] ?? 0) + 1;
    }
  }
  const out: Record<string, number> = {};
  for (const k of Object.keys(sums).sort()) out[k] = Math.round(((100 * (sums[k] ?? 0)) / (counts[k] ?? 1)) * 100) / 100;
  return out;
}

/** Summarise scored lines per dataset (means in percent, rounded to 2 decimals). */
export function summarizeScores(lines: readonly LineOutcome[]): ScoreFileResult['summary'] {
  const scored = lines.filter((l): l is ScoredLine => l.ok);
  const byName = new Map<string, ScoredLine[]>();
  for (const l of scored) byName.set(l.dataset, [...(byName.get(l.dataset) ?? []), l]);
  const byDataset: Record<string, DatasetSummary> = {};
  for (const [name, rows] of [...byName.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const summary: DatasetSummary = {
      count: rows.length,
      metrics: meanPercent(rows.map((r) => r.metrics)),
      flowsteer: meanPercent(rows.map((r) => r.flowsteer)),
      needsSandbox: rows.filter((r) => r.needsSandbox).length,
    };
    for (const family of ['lenient', 'symbolic'] as const) {
      const values = rows.map((r) => r[family]).filter((m): m is Record<string, number> => m !== undefined);
      // a family is summarised only when every line has it (a partly computed mean would mislead)
      if (values.length === rows.length) summary[family] = meanPercent(values);
    }
    const grouped = rows.filter((r) => r.group !== undefined);
    if (grouped.length > 0) {
      const groups: NonNullable<DatasetSummary['groups']> = {};
      for (const g of [...new Set(grouped.map((r) => r.group as string))].sort()) {
        const inGroup = grouped.filter((r) => r.group === g);
        groups[g] = { count: inGroup.length, metrics: meanPercent(inGroup.map((r) => r.metrics)) };
      }
      summary.groups = groups;
    }
    byDataset[name] = summary;
  }
  return { lines: lines.length, scored: scored.length, failed: lines.length - scored.length, byDataset };
}

/** Score a whole JSONL text; blank lines are skipped (not counted). */
export function scorePredictionsText(text: string): ScoreFileResult {
  const lines: LineOutcome[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    lines.push(scorePredictionLine(raw, i + 1));
  });
  return { lines, summary: summarizeScores(lines) };
}

/**
 * Fills the `symbolic` metric of every line that has one, with one CAS run per batch. When the CAS
 * cannot run, the lines come back unchanged together with the reason (the caller reports it).
 */
export async function addSymbolicScores(
  lines: readonly LineOutcome[],
  runCode: RunCode,
): Promise<{ lines: LineOutcome[]; unavailable?: string }> {
  const asking = lines.flatMap((l, i) => (l.ok && l.symbolicQuery ? [i] : []));
  const symbolicOnly = lines.map((l) => (l.ok && !l.symbolicQuery ? withSymbolic(l, undefined) : l)) as LineOutcome[];
  if (asking.length === 0) return { lines: symbolicOnly };
  try {
    const verdicts = await decideSymbolic(
      runCode,
      asking.map((i) => (lines[i] as ScoredLine).symbolicQuery!),
    );
    const out = [...symbolicOnly];
    asking.forEach((i, k) => {
      out[i] = withSymbolic(lines[i] as ScoredLine, verdicts[k]) as ScoredLine;
    });
    return { lines: out };
  } catch (e) {
    if (e instanceof SymbolicUnavailableError) return { lines: [...lines], unavailable: e.message };
    throw e;
  }
}
