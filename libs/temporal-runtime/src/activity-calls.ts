import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One activity call as a history records it: a scheduled regular activity, or a local activity's marker. */
export interface ActivityCall {
  type: string;
  /** The task queue of a regular activity; a local one runs on the workflow's own worker (`undefined`). */
  queue: string | undefined;
  local: boolean;
  summary: string;
  /** The event that records it (scheduled event or marker). */
  event: HistoryEvent;
}

/** The marker name the SDK's core gives local activity results. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * Every activity call of a history, in order: regular activities by their scheduled event, local
 * ones by their marker (its `data` detail is JSON naming the activity type). A local activity that
 * was retried still has one marker.
 */
export function activityCalls(events: readonly HistoryEvent[]): ActivityCall[] {
  const calls: ActivityCall[] = [];
  for (const e of events) {
    const summary = e.userMetadata?.summary?.data ? JSON.parse(Buffer.from(e.userMetadata.summary.data).toString()) : '';
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      calls.push({
        type: scheduled.activityType?.name ?? '',
        queue: scheduled.taskQueue?.name ?? undefined,
        local: false,
        summary: String(summary),
        event: e,
      });
      continue;
    }
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) continue;
    const data = marker.details?.data?.payloads?.[0]?.data;
    const parsed = data ? (JSON.parse(Buffer.from(data).toString()) as { activity_type?: string; activityType?: string }) : {};
    calls.push({
      type: parsed.activity_type ?? parsed.activityType ?? '',
      queue: undefined,
      local: true,
      summary: String(summary),
      event: e,
    });
  }
  return calls;
}
