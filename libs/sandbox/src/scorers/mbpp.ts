import type { CheckOutcome, RunCode } from './check';
import { replayElseCheck, type VerdictPath } from './replay';

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

/**
 * Replays the asserts on the trusted side with the candidate's return values (replay.ts): the
 * functions the asserts call and that the imports and setup do not define are the candidate's.
 * Where the setup needs the candidate's classes (tasks 367, 927) or the candidate returns objects
 * of its own classes (e.g. task 601's Pair), the strict check path decides (check.ts).
 */
export async function scoreMbpp(
  run: RunCode,
  item: MbppItem,
  code: string,
  options: MbppOptions = {},
): Promise<CheckOutcome & { taskId: number; path: VerdictPath }> {
  const timeoutSec = options.timeoutSec ?? 3;
  const guard = options.guard ?? true;
  const imports = (item.test_imports ?? []).join('\n');
  const asserts = [...item.test_list, ...(options.challenge ? (item.challenge_test_list ?? []) : [])].join('\n');
  const candidate = `${imports}\n${code}\n`;
  const replay = { prelude: `${imports}\n${item.test_setup_code ?? ''}\n`, tests: `${asserts}\n`, candidate, timeoutSec, guard };
  const check = { candidate, tests: `${item.test_setup_code ?? ''}\n${asserts}\n` };
  return { taskId: item.task_id, ...(await replayElseCheck(run, replay, check, { timeoutSec, guard })) };
}
