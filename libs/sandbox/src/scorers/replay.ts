import type { CodeRunLimits, CodeRunResult } from '@flowsteer/contracts';
import {
  type CheckOptions,
  type CheckOutcome,
  type CheckProgram,
  type RunCode,
  type RunSummary,
  runCheckProgram,
  summarise,
} from './check';
import { type CallResult, isCallResult, isPlainValue, lastJsonLine, type PlainValue } from './plain-value';
import { CALL_HARNESS, TEST_HARNESS } from './replay-harness';

/**
 * The replay verdict: the candidate's code and the benchmark's tests never run in one process.
 *
 * 1. test side (trusted, no candidate code): runs the tests with a stand-in for each candidate
 *    function; calls it cannot answer yet are listed (every assert is rewritten so an unknown value
 *    does not end the pass);
 * 2. call side (untrusted): loads the candidate and makes exactly those calls; returns each result
 *    as plain JSON (exact builtin types only), validated here;
 * 3. repeat 1–2 with the answers until a test pass needs no unknown call: its verdict is the verdict.
 *
 * The expected values stay on the test side, which the candidate never reaches; the candidate can
 * only say what its functions return. An always-equal object, a patched `assert`, an early exit,
 * a printed marker, a sentinel attribute or a result file have no way to the verdict.
 */
export interface ReplaySpec {
  /** Trusted code run before the tests on the test side (HumanEval's prompt, MBPP's imports and setup). */
  prelude: string;
  /** The tests (asserts, or `def check(candidate)` followed by the call). */
  tests: string;
  /** The candidate's program, run on the call side. */
  candidate: string;
  /** Names the tests call that the candidate defines; default: the free names of the tests. */
  names?: string[];
  /** The call side's time limit for loading and one round of calls (human-eval: 3 s). */
  timeoutSec: number;
  /** human-eval's reliability guard on the call side. */
  guard: boolean;
  /** Sandbox limits of the call side. */
  limits?: CodeRunLimits;
  /** The most call rounds (a test whose arguments depend on earlier results needs more than one). */
  maxRounds?: number;
}

/** Which path gave a verdict: the replay (tests and candidate apart) or the strict check program. */
export type VerdictPath = 'replay' | 'check';

/**
 * The replay's verdict where the tests can be replayed, the strict check path's where they cannot
 * (or where there is nothing to replay: `replay` null). What every code scorer does.
 */
export async function replayElseCheck(
  run: RunCode,
  replay: ReplaySpec | null,
  check: CheckProgram,
  options: CheckOptions,
): Promise<CheckOutcome & { path: VerdictPath }> {
  const replayed = replay ? await runReplayCheck(run, replay) : null;
  if (replayed?.path === 'replay') {
    const { path: _path, rounds: _rounds, calls: _calls, ...outcome } = replayed;
    return { path: 'replay', ...outcome };
  }
  return { path: 'check', ...(await runCheckProgram(run, check, options)) };
}

export type ReplayOutcome =
  | (CheckOutcome & { path: 'replay'; rounds: number; calls: number })
  | { path: 'unreplayable'; reason: string; run: RunSummary };

interface TableRow {
  key: string;
  result: CallResult;
}

interface PendingCall {
  fn: string;
  args: PlainValue;
  kwargs: PlainValue;
  key: string;
}

type TestReport =
  | { status: 'passed' | 'failed' | 'timeout'; error?: string; traceback?: string }
  | { pending: PendingCall[] }
  | { unreplayable: string };

const TEST_LIMITS: CodeRunLimits = { wallTimeMs: 60_000, memoryMb: 2048, maxOutputBytes: 8 * 1024 * 1024 };

function readTestReport(r: CodeRunResult): TestReport | undefined {
  const j = lastJsonLine(r.stdout) as Record<string, unknown> | undefined;
  if (!j || typeof j !== 'object') return undefined;
  if (typeof j['unreplayable'] === 'string') return { unreplayable: j['unreplayable'] };
  if (Array.isArray(j['pending'])) return { pending: j['pending'] as PendingCall[] };
  if (j['status'] === 'passed' || j['status'] === 'failed' || j['status'] === 'timeout') return j as TestReport;
  return undefined;
}

