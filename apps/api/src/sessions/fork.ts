/**
 * Fork from turn K (DESIGN §4): the new session starts from the canvas events of turns 1..K of the
 * old one. The old session's `events` query gives its event log; a director turn begins with its
 * `TurnTaken` event (actor "director"), and everything up to the next `TurnTaken` (its edit, the
 * execution records) belongs to it. So the cut keeps every event before the first `TurnTaken` that
 * follows the K-th director turn: K = 0 keeps the opening events only; human edits made after turn K
 * are not carried over.
 */
export interface CutResult {
  events: unknown[];
  /** Director turns the old session had taken in all. */
  availableTurns: number;
}

interface TurnTakenLike {
  type: 'TurnTaken';
  actor?: string;
}

const isTurnTaken = (e: unknown): e is TurnTakenLike => typeof e === 'object' && e !== null && (e as { type?: unknown }).type === 'TurnTaken';

export function cutEventsAtTurn(events: readonly unknown[], turn: number): CutResult {
  let directorTurns = 0;
  let cut = events.length;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (!isTurnTaken(event)) continue;
    if (directorTurns >= turn && cut === events.length) cut = i;
    if (event.actor !== 'human') directorTurns++;
  }
  if (turn > directorTurns) throw new RangeError(`the session has taken ${directorTurns} director turn(s); fork at turn 0..${directorTurns}`);
  return { events: events.slice(0, cut), availableTurns: directorTurns };
}
