import { buildDirectorRequest, renderFeedback, type CanvasState } from '@flowsteer/canvas';
import { textPlaceholder, type PolicyTurnInput, type SessionInput, type TextValue } from '@flowsteer/contracts';
import type { SessionRecord } from './session-record';

/**
 * The policy-turn request for the next turn, built by the canvas from the state alone. A problem
 * that travels by reference is left in the prompt as a placeholder the activity fills from the
 * store, so a long problem does not ride through the history on every turn.
 */
export function directorRequest(record: SessionRecord, input: SessionInput, turn: number): PolicyTurnInput {
  const request = buildDirectorRequest(record.state, {
    mode: input.promptMode ?? 'compact',
    constraint: input.directorConstraint ?? 'gbnf',
  });
  const byReference =
    record.problemText !== undefined && typeof record.problemText !== 'string' ? { problem: record.problemText } : undefined;
  const messages = byReference ? withPlaceholder(request.messages, record.state.options.problem, byReference.problem) : request.messages;
  return {
    backend: input.directorBackend,
    ...(input.directorModel ? { model: input.directorModel } : {}),
    messages,
    ...(byReference ? { texts: byReference } : {}),
    ...(request.constraint ? { constraint: request.constraint } : {}),
    maxTokens: request.maxTokens,
    ...(input.directorTemperature !== undefined ? { temperature: input.directorTemperature } : {}),
    ...(input.recordTrajectory ? { logprobs: true, record: true } : {}),
    purpose: `turn ${turn} ${request.kind}`,
  };
}

function withPlaceholder<M extends { content: string }>(messages: M[], problem: string, _stored: TextValue): M[] {
  const placeholder = textPlaceholder('problem');
  return messages.map((m) => (problem && m.content.includes(problem) ? { ...m, content: m.content.split(problem).join(placeholder) } : m));
}

export function feedbackText(state: CanvasState): string {
  return renderFeedback(state);
}
