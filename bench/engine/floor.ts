import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * The activity shape of a finished session's history: for each workflow task that scheduled
 * activities, one entry per activity it scheduled, with the time that activity's LLM work takes
 * (`latencyOf(activity type)`, e.g. the fake servers' scripted latency).
 */
export function activityShape(events: readonly HistoryEvent[], latencyOf: (activityType: string) => number): number[][] {
  const groups = new Map<string, number[]>();
  for (const e of events) {
    const s = e.activityTaskScheduledEventAttributes;
    if (!s) continue;
    const group = String(s.workflowTaskCompletedEventId);
    const list = groups.get(group) ?? [];
    list.push(latencyOf(s.activityType?.name ?? ''));
    groups.set(group, list);
  }
  return [...groups.values()];
}

/** Time the activities alone take on the critical path: the slowest of each group, groups in sequence. */
export function criticalPathMs(groups: readonly number[][]): number {
  return groups.reduce((sum, g) => sum + Math.max(0, ...g), 0);
}
