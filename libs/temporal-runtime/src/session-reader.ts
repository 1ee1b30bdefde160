import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { ArtifactStore } from '@flowsteer/artifacts';
import {
  canvasQuery,
  runEventsQuery,
  transcriptQuery,
  TRANSCRIPT_PAGE_MAX,
  type CanvasView,
  type RunEvents,
  type SessionInput,
  type SessionResult,
  type SessionSegment,
  type TranscriptEntry,
} from '@flowsteer/contracts';

type History = temporal.api.history.v1.IHistory;

/** The input a run was started with (the first event of its history). */
export async function runInput<T = SessionInput>(client: Client, history: History): Promise<T | undefined> {
  const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  const [input] = await Promise.all(payloads.map((p) => client.options.loadedDataConverter.payloadConverter.fromPayload(p)));
  return input as T | undefined;
}

/** A session as people read it, whatever its length and whether it still runs. */
export interface SessionReadout {
  workflowId: string;
  status: WorkflowExecutionDescription['status']['name'];
  result?: SessionResult;
  /** The live canvas (running sessions, or closed ones a worker can still answer for). */
  view?: CanvasView;
  /** The whole transcript: stored segments, then the current run. */
  transcript: TranscriptEntry[];
  /** The whole canvas event log, only when asked for. */
  events?: unknown[];
  segments: string[];
  forkedFrom?: { sessionId: string; turn: number };
}

/**
 * Reads a session: a completed one from its (bounded) result and its stored segments; a running
 * one from its queries (the current run) and the segments of its earlier runs. No LLM is called.
 */
export async function readSession(
  client: Client,
  store: ArtifactStore,
  workflowId: string,
  options: { events?: boolean } = {},
): Promise<SessionReadout> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const status = description.status.name;
  if (status === 'COMPLETED') {
    const result = (await handle.result()) as SessionResult;
    const segments = await readSegments(store, result.segments);
    return {
      workflowId,
      status,
      result,
      transcript: segments.flatMap((s) => s.transcript),
      ...(options.events ? { events: segments.flatMap((s) => s.events) } : {}),
      segments: result.segments,
      ...(result.forkedFrom ? { forkedFrom: result.forkedFrom } : {}),
    };
  }
  const [view, current] = await Promise.all([
    handle.query(canvasQuery).catch(() => undefined),
    handle.query(runEventsQuery).catch(() => undefined),
  ]);
  const segmentRefs = current?.segments ?? view?.segments ?? [];
  const segments = await readSegments(store, segmentRefs);
  const live = current ? await currentRunTranscript(client, workflowId) : [];
  return {
    workflowId,
    status,
    ...(view ? { view } : {}),
    transcript: [...segments.flatMap((s) => s.transcript), ...live],
    ...(options.events ? { events: [...segments.flatMap((s) => s.events), ...((current as RunEvents | undefined)?.events ?? [])] } : {}),
    segments: segmentRefs,
    ...(current?.forkedFrom ? { forkedFrom: current.forkedFrom } : {}),
  };
}

async function readSegments(store: ArtifactStore, refs: readonly string[]): Promise<SessionSegment[]> {
  return Promise.all(refs.map((ref) => store.getJson<SessionSegment>(ref)));
}

/** The current run's transcript, page by page. */
async function currentRunTranscript(client: Client, workflowId: string): Promise<TranscriptEntry[]> {
  const handle = client.workflow.getHandle(workflowId);
  const first = await handle.query(transcriptQuery, { from: 0, limit: TRANSCRIPT_PAGE_MAX });
  const entries = [...first.entries];
  let next = first.from + first.entries.length;
  while (next < first.total) {
    const page = await handle.query(transcriptQuery, { from: next, limit: TRANSCRIPT_PAGE_MAX });
    if (page.entries.length === 0) break;
    entries.push(...page.entries);
    next = page.from + page.entries.length;
  }
  return entries;
}
