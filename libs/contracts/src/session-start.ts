import { TypedSearchAttributes } from '@temporalio/common';
import { SA } from './search-attributes';
import { DEFAULT_MAX_PROBLEM_BYTES, MAX_PROBLEM_BYTES_CEILING, MAX_TURNS, TERMINAL_SESSION_STATUSES, type SessionInput } from './session';
import { utf8Bytes } from './text';

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

/**
 * Everything wrong with a session input, in words (empty when it may start). The same checks run
 * at every edge — the CLI, the API and the workflow itself — so a session that starts can run.
 * `maxProblemBytes` is the deployment's cap (the workflow applies the hard ceiling).
 */
export function sessionInputProblems(input: SessionInput, options: { maxProblemBytes?: number } = {}): string[] {
  const problems: string[] = [];
  const cap = Math.min(options.maxProblemBytes ?? DEFAULT_MAX_PROBLEM_BYTES, MAX_PROBLEM_BYTES_CEILING);
  const task = input?.task;
  if (!task || typeof task.problem !== 'string') return ['task.problem must be a string'];
  const size = utf8Bytes(task.problem);
  if (size > cap) problems.push(`the problem is ${size} bytes; the cap is ${cap} bytes (FLOWSTEER_MAX_PROBLEM_BYTES)`);
  if (task.problem.includes('\u0000')) problems.push('the problem contains a NUL character');
  const testsSize = task.code?.tests ? utf8Bytes(task.code.tests) : 0;
  if (testsSize > cap) problems.push(`the code tests are ${testsSize} bytes; the cap is ${cap} bytes`);
  const limits = input.limits;
  if (!limits || !Number.isInteger(limits.maxTurns) || limits.maxTurns < 1 || limits.maxTurns > MAX_TURNS) {
    problems.push(`limits.maxTurns must be a whole number from 1 to ${MAX_TURNS} (got ${JSON.stringify(limits?.maxTurns)})`);
  }
  const positive = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v > 0);
  if (!positive(limits?.outageBudgetSec) || !positive(limits?.outageRetrySec)) problems.push('limits.outageBudgetSec and limits.outageRetrySec must be positive numbers of seconds');
  if (!positive(limits?.directorTimeoutSec) || !positive(limits?.operatorTimeoutSec)) problems.push('limits.directorTimeoutSec and limits.operatorTimeoutSec must be positive');
  const budget = limits?.historyBudget;
  if (budget && (!positive(budget.maxEvents) || !positive(budget.maxBytes) || (budget.maxEvents ?? 1000) < 50 || (budget.maxBytes ?? 1e6) < 64 * 1024)) {
    problems.push('limits.historyBudget needs maxEvents >= 50 and maxBytes >= 65536');
  }
  if (input.startFrom && (typeof input.startFrom.sessionId !== 'string' || !input.startFrom.sessionId || !Number.isInteger(input.startFrom.turn) || input.startFrom.turn < 0)) {
    problems.push('startFrom needs the sessionId of the session to fork and a whole turn number >= 0');
  }
  if (typeof input.directorBackend !== 'string' || !input.directorBackend || typeof input.executorBackend !== 'string' || !input.executorBackend) {
    problems.push('directorBackend and executorBackend must name configured backends');
  }
  return problems;
}

/**
 * A session's status as people should read it. A session the server ended (terminated, timed out)
 * or whose workflow failed never got to set `FlowSteerStatus` to a terminal value; the execution
 * status says how it really ended.
 */
export function effectiveSessionStatus(executionStatus: string, recorded: string | undefined): string | undefined {
  const terminal = (TERMINAL_SESSION_STATUSES as readonly string[]).includes(recorded ?? '');
  if (terminal || executionStatus === 'RUNNING' || executionStatus === 'CONTINUED_AS_NEW') return recorded;
  if (executionStatus === 'CANCELED' || executionStatus === 'CANCELLED') return 'cancelled';
  if (executionStatus === 'TERMINATED' || executionStatus === 'TIMED_OUT' || executionStatus === 'FAILED') return 'failed';
  return recorded;
}
