import { DEFAULT_MAX_PROBLEM_BYTES, MAX_PROBLEM_BYTES_CEILING, MAX_TURNS, type SessionInput } from './session';
import { utf8Bytes } from './text';

/**
 * Everything wrong with a session input but its plug-in declarations, in words. `sessionInputProblems`
 * (session-start.ts) adds those. Kept apart from every zod schema: the workflow runs these checks at
 * each session start and should not build schemas to do so (#18).
 * `maxProblemBytes` is the deployment's cap (the workflow applies the hard ceiling).
 */
export function sessionInputProblemsWithoutPlugins(input: SessionInput, options: { maxProblemBytes?: number } = {}): string[] {
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
  if (!positive(limits?.outageBudgetSec) || !positive(limits?.outageRetrySec))
    problems.push('limits.outageBudgetSec and limits.outageRetrySec must be positive numbers of seconds');
  if (!positive(limits?.directorTimeoutSec) || !positive(limits?.operatorTimeoutSec))
    problems.push('limits.directorTimeoutSec and limits.operatorTimeoutSec must be positive');
  if (!positive(limits?.sandboxStartTimeoutSec)) problems.push('limits.sandboxStartTimeoutSec must be a positive number of seconds');
  const budget = limits?.historyBudget;
  if (
    budget &&
    (!positive(budget.maxEvents) || !positive(budget.maxBytes) || (budget.maxEvents ?? 1000) < 50 || (budget.maxBytes ?? 1e6) < 64 * 1024)
  ) {
    problems.push('limits.historyBudget needs maxEvents >= 50 and maxBytes >= 65536');
  }
  if (
    input.startFrom &&
    (typeof input.startFrom.sessionId !== 'string' ||
      !input.startFrom.sessionId ||
      !Number.isInteger(input.startFrom.turn) ||
      input.startFrom.turn < 0)
  ) {
    problems.push('startFrom needs the sessionId of the session to fork and a whole turn number >= 0');
  }
  if (
    typeof input.directorBackend !== 'string' ||
    !input.directorBackend ||
    typeof input.executorBackend !== 'string' ||
    !input.executorBackend
  ) {
    problems.push('directorBackend and executorBackend must name configured backends');
  }
  return problems;
}
