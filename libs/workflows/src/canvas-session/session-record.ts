import { replay, type CanvasEvent, type CanvasState } from '@flowsteer/canvas';
import {
  EMPTY_LEDGER_SUMS,
  addToBackendSums,
  addToLedgerSums,
  type LedgerEntry,
  type SessionCarry,
  type SessionLedgerTotals,
  type SessionSegment,
  type SessionStatus,
  type TextValue,
  type TranscriptEntry,
} from '@flowsteer/contracts';

/**
 * Everything one run of a session accumulates, kept in one place so queries, the stored segment,
 * the carry and the result all read the same data. The canvas state is the fold of this run's
 * `events` over the state the run started from (the empty canvas for the first run, the carried
 * snapshot after a continue-as-new). Earlier runs live in the artifact store as `segments`.
 */
export class SessionRecord {
  readonly run: number;
  /** This run's canvas events. */
  readonly events: CanvasEvent[] = [];
  state: CanvasState;
  status: SessionStatus = 'running';
  /** This run's transcript entries. */
  readonly transcript: TranscriptEntry[] = [];
  ledger: SessionLedgerTotals;
  readonly segments: string[];
  /** Events and transcript entries of the earlier runs (indexes stay global across the chain). */
  readonly eventBase: number;
  readonly transcriptBase: number;
  /** Director turns taken when this run started. */
  readonly fromTurn: number;
  /** The problem and code tests as they travel to activities (long ones by reference). */
  problemText: TextValue | undefined;
  testsText: TextValue | undefined;
  readonly forkedFrom: { sessionId: string; turn: number } | undefined;
  /** Why the session ended as it did (outage, failure), for the result and the UI. */
  reason: string | undefined;
  /** For the UI's details: the backends, why the session waits (if it does), its score once known. */
  backends = { director: '', executor: '' };
  waitingReason: string | undefined;
  score: number | undefined;
  /** A rough size of this run's segment, so a run can continue as new before it gets too big. */
  segmentChars = 0;
  /** Workflow time of this run's last Turns search-attribute update (turns.ts). */
  turnsUpsertedAt: number | undefined;

  constructor(initial: {
    events?: CanvasEvent[];
    state: CanvasState;
    carry?: SessionCarry;
    forkedFrom?: { sessionId: string; turn: number };
  }) {
    const carry = initial.carry;
    this.run = carry?.run ?? 0;
    this.state = initial.state;
    this.segments = carry?.segments.slice() ?? [];
    this.ledger = carry?.ledger ?? { director: EMPTY_LEDGER_SUMS, executor: EMPTY_LEDGER_SUMS };
    this.eventBase = carry?.eventCount ?? 0;
    this.transcriptBase = carry?.transcriptEntries ?? 0;
    this.fromTurn = initial.state.turn;
    this.problemText = carry?.problemText;
    this.testsText = carry?.testsText;
    this.forkedFrom = carry?.forkedFrom ?? initial.forkedFrom;
    if (initial.events?.length) this.apply(initial.events);
  }

  /** Appends events and folds them; returns the [from, to) range they occupy in the session's whole log. */
  apply(events: readonly CanvasEvent[]): [number, number] {
    const from = this.eventBase + this.events.length;
    this.events.push(...events);
    this.state = replay(events, this.state);
    this.segmentChars += JSON.stringify(events).length;
    return [from, this.eventBase + this.events.length];
  }

  addTranscript(entry: TranscriptEntry): void {
    this.transcript.push(entry);
    this.segmentChars += JSON.stringify(entry).length;
  }

  addLedger(role: 'director' | 'executor', entries: readonly LedgerEntry[]): void {
    if (entries.length === 0) return;
    this.ledger = {
      ...this.ledger,
      [role]: addToLedgerSums(this.ledger[role], entries),
      byBackend: addToBackendSums(this.ledger.byBackend ?? {}, entries),
    };
  }

  /** Events recorded in the whole session so far. */
  get eventCount(): number {
    return this.eventBase + this.events.length;
  }

  get transcriptCount(): number {
    return this.transcriptBase + this.transcript.length;
  }

  /** The workflow's own Test verdict: the last Test call of the last execution (null when none ran). */
  testVerdict(): boolean | null {
    const tests = (this.state.lastExecution?.calls ?? []).filter((c) => c.operator === 'Test');
    const last = tests[tests.length - 1];
    return last ? last.passed === true : null;
  }

  /** The workflow's current answer: the last execution's, else the last solver result. */
  answer(): TextValue {
    return this.state.lastExecution?.answer ?? this.state.lastSolverResult ?? '';
  }

  /** This run's record for the artifact store. */
  segment(sessionId: string): SessionSegment {
    return {
      sessionId,
      run: this.run,
      fromTurn: this.fromTurn,
      toTurn: this.state.turn,
      ...(this.forkedFrom ? { forkedFrom: this.forkedFrom } : {}),
      events: this.events,
      transcript: this.transcript,
    };
  }
}
