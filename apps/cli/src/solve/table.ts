import type { SessionOutcome } from './sessions';

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
}

export function solveRow(item: string, gold: string[], outcome: SessionOutcome, uiLink: (id: string) => string): SolveRow {
  if (!outcome.ok) {
    return { item, answer: '', gold: gold.join(' | '), correct: 'error', turns: '-', tokens: '-', cost: '-', workflowId: outcome.workflowId, ui: uiLink(outcome.workflowId), status: `failed: ${outcome.error}` };
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
  };
}

const clip = (s: string, n: number) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

/** A plain-text table that stays readable in a terminal and in CI logs. */
export function renderTable(rows: SolveRow[]): string {
  const headers = ['item', 'answer', 'gold', 'correct', 'turns', 'tokens', 'cost', 'status', 'workflow id', 'UI link'];
  const cells = rows.map((r) => [r.item, clip(r.answer, 24), clip(r.gold, 16), r.correct, String(r.turns), String(r.tokens), r.cost, clip(r.status, 24), r.workflowId, r.ui]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
