import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { DEFAULT_HISTORY_BUDGET, type SessionCarry, type SessionInput, type SessionLimits } from '@flowsteer/contracts';
import type { SessionActivityProxies } from './proxies';
import type { canvasSession } from './canvas-session';
import type { SessionControl } from './control';
import { storeSegment } from './finish';
import type { SessionRecord } from './session-record';
import type { UnsyncedHistory } from './unsynced-history';

/** A run's segment must stay well inside Temporal's 2 MiB payload limit (it is one activity input). */
const SEGMENT_MAX_CHARS = 1_000_000;

/**
 * Whether this run should hand over to a new one before its next turn. The history's length and size
 * include the local results its open workflow task has not reported yet (`UnsyncedHistory`).
 */
export function shouldContinueAsNew(record: SessionRecord, limits: SessionLimits, unsynced: UnsyncedHistory): boolean {
  const budget = { ...DEFAULT_HISTORY_BUDGET, ...limits.historyBudget };
  const history = unsynced.estimate();
  return (
    workflowInfo().continueAsNewSuggested ||
    history.length >= budget.maxEvents ||
    history.size >= budget.maxBytes ||
    record.segmentChars >= SEGMENT_MAX_CHARS
  );
}

/**
 * Stores this run's segment and continues as new from a compact snapshot: the canvas state (not
 * its events), the segment references, ledger totals and the steering state. A person's edit that
 * is still waiting is applied before (the caller drains the queue); running handlers finish first.
 */
export async function continueSession(
  record: SessionRecord,
  control: SessionControl,
  input: SessionInput,
  activities: SessionActivityProxies,
): Promise<never> {
  await condition(allHandlersFinished);
  const segment = await storeSegment(record, activities);
  const carry: SessionCarry = {
    run: record.run + 1,
    state: record.state,
    segments: [...record.segments, segment],
    ledger: record.ledger,
    paused: control.paused,
    stopRequested: control.stopRequested,
    ...(record.problemText !== undefined ? { problemText: record.problemText } : {}),
    ...(record.testsText !== undefined ? { testsText: record.testsText } : {}),
    transcriptEntries: record.transcriptCount,
    eventCount: record.eventCount,
    ...(control.outage ? { outage: control.outage } : {}),
    ...(record.forkedFrom ? { forkedFrom: record.forkedFrom } : {}),
  };
  const { startFrom: _startFrom, ...rest } = input;
  return continueAsNew<typeof canvasSession>({ ...rest, carry });
}
