import type { RunCode } from './check';
import { type CheckOutcome, runCheckProgram } from './check';

/** One DS-1000 problem in the 2024 release layout (xlangai/DS-1000 `ds1000.jsonl`). */
export interface Ds1000Item {
  prompt?: string;
  reference_code?: string;
  code_context: string;
  metadata: {
    problem_id: number;
    library: string;
    library_problem_id?: number;
    perturbation_type?: string;
    perturbation_origin_id?: number;
  };
}

/** DS-1000's libraries and the Python module each needs. */
export const DS1000_LIBRARY_MODULES: Record<string, string> = {
  Numpy: 'numpy',
  Pandas: 'pandas',
  Scipy: 'scipy',
  Sklearn: 'sklearn',
  Matplotlib: 'matplotlib',
  Pytorch: 'torch',
  Tensorflow: 'tensorflow',
};

/**
 * DS-1000's `postprocess` of a model answer (test_ds1000.py): keep what precedes </code>, drop
 * ```python, keep what precedes the next ```, cut at "\nEND SOLUTION", drop <code>.
 */
export function ds1000Postprocess(answer: string): string {
  let code = answer.split('</code>')[0] ?? '';
  code = code.replace(/```python/g, '');
  code = code.split('```')[0] ?? '';
  code = code.split('\nEND SOLUTION')[0] ?? '';
  return code.replace(/<code>/g, '');
}

/** The test program of test_ds1000.py: code_context, the answer as a string, test_execution, test_string if defined. */
export function ds1000Program(item: Ds1000Item, code: string): string {
  const hasStringTest = item.code_context.includes('test_string(');
  return `${item.code_context}\ncode = ${JSON.stringify(code)}\ntest_execution(code)\n${hasStringTest ? 'test_string(code)\n' : '\n'}`;
}

/** Top-level modules the item needs: its library's module and every module its code_context imports. */
export function ds1000RequiredModules(item: Ds1000Item): string[] {
  const mods = new Set<string>();
  const lib = DS1000_LIBRARY_MODULES[item.metadata.library];
  if (lib) mods.add(lib);
  for (const m of item.code_context.matchAll(/^\s*(?:import\s+([\w.]+)|from\s+([\w.]+)\s+import)/gm)) {
    const name = (m[1] ?? m[2] ?? '').split('.')[0];
    if (name) mods.add(name);
  }
  return [...mods].sort();
}

export interface ModuleAvailability {
  ok: boolean;
  version?: string;
  error?: string;
}

/** Which modules import inside the sandbox (one run), with versions. */
export async function probePythonModules(run: RunCode, modules: readonly string[]): Promise<Record<string, ModuleAvailability>> {
  const code = [
    'import importlib, json, sys',
    'out = {}',
    'for name in json.loads(sys.stdin.read()):',
    '    try:',
    '        m = importlib.import_module(name)',
    '        out[name] = {"ok": True, "version": str(getattr(m, "__version__", ""))}',
    '    except BaseException as e:',
    '        out[name] = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}',
    'print(json.dumps(out))',
  ].join('\n');
  const r = await run({ code, stdin: JSON.stringify(modules), limits: { wallTimeMs: 120_000, memoryMb: 4096 } });
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, ModuleAvailability>;
  } catch {
    return Object.fromEntries(modules.map((m) => [m, { ok: false, error: `probe failed: ${r.stopReason} ${r.stderr.slice(-300)}` }]));
  }
}

/**
 * Whether an item can run here, and if not, which modules are missing. Modules that `available`
 * does not mention are not judged (listed as `unchecked`): probe `ds1000RequiredModules` of the items
 * to judge all of them.
 */
export function ds1000Runnable(
  item: Ds1000Item,
  available: Record<string, ModuleAvailability>,
): { runnable: boolean; missing: string[]; unchecked: string[]; reason?: string } {
  const required = ds1000RequiredModules(item);
  const missing = required.filter((m) => available[m] !== undefined && !available[m]?.ok);
  const unchecked = required.filter((m) => available[m] === undefined);
  if (missing.length === 0) return { runnable: true, missing: [], unchecked };
  const hint = missing.includes('tensorflow')
    ? 'TensorFlow has no Debian package'
    : missing.includes('torch')
      ? 'install python3-torch (FLOWSTEER_SANDBOX_TORCH=1 bash libs/sandbox/setup.sh)'
      : 'install the Debian package (bash libs/sandbox/setup.sh)';
  return { runnable: false, missing, unchecked, reason: `missing Python modules ${missing.join(', ')}: ${hint}` };
}

export interface Ds1000Options {
  /** test_ds1000.py gives every program 120 s. */
  timeoutSec?: number;
  /** Apply ds1000Postprocess to the answer first (default true). */
  postprocess?: boolean;
}

export async function scoreDs1000(
  run: RunCode,
  item: Ds1000Item,
  answer: string,
  options: Ds1000Options = {},
): Promise<CheckOutcome & { problemId: number }> {
  const code = options.postprocess === false ? answer : ds1000Postprocess(answer);
  const outcome = await runCheckProgram(
    run,
    { candidate: '', tests: ds1000Program(item, code) },
    {
      timeoutSec: options.timeoutSec ?? 120,
      guard: false,
      limits: { memoryMb: 4096, maxProcesses: 64 },
    },
  );
  return { problemId: item.metadata.problem_id, ...outcome };
}
