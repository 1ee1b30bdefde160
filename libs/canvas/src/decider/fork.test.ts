import fc from 'fast-check';
import { cutEventsAtTurn } from './fork';
import { openCanvas } from './open';
import { MAX_HISTORY, replay } from './evolve';
import { takeTurn } from './turn';
import type { CanvasEvent } from './events';

function session(texts: string[], humanAfter?: number): CanvasEvent[] {
  const opened = openCanvas({ problem: 'What is 2 + 3?', taskType: 'math', maxTurns: 20 });
  if (opened.rejection) throw new Error(opened.rejection.reason);
  let { state } = opened;
  const events = [...opened.events];
  texts.forEach((text, i) => {
    const out = takeTurn(state, text);
    events.push(...out.events);
    state = out.state;
    if (humanAfter === i + 1) {
      const human = takeTurn(state, '<action>add</action><operator>Review</operator>', { actor: 'human' });
      events.push(...human.events);
      state = human.state;
    }
  });
  return events;
}

const SCRIPT = [
  '<action>add</action><operator>Custom</operator>',
  'Add the numbers.',
  '<action>add</action><operator>Format</operator>',
  'Only the number.',
];

describe('cutEventsAtTurn', () => {
  it('keeps the opening events at turn 0 and everything at the last turn', () => {
    const events = session(SCRIPT);
    expect(cutEventsAtTurn(events, 0).events.every((e) => e.type !== 'TurnTaken')).toBe(true);
    expect(cutEventsAtTurn(events, SCRIPT.length).events).toEqual(events);
    expect(cutEventsAtTurn(events, 2).availableTurns).toBe(SCRIPT.length);
  });

  it('rebuilds the state the original had after turn K', () => {
    const events = session(SCRIPT);
    const cut = cutEventsAtTurn(events, 2).events;
    const state = replay(cut);
    expect(state.turn).toBe(2);
    expect(state.graph.nodes.map((n) => n.kind === 'operator' && n.operator)).toEqual(['Custom']);
  });

  it("drops a person's edits made after turn K", () => {
    const events = session(SCRIPT, 2);
    expect(replay(cutEventsAtTurn(events, 2).events).pending).toBeNull();
    expect(replay(cutEventsAtTurn(events, 3).events).history.some((t) => t.actor === 'human')).toBe(true);
  });

  it('refuses turns the session never reached, and negative or fractional turns', () => {
    const events = session(SCRIPT);
    expect(() => cutEventsAtTurn(events, 5)).toThrow(/taken 4 director turn/);
    expect(() => cutEventsAtTurn(events, -1)).toThrow(RangeError);
    expect(() => cutEventsAtTurn(events, 1.5)).toThrow(RangeError);
  });

  it('is a prefix of the log whose director turn count is K (property)', () => {
    const events = session(SCRIPT);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SCRIPT.length }), (k) => {
        const cut = cutEventsAtTurn(events, k).events;
        expect(events.slice(0, cut.length)).toEqual(cut);
        expect(replay(cut).turn).toBe(k);
      }),
    );
  });
});

describe('bounded state', () => {
  it('keeps at most MAX_HISTORY turn records however many turns were taken', () => {
    let state = openCanvas({ problem: 'p', maxTurns: 1000 }).state as NonNullable<ReturnType<typeof openCanvas>['state']>;
    for (let i = 0; i < MAX_HISTORY + 40; i++)
      state = replay(takeTurn(state, '<action>add</action><operator>Nonsense</operator>').events, state);
    expect(state.turn).toBe(MAX_HISTORY + 40);
    expect(state.history).toHaveLength(MAX_HISTORY);
    expect(state.history.at(-1)?.turn).toBe(MAX_HISTORY + 40);
  });
});