/** The call side's answer, validated; a string says why the candidate failed as a whole. */
function readCallReport(r: CodeRunResult, expected: number): CallResult[] | string {
  const j = lastJsonLine(r.stdout) as Record<string, unknown> | undefined;
  if (r.stopReason === 'timeout') return 'timeout';
  if (!j || typeof j !== 'object') {
    return `the candidate's program gave no results (${r.stopReason}${r.exitCode !== null ? `, exit ${r.exitCode}` : ''}): early exit or crash${r.stderr ? `: ${r.stderr.trim().slice(-800)}` : ''}`;
  }
  if (j['timeout'] === true) return 'timeout';
  if (typeof j['load'] === 'string') return `the candidate's program failed to load: ${j['load'].slice(0, 2000)}`;
  const results = j['results'];
  if (!Array.isArray(results) || results.length !== expected || !results.every(isCallResult))
    return 'the candidate returned results that are not plain values';
  return results;
}

export async function runReplayCheck(run: RunCode, spec: ReplaySpec): Promise<ReplayOutcome> {
  const table: TableRow[] = [];
  const maxRounds = spec.maxRounds ?? 6;
  let calls = 0;
  let last: CodeRunResult | undefined;
  for (let round = 0; round <= maxRounds; round++) {
    const testRun = await run({
      code: TEST_HARNESS,
      stdin: JSON.stringify({ prelude: spec.prelude, tests: spec.tests, names: spec.names ?? null, table, seed: 0, timeout: 30 }),
      limits: TEST_LIMITS,
    });
    last = testRun;
    const report = readTestReport(testRun);
    if (!report) {
      return {
        path: 'replay',
        passed: false,
        status: 'failed',
        error: `the test side gave no verdict (${testRun.stopReason}): ${testRun.stderr.slice(-800)}`,
        run: summarise(testRun),
        rounds: round,
        calls,
      };
    }
    if ('unreplayable' in report) {
      // decided before any candidate value took part: the tests themselves cannot be replayed
      if (round === 0) return { path: 'unreplayable', reason: report.unreplayable, run: summarise(testRun) };
      return { path: 'replay', passed: false, status: 'failed', error: report.unreplayable, run: summarise(testRun), rounds: round, calls };
    }
    if ('status' in report) {
      return {
        path: 'replay',
        passed: report.status === 'passed',
        status: report.status,
        ...(report.error ? { error: report.error } : {}),
        ...(report.traceback ? { traceback: report.traceback } : {}),
        run: summarise(last),
        rounds: round,
        calls,
      };
    }
    if (round === maxRounds) break;
    const pending = report.pending.filter(
      (p) => typeof p.fn === 'string' && typeof p.key === 'string' && isPlainValue(p.args) && isPlainValue(p.kwargs),
    );
    calls += pending.length;
    const callRun = await run({
      code: CALL_HARNESS,
      files: { 'program.py': spec.candidate },
      stdin: JSON.stringify({
        file: 'program.py',
        calls: pending.map(({ fn, args, kwargs }) => ({ fn, args, kwargs })),
        timeout: spec.timeoutSec,
        guard: spec.guard,
      }),
      limits: {
        wallTimeMs: Math.ceil(spec.timeoutSec * 1000) + 5000,
        memoryMb: 2048,
        maxOutputBytes: 4 * 1024 * 1024,
        ...(spec.limits ?? {}),
      },
    });
    last = callRun;
    const results = readCallReport(callRun, pending.length);
    if (results === 'timeout')
      return {
        path: 'replay',
        passed: false,
        status: 'timeout',
        error: callRun.detail ?? 'timed out',
        run: summarise(callRun),
        rounds: round + 1,
        calls,
      };
    if (typeof results === 'string')
      return { path: 'replay', passed: false, status: 'failed', error: results, run: summarise(callRun), rounds: round + 1, calls };
    const odd = results.find((x) => 'e' in x && x.e === 'Unencodable');
    // a return value that is not plain data (an object of the candidate's class, as MBPP's Pair
    // tasks return): the strict check path decides; it refuses the candidate's own classes in comparisons
    if (odd && 'e' in odd)
      return {
        path: 'unreplayable',
        reason: `the candidate returned ${odd.m ?? 'a value that is not plain data'}`,
        run: summarise(callRun),
      };
    pending.forEach((p, i) => table.push({ key: p.key, result: results[i] as CallResult }));
  }
  return {
    path: 'replay',
    passed: false,
    status: 'failed',
    error: `the tests still needed new calls after ${maxRounds} rounds`,
    run: summarise(last as CodeRunResult),
    rounds: maxRounds,
    calls,
  };
}
