import { newNonce, type RunCode, type RunSummary, summarise, verdict } from './check';
import { APPS_CALL_CHILD, APPS_COMPARE, APPS_HARNESS } from './apps-harness';

/** One APPS test: MapCoder's layout (input text; output = list of accepted outputs / [return value]). */
export interface AppsTest {
  input: string;
  output: unknown;
}

/**
 * One APPS problem in MapCoder's re-formatted layout (`selected150.jsonl`): call-based problems
 * have a `starter_code` with the function; stdin/stdout problems have none. `fn_name` (original
 * APPS) wins over the starter code when present.
 */
export interface AppsItem {
  id: number | string;
  name?: string;
  difficulty?: string;
  description?: string;
  starter_code?: string;
  fn_name?: string;
  test_list: AppsTest[];
  sample_io?: AppsTest[];
}

/**
 * auto: call-based when the problem names a function, else stdin/stdout (APPS' own rule).
 * stdio: every problem through stdin/stdout (MapCoder's evaluation: the program reads the
 * arguments one per line and prints the result, compared with str(output[0])).
 * call: always call the function.
 */
export type AppsMode = 'auto' | 'stdio' | 'call';

/** Per-test result codes of APPS' test_one_solution.py. */
export type AppsTestResult = boolean | -1 | -2;

export interface AppsTestDetail {
  status: 'passed' | 'wrong-answer' | 'runtime-error' | 'timeout';
  got?: string;
  error?: string;
  ms?: number;
  note?: string;
}

export interface AppsOutcome {
  id: number | string;
  mode: 'stdio' | 'call';
  fnName?: string;
  results: AppsTestResult[];
  details: AppsTestDetail[];
  /** Every test passed (APPS strict accuracy counts these). */
  strict: boolean;
  /** Fraction of tests passed (APPS test-case average averages these). */
  passRate: number;
  compileError?: string;
  /** Set when the harness gave no verdict (the whole run failed). */
  error?: string;
  run: RunSummary;
}

export interface AppsOptions {
  mode?: AppsMode;
  /** Per-test time limit (APPS' testing_util uses 4 s). */
  perTestTimeoutSec?: number;
  /** Score against `sample_io` instead of `test_list` (public tests, e.g. for feedback). */
  sampleIo?: boolean;
  /** Only the first n tests. */
  maxTests?: number;
  /** Time budget of the whole problem (default: every test's limit plus 1 s each, at most 10 min). */
  budgetSec?: number;
  memoryMb?: number;
}

