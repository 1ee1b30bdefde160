/**
 * Where the time between two LLM calls of a session goes (overhead.ts --trace).
 *
 * With local LLM calls a session's turn is: a local activity ends; the SDK core turns its result into
 * a workflow activation; the worker hands the activation to its workflow thread, which runs the
 * session code and completes it; the core schedules the next local activity and the worker starts it.
 * This module timestamps the three hand-overs it can see from the worker's main thread (the core
 * bridge's poll and complete calls, wrapped before the worker is created) and the LLM activities
 * (wrapped around the activity functions), and splits each gap between two LLM activities of one
 * run into:
 *
 *   result → activation:         activity end → the activation for that run reaches the worker
 *   activation → completion:     the workflow thread's queue and work (session code and SDK)
 *   completion → next activity:  the core schedules the next local activity, the worker starts it
 *
 * Measurement only: it decodes every activation to find its run, which costs main-thread time.
 */
import { Context } from '@temporalio/activity';
import { native } from '@temporalio/core-bridge';
import { coresdk } from '@temporalio/proto';

interface Mark {
  kind: 'activation' | 'completion' | 'activityTask';
  at: number;
  runId: string;
}
interface Span {
  runId: string;
  start: number;
  end: number;
}

const marks: Mark[] = [];
const spans: Span[] = [];
let installed = false;

/** Wraps the core bridge's poll/complete calls; call before Worker.create. */
export function installTurnTrace(): void {
  if (installed) return;
  installed = true;
  const bridge = native as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const wrap = (name: string, kind: Mark['kind'], runOf: (bytes: Uint8Array) => string, fromResult: boolean) => {
    const call = bridge[name] as (...args: unknown[]) => Promise<unknown>;
    bridge[name] = async (...args: unknown[]) => {
      if (!fromResult) marks.push({ kind, at: performance.now(), runId: runOf(new Uint8Array(args[1] as Buffer)) });
      const result = await call(...args);
      if (fromResult) marks.push({ kind, at: performance.now(), runId: runOf(new Uint8Array(result as ArrayBuffer)) });
      return result;
    };
  };
  wrap('workerPollWorkflowActivation', 'activation', (b) => coresdk.workflow_activation.WorkflowActivation.decode(b).runId, true);
  wrap(
    'workerCompleteWorkflowActivation',
    'completion',
    (b) => coresdk.workflow_completion.WorkflowActivationCompletion.decodeDelimited(b).runId,
    false,
  );
  wrap(
    'workerPollActivityTask',
    'activityTask',
    (b) => coresdk.activity_task.ActivityTask.decode(b).start?.workflowExecution?.runId ?? '',
    true,
  );
}

/** The same activities, each LLM call recorded with its run and its start and end. */
export function traceActivities<T extends object>(activities: T, names: readonly string[]): T {
  const traced: Record<string, unknown> = { ...(activities as Record<string, unknown>) };
  for (const name of names) {
    const fn = (activities as Record<string, (...args: unknown[]) => Promise<unknown>>)[name];
    if (!fn) continue;
    traced[name] = async (...args: unknown[]) => {
      const runId = Context.current().info.workflowExecution?.runId ?? '';
      const start = performance.now();
      try {
        return await fn(...args);
      } finally {
        spans.push({ runId, start, end: performance.now() });
      }
    };
  }
  return traced as T;
}

export interface GapBreakdown {
  gaps: number;
  resultToActivation: number;
  activationToCompletion: number;
  completionToNextCall: number;
}

/** p50 of each leg over the gaps between consecutive LLM calls of the runs that started in [from, to]. */
export function gapBreakdown(from: number, to: number): GapBreakdown {
  const legs: number[][] = [[], [], []];
  const byRun = groupBy(
    spans.filter((s) => s.start >= from && s.start <= to),
    (s) => s.runId,
  );
  const marksOf = groupBy(
    marks.filter((m) => byRun.has(m.runId)),
    (m) => m.runId,
  );
  for (const [runId, runSpans] of byRun) {
    runSpans.sort((a, b) => a.start - b.start);
    const runMarks = marksOf.get(runId) ?? [];
    for (let k = 0; k + 1 < runSpans.length; k++) {
      const { end } = runSpans[k] as Span;
      const { start: next } = runSpans[k + 1] as Span;
      const between = runMarks.filter((m) => m.at >= end && m.at <= next);
      const activation = between.find((m) => m.kind === 'activation');
      const completion = between.filter((m) => m.kind === 'completion').pop();
      if (!activation || !completion || completion.at < activation.at) continue;
      legs[0]?.push(activation.at - end);
      legs[1]?.push(completion.at - activation.at);
      legs[2]?.push(next - completion.at);
    }
  }
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return {
    gaps: legs[0]?.length ?? 0,
    resultToActivation: p50(legs[0] ?? []),
    activationToCompletion: p50(legs[1] ?? []),
    completionToNextCall: p50(legs[2] ?? []),
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
