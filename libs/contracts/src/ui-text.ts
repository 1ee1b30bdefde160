import type { SessionInput } from './session';

/**
 * Texts the Temporal UI shows for a session (its list row and details page). The UI renders
 * Markdown; Temporal keeps the static texts in the start event, so they stay small.
 */
export const UI_SUMMARY_MAX_CHARS = 200;
export const UI_DETAILS_MAX_CHARS = 8_000;

/** One line, no Markdown structure, safe inside a table cell or a list row. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Caps a Markdown text, saying so when it cut. */
export function capMarkdown(text: string, max = UI_DETAILS_MAX_CHARS): string {
  if (text.length <= max) return text;
  const note = '\n\n_(cut to fit the UI)_';
  return `${text.slice(0, max - note.length)}${note}`;
}

/** `mbpp/11 · director → executor · Write a function that…` for the workflow list. */
export function sessionStaticSummary(input: SessionInput): string {
  const { task } = input;
  const head = `${task.dataset}/${task.id} · ${input.directorBackend} → ${input.executorBackend}`;
  const from = input.startFrom ? ` · fork of ${input.startFrom.sessionId}@${input.startFrom.turn}` : '';
  const room = Math.max(20, UI_SUMMARY_MAX_CHARS - head.length - from.length - 3);
  return `${head}${from} · ${oneLine(task.problem, room)}`;
}

/** The start-time details: the problem (opening), limits and backends. */
export function sessionStaticDetails(input: SessionInput): string {
  const { task, limits } = input;
  const lines = [
    `**${task.dataset}** item \`${oneLine(task.id, 80)}\` · task type ${task.taskType}`,
    `director \`${input.directorBackend}\`${input.directorModel ? ` (model \`${oneLine(input.directorModel, 80)}\`)` : ''} → executor \`${input.executorBackend}\``,
    `limits: ${limits.maxTurns} turns${limits.outageBudgetSec ? `, outage budget ${limits.outageBudgetSec} s` : ''}`,
    ...(input.run
      ? [`run \`${oneLine(input.run, 80)}\`${input.policyVersion ? ` · policy ${oneLine(input.policyVersion, 60)}` : ''}`]
      : []),
    ...(input.startFrom ? [`forked from \`${input.startFrom.sessionId}\` at turn ${input.startFrom.turn}`] : []),
    ...(input.fixedWorkflow ? [`fixed workflow \`${oneLine(input.fixedWorkflow.dsl, 200)}\``] : []),
    '',
    '**Problem**',
    '',
    quote(task.problem, 1_500),
  ];
  return capMarkdown(lines.join('\n'), 4_000);
}

function quote(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}