export function appsFunctionName(item: AppsItem): string | undefined {
  if (item.fn_name) return item.fn_name;
  const m = /^\s*def\s+([A-Za-z_]\w*)\s*\(/m.exec(item.starter_code ?? '');
  return m?.[1];
}

export function appsModeOf(item: AppsItem, mode: AppsMode = 'auto'): { mode: 'stdio' | 'call'; fnName?: string } {
  const fnName = appsFunctionName(item);
  if (mode === 'stdio') return { mode: 'stdio' };
  if (mode === 'call') {
    if (!fnName) throw new Error(`APPS problem ${item.id} has no function to call (no fn_name, no def in starter_code)`);
    return { mode: 'call', fnName };
  }
  return fnName ? { mode: 'call', fnName } : { mode: 'stdio' };
}

export async function scoreApps(run: RunCode, item: AppsItem, code: string, options: AppsOptions = {}): Promise<AppsOutcome> {
  const { mode, fnName } = appsModeOf(item, options.mode);
  const all = options.sampleIo ? (item.sample_io ?? []) : item.test_list;
  const tests = options.maxTests !== undefined ? all.slice(0, options.maxTests) : all;
  const perTest = options.perTestTimeoutSec ?? 4;
  const budgetSec = Math.min(options.budgetSec ?? tests.length * (perTest + 1), 595);
  const nonce = newNonce();
  // the candidate's sandbox gets the inputs only: the expected outputs stay here and go to the comparison run
  const config = { mode, fnName, tests: tests.map((t) => ({ input: t.input })), timeout: perTest, budget: budgetSec, outputLimit: 1 << 20 };
  const result = await run({
    code: APPS_HARNESS,
    files: { 'solution.py': code, '_apps_call.py': APPS_CALL_CHILD },
    stdin: `${nonce}\n${JSON.stringify(config)}`,
    limits: {
      wallTimeMs: Math.min(600_000, (budgetSec + perTest + 5) * 1000),
      memoryMb: options.memoryMb ?? 2048,
      maxProcesses: 16,
      maxOutputBytes: 4 * 1024 * 1024,
    },
  });
  const base = { id: item.id, mode, ...(fnName && mode === 'call' ? { fnName } : {}), run: summarise(result) };
  const v = verdict<{ results: unknown[]; details: unknown[]; compile_error?: string }>(result.stdout, nonce);
  const observed =
    v && Array.isArray(v.results) && Array.isArray(v.details) && v.results.length === tests.length && v.details.length === tests.length
      ? v
      : undefined;
  if (!observed) {
    const results: AppsTestResult[] = tests.map(() => -1);
    return {
      ...base,
      results,
      details: tests.map(() => ({ status: 'runtime-error' as const, error: 'no verdict' })),
      strict: false,
      passRate: 0,
      error:
        `the APPS harness gave no verdict: ${result.stopReason}${result.detail ? ` (${result.detail})` : ''} ${result.stderr.trim().slice(-800)}`.trim(),
    };
  }
  const { results, details } = await compareApps(run, mode, tests, observed.results, observed.details);
  const passed = results.filter((r) => r === true).length;
  return {
    ...base,
    results,
    details,
    strict: results.length > 0 && passed === results.length,
    passRate: results.length ? passed / results.length : 0,
    ...(typeof observed.compile_error === 'string' ? { compileError: observed.compile_error } : {}),
  };
}

type Observation = { status: 'ran'; out?: string; value?: unknown; ms?: number };

function isObservation(d: unknown): d is Observation {
  return typeof d === 'object' && d !== null && (d as Record<string, unknown>)['status'] === 'ran';
}

/**
 * Turns what the candidate's runs produced into APPS' per-test codes, in a sandbox run of its own
 * that holds the expected outputs and no candidate code (APPS_COMPARE keeps APPS' comparison rules).
 */
async function compareApps(
  run: RunCode,
  mode: 'stdio' | 'call',
  tests: AppsTest[],
  rawResults: unknown[],
  rawDetails: unknown[],
): Promise<{ results: AppsTestResult[]; details: AppsTestDetail[] }> {
  const results: AppsTestResult[] = [];
  const details: AppsTestDetail[] = [];
  const toCompare: { i: number; obs: Observation }[] = [];
  rawDetails.forEach((d, i) => {
    const r = rawResults[i];
    if (r === null && isObservation(d)) {
      toCompare.push({
        i,
        obs: {
          status: 'ran',
          ...(mode === 'stdio' ? { out: typeof d.out === 'string' ? d.out : '' } : { value: d.value }),
          ...(typeof d.ms === 'number' ? { ms: d.ms } : {}),
        },
      });
      results.push(false);
      details.push({ status: 'wrong-answer' });
    } else {
      results.push(r === -2 ? -2 : -1);
      const o = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
      const status = o['status'] === 'timeout' ? 'timeout' : 'runtime-error';
      details.push({
        status,
        ...(typeof o['error'] === 'string' ? { error: o['error'] } : {}),
        ...(typeof o['ms'] === 'number' ? { ms: o['ms'] } : {}),
        ...(typeof o['note'] === 'string' ? { note: o['note'] } : {}),
      });
    }
  });
  if (toCompare.length === 0) return { results, details };
  const cmp = await run({
    code: APPS_COMPARE,
    stdin: JSON.stringify({ mode, expected: toCompare.map(({ i }) => tests[i]?.output), observed: toCompare.map(({ obs }) => obs) }),
    limits: { wallTimeMs: 60_000, memoryMb: 2048, maxOutputBytes: 16 * 1024 * 1024 },
  });
  let parsed: { results?: unknown[]; details?: AppsTestDetail[] } = {};
  try {
    parsed = JSON.parse(cmp.stdout.trim().split('\n').pop() ?? '{}') as typeof parsed;
  } catch {
    parsed = {};
  }
  toCompare.forEach(({ i }, k) => {
    const ok = parsed.results?.[k] === true;
    results[i] = ok;
    details[i] = parsed.details?.[k] ?? { status: 'wrong-answer', error: `the comparison run failed: ${cmp.stopReason}` };
  });
  return { results, details };
}

/** APPS' two headline numbers over scored problems (one solution each). */
export function appsAggregate(outcomes: readonly Pick<AppsOutcome, 'strict' | 'passRate'>[]): {
  problems: number;
  strictAccuracy: number;
  testCaseAverage: number;
} {
  const n = outcomes.length;
  if (n === 0) return { problems: 0, strictAccuracy: 0, testCaseAverage: 0 };
  return {
    problems: n,
    strictAccuracy: outcomes.filter((o) => o.strict).length / n,
    testCaseAverage: outcomes.reduce((s, o) => s + o.passRate, 0) / n,
  };
}
