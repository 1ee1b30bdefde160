import { TypedSearchAttributes } from '@temporalio/common';
import { SA } from './search-attributes';
import type { SessionInput } from './session';

const safeIdPart = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

/** `session-<dataset>-<item>-<suffix>` (DESIGN §5), the one convention of CLI, API and runs. */
export function sessionWorkflowId(dataset: string, itemId: string, suffix: string): string {
  return `session-${safeIdPart(dataset)}-${safeIdPart(itemId)}-${suffix}`;
}

/**
 * What every starter of a `canvasSession` gives Temporal besides the task queue: the id, the
 * input, a memo with a problem summary, and the FlowSteer search attributes (DESIGN §5).
 */
export function sessionStartOptions(input: SessionInput, suffix: string, memo: Record<string, unknown> = {}) {
  const { task } = input;
  return {
    workflowId: sessionWorkflowId(task.dataset, task.id, suffix),
    args: [input] as [SessionInput],
    memo: { problem: task.problem.slice(0, 200), ...memo },
    typedSearchAttributes: new TypedSearchAttributes([
      { key: SA.dataset, value: task.dataset },
      { key: SA.taskType, value: task.taskType },
      { key: SA.status, value: 'running' },
      { key: SA.turns, value: 0 },
      ...(input.policyVersion ? [{ key: SA.policyVersion, value: input.policyVersion }] : []),
      ...(input.run ? [{ key: SA.run, value: input.run }] : []),
    ]),
  };
}
