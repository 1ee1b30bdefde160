import { EVAL_METHODS, type EvalItemResult, type EvalMethod, type EvalReportRow } from '@flowsteer/contracts';

/**
 * Aggregation of per-item results into report rows (pure; runs in the workflow).
 *
 * Scores are means in percent (2 decimals) over the items of a group; a failed unit counts as 0
 * (it is also counted in `failures`), an item the worker could not score (code without a sandbox)
 * is left out of the score means. A session that ended `backend-unavailable` (its backends were down
 * for its whole outage budget) says nothing about the method: it is counted in `unavailable` and
 * left out of every mean (scores, turns, tokens), never scored 0. Turns and tokens are means over the units that completed;
 * `costUsd` is the group's total.
 */
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export function aggregateRows(results: readonly EvalItemResult[], by: 'dataset' | 'taskType' = 'dataset'): EvalReportRow[] {
  const groups = new Map<string, EvalItemResult[]>();
  for (const r of results) {
    const k = `${by === 'dataset' ? r.dataset : r.taskType}\u0000${r.method}`;
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  const rows: EvalReportRow[] = [];
  for (const [k, items] of groups) {
    const [group, method] = k.split('\u0000') as [string, EvalMethod];
    rows.push({ dataset: group, method, n: items.length, metrics: groupMetrics(items) });
  }
  const methodOrder = (m: string) => (EVAL_METHODS as readonly string[]).indexOf(m);
  return rows.sort((a, b) => (a.dataset === b.dataset ? methodOrder(a.method) - methodOrder(b.method) : a.dataset < b.dataset ? -1 : 1));
}

export const isUnavailable = (r: EvalItemResult): boolean => r.status === 'backend-unavailable';

export function groupMetrics(items: readonly EvalItemResult[]): Record<string, number> {
  const failed = items.filter((r) => !r.ok && !isUnavailable(r));
  const done = items.filter((r) => r.ok && !isUnavailable(r));
  const keys = new Set<string>();
  for (const r of done) for (const key of Object.keys(r.metrics)) keys.add(key);
  const metrics: Record<string, number> = {};
  for (const key of [...keys].sort()) {
    const values = done.filter((r) => key in r.metrics).map((r) => r.metrics[key] as number);
    metrics[key] = round((100 * values.reduce((s, v) => s + v, 0)) / (values.length + failed.length));
  }
  const scored = done.filter((r) => r.primary !== undefined);
  if (scored.length + failed.length > 0 && (scored.length > 0 || keys.size > 0 || done.length === 0)) {
    metrics.primary = round((100 * scored.reduce((s, r) => s + (r.primary as number), 0)) / (scored.length + failed.length));
  }
  const mean = (f: (r: EvalItemResult) => number) => (done.length ? done.reduce((s, r) => s + f(r), 0) / done.length : 0);
  metrics.meanTurns = round(mean((r) => r.turns));
  metrics.directorTokens = round(
    mean((r) => r.directorTokens),
    0,
  );
  metrics.executorTokens = round(
    mean((r) => r.executorTokens),
    0,
  );
  metrics.costUsd = round(
    items.reduce((s, r) => s + r.costUsd, 0),
    6,
  );
  metrics.failures = failed.length;
  metrics.unavailable = items.filter(isUnavailable).length;
  return metrics;
}

/** Running numbers for the `progress` query: `<dataset>.<method>.primary` and FlowSteer's mean turns. */
export function progressMetrics(results: readonly EvalItemResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of aggregateRows(results)) {
    if (row.metrics.primary !== undefined) out[`${row.dataset}.${row.method}.primary`] = row.metrics.primary;
  }
  const sessions = results.filter((r) => r.method === 'flowsteer' && r.ok && !isUnavailable(r));
  if (sessions.length) out.meanTurns = round(sessions.reduce((s, r) => s + r.turns, 0) / sessions.length);
  return out;
}
