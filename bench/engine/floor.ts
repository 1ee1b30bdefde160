import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One activity of the floor: how long its work takes, and whether the session runs it as a local activity. */
export interface FloorCall {
  ms: number;
  local: boolean;
  /** The director's call, which opens a turn. */
  opensTurn?: boolean;
}

/**
 * The activity shape of a finished session's history, recorded with regular activities (its LLM
 * calls in `llmCalls: 'activity'` mode, so each is a scheduled event): for each workflow task that
 * scheduled activities, one entry per activity it scheduled, with the time that activity's LLM work
 * takes (`latencyOf(activity type)`, e.g. the fake servers' scripted latency) and whether the
 * measured sessions run that type locally (`localTypes`).
 */
export function activityShape(
  events: readonly HistoryEvent[],
  latencyOf: (activityType: string) => number,
  localTypes: ReadonlySet<string> = new Set(),
): FloorCall[][] {
  const groups = new Map<string, FloorCall[]>();
  for (const e of events) {
    const s = e.activityTaskScheduledEventAttributes;
    if (!s) continue;
    const group = String(s.workflowTaskCompletedEventId);
    const list = groups.get(group) ?? [];
    const type = s.activityType?.name ?? '';
    list.push({ ms: latencyOf(type), local: localTypes.has(type), ...(type === 'policyTurn' ? { opensTurn: true } : {}) });
    groups.set(group, list);
  }
  return [...groups.values()];
}

/** Time the activities alone take on the critical path: the slowest of each group, groups in sequence. */
export function criticalPathMs(groups: readonly FloorCall[][]): number {
  return groups.reduce((sum, g) => sum + Math.max(0, ...g.map((c) => c.ms)), 0);
}

/**
 * The same shape with each turn's local calls (the director's and the operators' after it) made as
 * one local activity: what the engine would cost if a turn took one activation instead of one per
 * call (overhead.ts --floor-one-call-per-turn). Groups with a regular activity stay as they are.
 */
export function oneCallPerTurn(groups: readonly FloorCall[][]): FloorCall[][] {
  const merged: FloorCall[][] = [];
  let turn: FloorCall[][] | undefined;
  const close = () => {
    if (turn) merged.push([{ ms: criticalPathMs(turn), local: true, opensTurn: true }]);
    turn = undefined;
  };
  for (const group of groups) {
    const local = group.every((c) => c.local);
    if (!local) {
      close();
      merged.push(group);
    } else if (group.some((c) => c.opensTurn) || !turn) {
      close();
      turn = [group];
    } else turn.push(group);
  }
  close();
  return merged;
}
