import { cleanDirectorText } from '../actions/clean';
import { describeAction, formatAction } from '../actions/format';
import { parseAction } from '../actions/parse';
import { parsePromptReply } from '../actions/prompt-reply';
import type { Action, ParseResult } from '../actions/types';
import { operatorNames } from '../catalogue';
import { rejection, type Rejection } from '../rejection';
import { clip } from '../util/text';
import { decide } from './decide';
import type { CanvasEvent } from './events';
import { replay } from './evolve';
import { catalogueOf } from './options';
import type { CanvasState } from './state';

export interface TurnOptions {
  /** 'director' turns count against the budget; 'human' edits (the `humanAction` update) do not. */
  actor?: 'director' | 'human';
}

export interface TurnOutcome {
  /** Append these to the session's event log (empty when the turn could not be taken at all). */
  events: CanvasEvent[];
  /** The state after the events. */
  state: CanvasState;
  accepted: boolean;
  action: Action | null;
  rejection: Rejection | null;
  notes: string[];
  /** The graph changed and is complete: plan and run it now (`startExecution(state)`). */
  execute: boolean;
}

const TEXT_KEPT = 1000;

/**
 * One turn: read the director's text (an action, or the prompt the canvas asked for), decide, and
 * fold. Every director turn that can be taken emits a `TurnTaken` event — valid or not — so the
 * turn budget counts invalid outputs too. Only an ended session or a spent budget yields no events.
 * Never throws.
 */
export function takeTurn(state: CanvasState, input: string | Action, options: TurnOptions = {}): TurnOutcome {
  const actor = options.actor ?? 'director';
  const refuse = (r: Rejection): TurnOutcome => ({
    events: [],
    state,
    accepted: false,
    action: null,
    rejection: r,
    notes: [],
    execute: false,
  });
  if (state.phase === 'unopened')
    return refuse(rejection('invalid_workflow', 'The canvas is not open yet.', 'Start from initialState(options).'));
  if (state.phase === 'finished') return refuse(rejection('session_finished', 'The session has finished; no more turns are taken.'));
  if (actor === 'director' && state.turn >= state.options.maxTurns) {
    return refuse(
      rejection(
        'turn_budget_exhausted',
        `All ${state.options.maxTurns} turns are used.`,
        'The session ends with the last execution result.',
      ),
    );
  }

  let parsed: ParseResult;
  let text: string;
  if (typeof input === 'string') {
    text = clip(cleanDirectorText(input).text, TEXT_KEPT);
    parsed =
      state.phase === 'awaiting_prompt'
        ? parsePromptReply(input, { minChars: state.options.minPromptChars })
        : parseAction(input, { operators: operatorNames(catalogueOf(state.options)), strict: !state.options.fallbackParsing });
  } else {
    text = clip(formatAction(input), TEXT_KEPT);
    parsed = { ok: true, action: input, source: 'tags', notes: [] };
  }

  if (!parsed.ok) {
    const r = rejection(parsed.error.code, parsed.error.message, parsed.error.hint);
    const events: CanvasEvent[] = [{ type: 'TurnTaken', actor, text, summary: 'invalid output', action: null, rejection: r, notes: [] }];
    return { events, state: replay(events, state), accepted: false, action: null, rejection: r, notes: [], execute: false };
  }
  const decision = decide(state, parsed.action);
  const r = decision.rejection ?? null;
  const events: CanvasEvent[] = [
    { type: 'TurnTaken', actor, text, summary: describeAction(parsed.action), action: parsed.action, rejection: r, notes: parsed.notes },
    ...(decision.events ?? []),
  ];
  const next = replay(events, state);
  return {
    events,
    state: next,
    accepted: r === null,
    action: parsed.action,
    rejection: r,
    notes: parsed.notes,
    execute: next.needsExecution,
  };
}

/** The session is over: finish accepted, or every director turn used. */
export function isTerminal(state: CanvasState): boolean {
  return state.phase === 'finished' || (state.phase !== 'unopened' && state.turn >= state.options.maxTurns);
}
