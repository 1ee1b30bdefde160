import type { CodeRunRequest, CodeRunResult } from '@flowsteer/contracts';
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
