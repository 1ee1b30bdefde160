import { type CheckOutcome, type RunCode, runCheckProgram } from './check';

/** One MBPP problem: `mbpp.jsonl` (test_setup_code) or `sanitized-mbpp.json` (test_imports). */
export interface MbppItem {
  task_id: number;
  text?: string;
  prompt?: string;
  code?: string;
  test_list: string[];
  test_setup_code?: string;
  test_imports?: string[];
  challenge_test_list?: string[];
}

export interface MbppOptions {
  timeoutSec?: number;
  guard?: boolean;
  /** Also run `challenge_test_list` (not part of the canonical pass@1). */
  challenge?: boolean;
}

/**
 * Test imports (sanitized MBPP), the candidate, then `test_setup_code` (it runs before the tests and
 * may use the candidate's definitions: tasks 367 and 927 build trees with the candidate's Node class),
 * then the asserts.
 */
export function mbppProgram(item: MbppItem, code: string, options: MbppOptions = {}): string {
  const tests = [...item.test_list, ...(options.challenge ? (item.challenge_test_list ?? []) : [])];
  return [...(item.test_imports ?? []), code, '', item.test_setup_code ?? '', ...tests, ''].join('\n');
}

export async function scoreMbpp(run: RunCode, item: MbppItem, code: string, options: MbppOptions = {}): Promise<CheckOutcome & { taskId: number }> {
  const outcome = await runCheckProgram(run, mbppProgram(item, code, options), { timeoutSec: options.timeoutSec ?? 3, guard: options.guard ?? true });
  return { taskId: item.task_id, ...outcome };
}
