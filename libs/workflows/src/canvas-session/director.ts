import { buildDirectorRequest, renderFeedback, type CanvasState } from '@flowsteer/canvas';
import type { PolicyTurnInput, SessionInput } from '@flowsteer/contracts';
import type { SessionRecord } from './session-record';

/** The policy-turn request for the next turn, built by the canvas from the state alone. */
export function directorRequest(record: SessionRecord, input: SessionInput, turn: number): PolicyTurnInput {
  const request = buildDirectorRequest(record.state, { mode: input.promptMode ?? 'compact', constraint: input.directorConstraint ?? 'gbnf' });
  return {
    backend: input.directorBackend,
    ...(input.directorModel ? { model: input.directorModel } : {}),
    messages: request.messages,
    ...(request.constraint ? { constraint: request.constraint } : {}),
    maxTokens: request.maxTokens,
    ...(input.directorTemperature !== undefined ? { temperature: input.directorTemperature } : {}),
    ...(input.recordTrajectory ? { logprobs: true } : {}),
    purpose: `turn ${turn} ${request.kind}`,
  };
}

export function feedbackText(state: CanvasState): string {
  return renderFeedback(state);
}
