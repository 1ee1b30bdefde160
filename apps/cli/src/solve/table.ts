import type { SessionOutcome } from './sessions';

/** Exit codes of `solve`: 0 all sessions ended normally, 1 one failed, 4 one ran out its outage budget (none failed). */
export const EXIT = { ok: 0, failed: 1, backendUnavailable: 4 } as const;

export interface SolveRow {
  item: string;
  answer: string;
  gold: string;
  correct: string;
  turns: number | string;
  tokens: number | string;
  cost: string;
  workflowId: string;
  ui: string;
  status: string;
  /** The whole reason when the session did not finish normally (printed below the table, wrapped). */
  reason?: string;
}

export function solveRow(item: string, gold: string[], outcome: SessionOutcome, uiLink: (id: string) => string): SolveRow {
  if (!outcome.ok) {
    return {
      item,
      answer: '',
      gold: gold.join(' | '),
      correct: 'error',
      turns: '-',
      tokens: '-',
      cost: '-',
      workflowId: outcome.workflowId,
      ui: uiLink(outcome.workflowId),
      status: 'failed',
      reason: outcome.error,
    };
  }
  const r = outcome.result;
  return {
    item,
    answer: r.answer,
    gold: gold.join(' | '),
    correct: r.score ? String(Number(r.score.primary.toFixed(3))) : 'n/a',
    turns: r.turns,
    tokens: r.totals.directorTokens + r.totals.executorTokens,
    cost: `$${r.totals.costUsd.toFixed(4)}`,
    workflowId: r.sessionId,
    ui: uiLink(r.sessionId),
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

export function exitCodeOf(outcomes: readonly SessionOutcome[]): number {
  if (outcomes.some((o) => !o.ok || o.result.status === 'failed')) return EXIT.failed;
  if (outcomes.some((o) => o.ok && o.result.status === 'backend-unavailable')) return EXIT.backendUnavailable;
  return EXIT.ok;
}

/** Each unusual ending with its whole reason, wrapped to the terminal's width. */
export function renderNotes(rows: SolveRow[], width = 100): string {
  return rows
    .filter((r) => r.reason)
    .map(
      (r) =>
        `${r.item} ${r.status}:\n${wrap(r.reason ?? '', width - 4)
          .map((l) => `    ${l}`)
          .join('\n')}`,
    )
    .join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

const clip = (s: string, n: number) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

/** A plain-text table that stays readable in a terminal and in CI logs. */
export function renderTable(rows: SolveRow[]): string {
  const headers = ['item', 'answer', 'gold', 'correct', 'turns', 'tokens', 'cost', 'status', 'workflow id', 'UI link'];
  const cells = rows.map((r) => [
    r.item,
    clip(r.answer, 24),
    clip(r.gold, 16),
    r.correct,
    String(r.turns),
    String(r.tokens),
    r.cost,
    r.status,
    r.workflowId,
    r.ui,
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
