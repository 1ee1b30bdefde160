import type { CodeRunRequest, CodeRunResult } from '@flowsteer/contracts';
import { codeTestsVerdict } from '@flowsteer/sandbox';
import type { OperatorCall } from './operator-call';

/** Limits for operator code runs (the reference allows 30 s per execution). */
export const OPERATOR_RUN_LIMITS = { wallTimeMs: 30_000, memoryMb: 512, maxOutputBytes: 64_000 } as const;

/**
 * Runs code in the sandbox with the operator limits. The canvas worker never runs it: the
 * operator suspends and the workflow runs it with `runCode` on the sandbox queue (OperatorCall.run).
 */
export async function runInSandbox(call: OperatorCall, req: CodeRunRequest, step: string): Promise<CodeRunResult> {
  return call.run({ limits: OPERATOR_RUN_LIMITS, ...req }, step);
}

export interface TestsVerdict {
  passed: boolean;
  /** On a failure: the exception type (or the stop reason) and the message with its traceback. */
  errorType?: string;
  error?: string;
  isolation: string;
}

/**
 * The verdict of `tests` on a code `solution`, from libs/sandbox's verdict path (the solution never
 * runs in the process that judges it, and cannot forge the verdict). Each run suspends the operator
 * as `step`; the verdict nonce is journaled under `noncePurpose`, so a resumed call reuses it.
 */
export async function testsVerdict(
  call: OperatorCall,
  input: { solution: string; tests: string; entryPoint?: string },
  step: string,
  noncePurpose: string,
): Promise<TestsVerdict> {
  const v = await codeTestsVerdict((req) => runInSandbox(call, req, step), { ...input, nonce: () => call.secret(noncePurpose) });
  if (v.passed) return { passed: true, isolation: v.run.isolation };
  return {
    passed: false,
    errorType: v.errorType ?? v.status,
    error: [v.error ?? v.status, v.traceback].filter(Boolean).join('\n'),
    isolation: v.run.isolation,
  };
}

export function ranCleanly(result: CodeRunResult): boolean {
  return result.stopReason === 'ok' && result.exitCode === 0;
}

const TAIL = 1500;

/** A short account of why a run failed: the stop reason and the end of stderr (where Python puts the error). */
export function describeFailure(result: CodeRunResult): string {
  const stderr = result.stderr.trim();
  const tail = stderr.length > TAIL ? `…${stderr.slice(-TAIL)}` : stderr;
  const head =
    result.stopReason === 'ok' || result.stopReason === 'error'
      ? `exit code ${result.exitCode ?? 'none'}${result.signal ? `, signal ${result.signal}` : ''}`
      : `stopped: ${result.stopReason}`;
  return tail ? `${head}\n${tail}` : head;
}

/** The Python exception name and message from a traceback's last line, e.g. ["AssertionError", "x"]. */
export function lastException(stderr: string): { type: string; message: string } | undefined {
  const lines = stderr.trim().split('\n').reverse();
  for (const line of lines) {
    const m = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))(?::\s*(.*))?$/.exec(line.trim());
    if (m?.[1]) return { type: m[1], message: m[2] ?? '' };
  }
  return undefined;
}
