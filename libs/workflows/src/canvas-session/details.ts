import { setCurrentDetails } from '@temporalio/workflow';
import { serializeDsl, type CanvasState } from '@flowsteer/canvas';
import type { SessionRecord } from './session-record';
import { capMarkdown, oneLine, previewOf, type SessionStatus, type TextValue } from '@flowsteer/contracts';

/** What the details page of a running session shows, as plain data (rendered by `renderSessionDetails`). */
export interface SessionDetailsView {
  state: CanvasState;
  status: SessionStatus;
  run: number;
  director: string;
  executor: string;
  waiting?: { reason: string };
  reason?: string;
  score?: number;
}

const MAX_ROWS = 25;

function cell(text: TextValue | string | null | undefined, max = 90): string {
  if (text === null || text === undefined) return '—';
  return oneLine(typeof text === 'string' ? text : previewOf(text), max) || '—';
}

/**
 * The session's current details in Markdown: turn k of N and status, the workflow in the DSL, a
 * table of the last execution's calls (node, operator, outcome, short output), the answer, and
 * why it waits or ended. Bounded whatever the canvas holds.
 */
export function renderSessionDetails(view: SessionDetailsView): string {
  const { state } = view;
  const lines = [
    `### turn ${state.turn} of ${state.options.maxTurns} · ${view.status}${view.run > 0 ? ` · run ${view.run + 1} of the chain` : ''}`,
    `director \`${view.director}\` → executor \`${view.executor}\``,
    '',
    `**workflow** \`${oneLine(serializeDsl(state.graph) || '(empty)', 400)}\``,
  ];
  if (view.waiting) lines.push('', `**waiting for a backend:** ${oneLine(view.waiting.reason, 300)}`);
  if (view.reason) lines.push('', `**ended because:** ${oneLine(view.reason, 300)}`);
  const execution = state.lastExecution;
  if (execution) {
    lines.push(
      '',
      `**last execution** (revision ${execution.revision}): ${execution.ok ? 'ok' : `failed: ${cell(execution.error, 200)}`}`,
      '',
    );
    lines.push('| node | operator | outcome | output |', '|---|---|---|---|');
    for (const call of execution.calls.slice(0, MAX_ROWS)) {
      const outcome = !call.ok
        ? 'error'
        : call.passed === true
          ? 'passed'
          : call.passed === false
            ? 'failed check'
            : call.cached
              ? 'cached'
              : 'ran';
      lines.push(
        `| ${cell(call.callId, 30)} | ${cell(call.operator, 30)} | ${outcome} | ${call.ok ? cell(call.text) : cell(call.error)} |`,
      );
    }
    if (execution.calls.length > MAX_ROWS) lines.push(`| … | ${execution.calls.length - MAX_ROWS} more calls | | |`);
    if (execution.answer !== null) lines.push('', `**answer:** ${cell(execution.answer, 300)}`);
  }
  if (view.score !== undefined) lines.push('', `**score:** ${view.score}`);
  const last = state.history[state.history.length - 1];
  if (last)
    lines.push('', `last turn ${last.turn} (${last.actor}): ${last.accepted ? 'accepted' : 'rejected'} — ${cell(last.summary, 120)}`);
  return capMarkdown(lines.join('\n'));
}

/** Sets the UI's current details (kept by the worker, read by the UI through a query: no history event). */
export function showDetails(record: SessionRecord): void {
  setCurrentDetails(
    renderSessionDetails({
      state: record.state,
      status: record.status,
      run: record.run,
      director: record.backends.director,
      executor: record.backends.executor,
      ...(record.waitingReason ? { waiting: { reason: record.waitingReason } } : {}),
      ...(record.reason ? { reason: record.reason } : {}),
      ...(record.score !== undefined ? { score: record.score } : {}),
    }),
  );
}
