import type { CanvasEvent } from './events';

export interface ForkCut {
  events: CanvasEvent[];
  /** Director turns the original session had taken in all. */
  availableTurns: number;
}

/**
 * The events of turns 1..K of a session, for a fork (DESIGN §4). A director turn starts with its
 * `TurnTaken` event and owns everything up to the next `TurnTaken` (its edits and the execution
 * they caused), so the cut is the first `TurnTaken` after the K-th director turn. K = 0 keeps only
 * the opening events; a person's edits made after turn K are not carried over.
 */
export function cutEventsAtTurn(events: readonly CanvasEvent[], turn: number): ForkCut {
  if (!Number.isInteger(turn) || turn < 0) throw new RangeError(`the fork turn must be a whole number >= 0, not ${turn}`);
  let directorTurns = 0;
  let cut = events.length;
  events.forEach((event, i) => {
    if (event.type !== 'TurnTaken') return;
    if (directorTurns >= turn && cut === events.length) cut = i;
    if (event.actor !== 'human') directorTurns++;
  });
  if (turn > directorTurns)
    throw new RangeError(`the session has taken ${directorTurns} director turn(s); fork at a turn from 0 to ${directorTurns}`);
  return { events: events.slice(0, cut), availableTurns: directorTurns };
}
