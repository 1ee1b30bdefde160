import { replay, type CanvasEvent, type CanvasState } from '@flowsteer/canvas';
import type { LedgerEntry, SessionStatus, TranscriptEntry, TrajectoryTurn } from '@flowsteer/contracts';

/**
 * Everything a session accumulates, kept in one place so queries, the result and a fork all read
 * the same data. The canvas state is always the fold of `events`.
 */
export class SessionRecord {
  events: CanvasEvent[] = [];
  state: CanvasState;
  status: SessionStatus = 'running';
  transcript: TranscriptEntry[] = [];
  directorLedger: LedgerEntry[] = [];
  executorLedger: LedgerEntry[] = [];
  trajectory: TrajectoryTurn[] = [];

  constructor(initialEvents: CanvasEvent[], initialState: CanvasState) {
    this.events = initialEvents.slice();
    this.state = initialState;
  }

  /** Appends events and folds them; returns the [from, to) range they occupy in the log. */
  apply(events: readonly CanvasEvent[]): [number, number] {
    const from = this.events.length;
    this.events.push(...events);
    this.state = replay(events, this.state);
    return [from, this.events.length];
  }

  /** The workflow's own Test verdict: the last Test call of the last execution (null when none ran). */
  testVerdict(): boolean | null {
    const tests = (this.state.lastExecution?.calls ?? []).filter((c) => c.operator === 'Test');
    const last = tests[tests.length - 1];
    return last ? last.passed === true : null;
  }

  /** The workflow's current answer: the last execution's, else the last solver result. */
  answer(): string {
    return this.state.lastExecution?.answer ?? this.state.lastSolverResult ?? '';
  }
}
