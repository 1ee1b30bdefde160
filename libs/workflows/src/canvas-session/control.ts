import { condition, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { isTerminal, serializeDsl, canvasView } from '@flowsteer/canvas';
import {
  SA,
  TRANSCRIPT_PAGE_MAX,
  cancelSignal,
  canvasQuery,
  humanActionUpdate,
  pauseSignal,
  previewOf,
  resumeSignal,
  runEventsQuery,
  transcriptQuery,
  type SessionCarry,
  type SessionStatus,
  type TranscriptPage,
  type TranscriptPageRequest,
} from '@flowsteer/contracts';
import { showDetails } from './details';
import type { SessionRecord } from './session-record';

export interface HumanRequest {
  text: string;
  done: (r: { accepted: boolean; outcome: string }) => void;
}

/** Turn records the `canvas` query returns (the rest are in the transcript and the store). */
const RECENT_TURNS = 10;

/**
 * The steering state of a session (pause, stop, a person's edits, an ongoing outage) and the
 * handlers that read and change it. Queries answer from the record and stay bounded whatever the
 * session's age: the current canvas and its recent turns, a page of the transcript.
 */
export class SessionControl {
  paused: boolean;
  stopRequested: string | null;
  readonly humanQueue: HumanRequest[] = [];
  outage: SessionCarry['outage'];
  waiting: { since: number; reason: string; nextTryAt: number } | undefined;

  constructor(carry: SessionCarry | undefined) {
    this.paused = carry?.paused ?? false;
    this.stopRequested = carry?.stopRequested ?? null;
    this.outage = carry?.outage;
  }

  register(record: SessionRecord): void {
    const info = workflowInfo();
    setHandler(canvasQuery, () => {
      const view = canvasView(record.state);
      return {
        dsl: serializeDsl(record.state.graph),
        status: record.status,
        turn: record.state.turn,
        maxTurns: record.state.options.maxTurns,
        state: { ...view, history: record.state.history.slice(-RECENT_TURNS) },
        ...(record.answer() ? { lastAnswer: previewOf(record.answer()) } : {}),
        run: record.run,
        segments: record.segments,
        ...(this.waiting ? { waiting: this.waiting } : {}),
      };
    });
    setHandler(transcriptQuery, (request?: TranscriptPageRequest) => transcriptPage(record, request));
    setHandler(runEventsQuery, () => ({
      run: record.run,
      segments: record.segments,
      fromTurn: record.fromTurn,
      events: record.events,
      ...(record.forkedFrom ? { forkedFrom: record.forkedFrom } : {}),
    }));
    setHandler(pauseSignal, () => {
      this.paused = true;
      if (record.status === 'running') setStatus(record, 'paused');
    });
    setHandler(resumeSignal, () => {
      this.paused = false;
      if (record.status === 'paused') setStatus(record, 'running');
    });
    setHandler(cancelSignal, (reason?: string) => {
      this.stopRequested = reason ?? 'stopped by request';
    });
    setHandler(
      humanActionUpdate,
      async (text: string) => new Promise<{ accepted: boolean; outcome: string }>((done) => this.humanQueue.push({ text, done })),
      {
        validator: (text: string) => {
          if (typeof text !== 'string' || !text.trim())
            throw new Error('humanAction needs the action text, e.g. <action>add</action><operator>Review</operator>');
          if (text.length > 20_000) throw new Error(`humanAction text is ${text.length} characters; at most 20000`);
          if (isTerminal(record.state)) throw new Error(`session ${info.workflowId} has ended; it takes no more edits`);
        },
      },
    );
  }

  /** Waits until the session may take its next step: not paused, or stopping, or a person's edit waits. */
  async mayProceed(): Promise<void> {
    await condition(() => !this.paused || this.stopRequested !== null || this.humanQueue.length > 0);
  }
}

/** Sets the status and its search attribute (only when it changed: each upsert is a history event). */
export function setStatus(record: SessionRecord, status: SessionStatus): void {
  if (record.status === status) return;
  record.status = status;
  upsertSearchAttributes([{ key: SA.status, value: status }]);
  showDetails(record);
}

function transcriptPage(record: SessionRecord, request: TranscriptPageRequest | undefined): TranscriptPage {
  const total = record.transcriptCount;
  const limit = Math.max(1, Math.min(TRANSCRIPT_PAGE_MAX, Math.floor(request?.limit ?? TRANSCRIPT_PAGE_MAX)));
  const from = Math.max(
    record.transcriptBase,
    Math.min(total, Math.floor(request?.from ?? Math.max(record.transcriptBase, total - limit))),
  );
  const local = from - record.transcriptBase;
  return {
    from,
    entries: record.transcript.slice(local, local + limit),
    total,
    firstInRun: record.transcriptBase,
    segments: record.segments,
  };
}
