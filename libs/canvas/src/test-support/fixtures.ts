import { initialState, type CanvasOptions } from '../decider';
import type { CanvasEvent } from '../decider/events';
import { openCanvas } from '../decider/open';
import type { CanvasState } from '../decider/state';
import { takeTurn } from '../decider/turn';
import type { Action } from '../actions/types';
import { recordExecution, recordOutcomes, startExecution } from '../plan/run';
import type { CallResult, OperatorCall } from '../plan/types';
import { replay } from '../decider/evolve';

export const MATH: CanvasOptions = {
  problem: 'Natalia sold clips to 48 friends in April and half as many in May. How many in total?',
  taskType: 'math',
};

/** A session driver for tests: takes turns, runs executions with a scripted executor, keeps the log. */
export class Session {
  state: CanvasState;
  events: CanvasEvent[];
  executor: (call: OperatorCall) => CallResult;
  executed: OperatorCall[] = [];

  constructor(options: CanvasOptions = MATH, executor?: (call: OperatorCall) => CallResult) {
    const opened = openCanvas(options);
    if (opened.rejection) throw new Error(opened.rejection.reason);
    this.state = opened.state;
    this.events = opened.events.slice();
    this.executor =
      executor ??
      ((c) => ({
        callId: c.callId,
        outcome: {
          text: `${c.operator} output`,
          ...(c.operator === 'Review' || c.operator === 'Verify' || c.operator === 'Test' ? { passed: true, feedback: 'looks right' } : {}),
        },
      }));
  }

  turn(input: string | Action, actor: 'director' | 'human' = 'director') {
    const out = takeTurn(this.state, input, { actor });
    this.events.push(...out.events);
    this.state = out.state;
    if (out.execute) this.execute();
    return out;
  }

  execute() {
    let run = startExecution(this.state);
    while (run.status === 'running') {
      this.executed.push(...run.waiting);
      run = recordOutcomes(run, run.waiting.map(this.executor));
    }
    const d = recordExecution(this.state, run);
    if (d.events) {
      this.events.push(...d.events);
      this.state = replay(d.events, this.state);
    }
    return run;
  }

  /** Adds one operator through the two-step protocol. */
  add(operator: string, prompt = `Do the ${operator} step well.`) {
    this.turn(`<action>add</action><operator>${operator}</operator>`);
    return this.turn(prompt);
  }
}

export { initialState };
