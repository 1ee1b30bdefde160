import { cutEventsAtTurn } from './fork';

const opened = { type: 'CanvasOpened' };
const turn = (actor: 'director' | 'human', n: number) => ({ type: 'TurnTaken', actor, text: `t${n}` });
const exec = (n: number) => ({ type: 'ExecutionRecorded', n });
const log = [opened, turn('director', 1), { type: 'OperatorRequested' }, turn('director', 2), { type: 'OperatorInserted' }, exec(2), turn('human', 0), exec(3), turn('director', 3), { type: 'FinishAccepted' }];

describe('cutEventsAtTurn', () => {
  it('keeps the opening events only at turn 0', () => {
    expect(cutEventsAtTurn(log, 0).events).toEqual([opened]);
  });

  it('keeps a turn together with the events it caused', () => {
    expect(cutEventsAtTurn(log, 2).events).toEqual(log.slice(0, 6));
  });

  it('drops human edits made after turn K', () => {
    expect(cutEventsAtTurn(log, 2).events.some((e) => (e as { actor?: string }).actor === 'human')).toBe(false);
  });

  it('keeps everything at the last turn and counts director turns only', () => {
    const cut = cutEventsAtTurn(log, 3);
    expect(cut.events).toEqual(log);
    expect(cut.availableTurns).toBe(3);
  });

  it('refuses a turn the session never reached', () => {
    expect(() => cutEventsAtTurn(log, 4)).toThrow('has taken 3 director turn(s); fork at turn 0..3');
  });
});
