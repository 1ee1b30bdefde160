import type { CheckOutcome, RunCode } from './check';
import { replayElseCheck, type VerdictPath } from './replay';

export interface CodeTestsInput {
  /** The code under test (defines the functions the tests call). */
  solution: string;
  /** Asserts that call the solution's functions, or `def check(candidate)` (called with `entryPoint`). */
  tests: string;
  entryPoint?: string;
  timeoutSec?: number;
  /** The check path's verdict nonce (see CheckOptions.nonce); default: fresh random bytes. */
  nonce?: () => string;
}

export type CodeTestsVerdict = CheckOutcome & { path: VerdictPath; errorType?: string };

const IMPORT_SOLUTION = /^\s*(?:from\s+solution\s+import\s+[^\n]*|import\s+solution\b[^\n]*)$/gm;

/**
 * The verdict of tests on a code solution, for the `Test` operator (and anything else that holds a
 * solution and asserts): the same verdict path as the benchmark scorers. The tests run replayed,
 * apart from the solution (replay.ts); where they cannot be, the strict check path decides. A
 * solution that exits early, patches `assert` or returns an always-equal object does not pass.
 * Empty tests check only that the solution loads and returns (a completion record is required).
 */
export async function codeTestsVerdict(run: RunCode, input: CodeTestsInput): Promise<CodeTestsVerdict> {
  const timeoutSec = input.timeoutSec ?? 10;
  const body = input.tests.replace(IMPORT_SOLUTION, '').trim();
  const callCheck =
    /^\s*def\s+check\s*\(/m.test(body) && input.entryPoint && !/^\s*check\s*\(/m.test(body) ? `\ncheck(${input.entryPoint})\n` : '\n';
  const tests = `${body}\n${callCheck}`;
  const limits = { memoryMb: 512, maxOutputBytes: 4 * 1024 * 1024 };
  const replay = body ? { prelude: '', tests, candidate: input.solution, timeoutSec, guard: false, limits } : null;
  const options = { timeoutSec, guard: false, limits, ...(input.nonce ? { nonce: input.nonce } : {}) };
  return withType(await replayElseCheck(run, replay, { candidate: input.solution, tests }, options));
}

function withType(v: CheckOutcome & { path: VerdictPath }): CodeTestsVerdict {
  if (v.passed) return v;
  const m = /^([A-Za-z_][\w.]*)(?::|$)/.exec(v.error ?? '');
  return { ...v, errorType: v.status === 'timeout' ? 'timeout' : (m?.[1] ?? 'error') };
}
