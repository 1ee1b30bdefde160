/**
 * Code scorers through the real sandbox, on real items of ../shared/bench with their canonical
 * solutions (must pass) and broken ones (must fail). APPS has no reference solutions in MapCoder's
 * file, so its solutions here are written by hand. DS-1000 has no data here: its harness is tested
 * on hand-written items in the dataset's format.
 */
import type { SandboxRunner } from '../runner';
import { APPS_SOLUTIONS } from '../test-support/apps-solutions';
import { appsItems, humanEvalItems, mbppItems, sanitizedMbppItems } from '../test-support/bench-data';
import { defaultRunner, HAVE_BENCH } from '../test-support/sandboxes';
import { appsAggregate, type AppsItem, scoreApps } from './apps';
import { type Ds1000Item, DS1000_LIBRARY_MODULES, ds1000Runnable, probePythonModules, scoreDs1000 } from './ds1000';
import { scoreHumanEval } from './humaneval';
import { scoreMbpp } from './mbpp';
import { extractCode } from './sanitize';

let runner: SandboxRunner;
beforeAll(async () => {
  runner = await defaultRunner(2);
});
afterAll(() => runner.close());

const withBench = HAVE_BENCH ? describe : describe.skip;
if (!HAVE_BENCH) console.warn('scorer tests on real items skipped: ../shared/bench not found (set FLOWSTEER_BENCH_DIR)');

withBench('HumanEval', () => {
  const items = HAVE_BENCH ? humanEvalItems() : [];
  const pick = (id: string) => items.find((i) => i.task_id === id) ?? (items[0] as never);

  it.each(['HumanEval/0', 'HumanEval/10', 'HumanEval/53', 'HumanEval/163'])('the canonical solution of %s passes', async (id) => {
    const item = pick(id);
    const r = await scoreHumanEval(runner.runCode, item, item.canonical_solution ?? '');
    expect([r.status, r.error]).toEqual(['passed', undefined]);
    expect(r.taskId).toBe(id);
  });

  it('a wrong completion fails with the assertion', async () => {
    const r = await scoreHumanEval(runner.runCode, pick('HumanEval/0'), '    return False\n');
    expect(r).toMatchObject({ passed: false, status: 'failed' });
    expect(r.error).toMatch(/^AssertionError/);
  });

  it('an endless completion times out', async () => {
    const r = await scoreHumanEval(runner.runCode, pick('HumanEval/0'), '    while True:\n        pass\n', { timeoutSec: 1 });
    expect(r).toMatchObject({ passed: false, status: 'timeout' });
  });

  it.each([
    ['sys.exit(0)', '    import sys\n    sys.exit(0)\n'],
    ['os._exit(0)', '    import os\n    os._exit(0)\n'],
    ['exit() at import time', '    pass\nimport sys\nsys.exit(0)\n'],
    ['a fake verdict printed', '    print("passed")\n    return True\n'],
  ])('an early exit or a printed claim cannot pass (%s)', async (_label, completion) => {
    const r = await scoreHumanEval(runner.runCode, pick('HumanEval/0'), completion);
    expect(r.passed).toBe(false);
  });

  it('a fenced model answer restating the whole function passes after extractCode', async () => {
    const item = pick('HumanEval/53');
    const answer = `Sure!\n\n\`\`\`python\ndef add(x: int, y: int):\n    return x + y\n\`\`\`\n\nUsage:\n\`\`\`python\nprint(add(1, 2))\n\`\`\``;
    const r = await scoreHumanEval(runner.runCode, item, extractCode(answer, { entryPoint: item.entry_point }));
    expect(r.status).toBe('passed');
  });
});

withBench('MBPP', () => {
  const items = HAVE_BENCH ? mbppItems() : [];
  const pick = (id: number) => items.find((i) => i.task_id === id) ?? (items[0] as never);

  it.each([11, 12, 17, 367])('the reference code of task %i passes (367 needs test_setup_code)', async (id) => {
    const item = pick(id);
    const r = await scoreMbpp(runner.runCode, item, item.code ?? '');
    expect([r.status, r.error]).toEqual(['passed', undefined]);
  });

  it('a broken solution fails', async () => {
    const r = await scoreMbpp(runner.runCode, pick(11), 'def remove_Occ(s, ch):\n    return s[1:]\n');
    expect(r).toMatchObject({ passed: false, status: 'failed' });
    expect(r.error).toMatch(/AssertionError/);
  });

  it('sanitized MBPP items (test_imports) pass with their code', async () => {
    const sanitized = sanitizedMbppItems()
      .filter((i) => (i.test_imports ?? []).length > 0)
      .slice(0, 2);
    expect(sanitized.length).toBe(2);
    for (const item of sanitized) {
      const r = await scoreMbpp(runner.runCode, item, item.code ?? '');
      expect([item.task_id, r.status]).toEqual([item.task_id, 'passed']);
    }
  });
});

withBench('APPS (MapCoder selected150)', () => {
  const items = HAVE_BENCH ? appsItems() : [];
  const pick = (name: string) => items.find((i) => i.name === name) as AppsItem;
  const DROP_CAP = APPS_SOLUTIONS['4724'] as string;
  const ELEVATOR = APPS_SOLUTIONS['3045'] as string;
  const QAQ = APPS_SOLUTIONS['1607'] as string;

  it('call-based: a correct solution passes every test (strict), one argument per line', async () => {
    const r = await scoreApps(runner.runCode, pick('4724'), DROP_CAP);
    expect(r).toMatchObject({ mode: 'call', fnName: 'drop_cap', strict: true, passRate: 1 });
    expect(r.results).toHaveLength(10);
  });

  it('call-based with several arguments', async () => {
    const r = await scoreApps(runner.runCode, pick('3045'), ELEVATOR);
    expect(r).toMatchObject({ mode: 'call', strict: true });
    const wrong = await scoreApps(runner.runCode, pick('3045'), "def elevator(left, right, call):\n    return 'right'\n");
    expect(wrong.strict).toBe(false);
    expect(wrong.passRate).toBeGreaterThan(0);
    expect(wrong.passRate).toBeLessThan(1);
    expect(wrong.details.find((d) => d.status === 'wrong-answer')).toBeDefined();
  });

  it('stdin/stdout: a correct solution passes all 43 tests; a wrong one fails some', async () => {
    const r = await scoreApps(runner.runCode, pick('1607'), QAQ);
    expect(r).toMatchObject({ mode: 'stdio', strict: true, passRate: 1 });
    expect(r.results).toHaveLength(43);
    const wrong = await scoreApps(runner.runCode, pick('1607'), "s = input()\nprint(s.count('Q') * s.count('A'))\n");
    expect(wrong.strict).toBe(false);
    expect(appsAggregate([r, wrong])).toMatchObject({ strictAccuracy: 0.5 });
  });

  it("MapCoder's stdio mode for a call-based problem (the program reads the arguments and prints)", async () => {
    const program = `${ELEVATOR}\nprint(elevator(int(input()), int(input()), int(input())))\n`;
    const r = await scoreApps(runner.runCode, pick('3045'), program, { mode: 'stdio' });
    expect(r).toMatchObject({ mode: 'stdio', strict: true });
  });

  it('per-test time limits, runtime errors (-1) and compile errors (-2)', async () => {
    const slow = await scoreApps(runner.runCode, pick('1607'), 'while True:\n    pass\n', { perTestTimeoutSec: 0.5, maxTests: 2 });
    expect(slow.results).toEqual([-1, -1]);
    expect(slow.details.map((d) => d.status)).toEqual(['timeout', 'timeout']);
    const crash = await scoreApps(runner.runCode, pick('1607'), 'raise RuntimeError("boom")\n', { maxTests: 2 });
    expect(crash.results).toEqual([-1, -1]);
    expect(crash.details[0]?.error).toContain('RuntimeError: boom');
    const syntax = await scoreApps(runner.runCode, pick('4724'), 'def drop_cap(:\n', { maxTests: 3 });
    expect(syntax.results).toEqual([-2, -2, -2]);
    expect(syntax.compileError).toMatch(/SyntaxError/);
  });

  it('a solution cannot fake its verdict by printing or by killing the harness', async () => {
    const forged = await scoreApps(runner.runCode, pick('1607'), 'import os, signal\nprint("4")\nos.kill(os.getppid(), signal.SIGKILL)\n', {
      maxTests: 3,
    });
    expect(forged.strict).toBe(false);
  });
});

/** A DS-1000-format item (2024 release layout), written here: there is no DS-1000 data on this machine. */
const NUMPY_ITEM: Ds1000Item = {
  metadata: { problem_id: 9001, library: 'Numpy', perturbation_type: 'Origin' },
  prompt:
    'Given a 2-d numpy array a, compute the sum of every row without loops.\nA:\n<code>\nimport numpy as np\na = np.array([[1, 2], [3, 4]])\n</code>\nresult = ... # put solution in this variable\nBEGIN SOLUTION\n<code>\n',
  reference_code: 'result = a.sum(axis=1)',
  code_context: String.raw`import numpy as np
import copy
import tokenize, io


def generate_test_case(test_case_id):
    def define_test_input(test_case_id):
        if test_case_id == 1:
            a = np.array([[1, 2], [3, 4]])
        elif test_case_id == 2:
            np.random.seed(42)
            a = np.random.rand(5, 3)
        return a

    def generate_ans(data):
        a = data
        return a.sum(axis=1)

    test_input = define_test_input(test_case_id)
    expected_result = generate_ans(copy.deepcopy(test_input))
    return test_input, expected_result


def exec_test(result, ans):
    np.testing.assert_allclose(result, ans)
    return 1


exec_context = r"""
import numpy as np
a = test_input
[insert]
"""


def test_execution(solution: str):
    code = exec_context.replace("[insert]", solution)
    for i in range(2):
        test_input, expected_result = generate_test_case(i + 1)
        test_env = {"test_input": test_input}
        exec(code, test_env)
        assert exec_test(test_env["result"], expected_result)


def test_string(solution: str):
    tokens = []
    for token in tokenize.tokenize(io.BytesIO(solution.encode("utf-8")).readline):
        tokens.append(token.string)
    assert "while" not in tokens and "for" not in tokens
`,
};

const PANDAS_ITEM: Ds1000Item = {
  metadata: { problem_id: 9002, library: 'Pandas', perturbation_type: 'Origin' },
  reference_code: "result = df.groupby('k')['v'].sum()",
  code_context: String.raw`import pandas as pd
import copy


def generate_test_case(test_case_id):
    df = pd.DataFrame({"k": ["a", "b", "a", "c"], "v": [1, 2, 3, 4 * test_case_id]})
    return df, copy.deepcopy(df).groupby("k")["v"].sum()


def exec_test(result, ans):
    pd.testing.assert_series_equal(result, ans, check_names=False)
    return 1


exec_context = r"""
import pandas as pd
df = test_input
[insert]
"""


def test_execution(solution: str):
    code = exec_context.replace("[insert]", solution)
    for i in range(2):
        test_input, expected_result = generate_test_case(i + 1)
        test_env = {"test_input": test_input}
        exec(code, test_env)
        assert exec_test(test_env["result"], expected_result)
`,
};

describe('DS-1000 harness (hand-written items: no DS-1000 data here)', () => {
  it('the reference solution passes test_execution and test_string', async () => {
    const r = await scoreDs1000(runner.runCode, NUMPY_ITEM, NUMPY_ITEM.reference_code ?? '');
    expect([r.status, r.error]).toEqual(['passed', undefined]);
    expect(r.problemId).toBe(9001);
  });

  it('a wrong answer fails test_execution', async () => {
    const r = await scoreDs1000(runner.runCode, NUMPY_ITEM, 'result = a.sum(axis=0)');
    expect(r).toMatchObject({ passed: false, status: 'failed' });
    expect(r.error).toMatch(/AssertionError/);
  });

  it('a right answer with a loop fails the surface check test_string', async () => {
    const r = await scoreDs1000(runner.runCode, NUMPY_ITEM, 'result = np.array([sum(row) for row in a])');
    expect(r.status).toBe('failed');
    expect(r.traceback).toMatch(/test_string/);
  });

  it("postprocesses a chat model's answer as test_ds1000.py does", async () => {
    const r = await scoreDs1000(runner.runCode, PANDAS_ITEM, "<code>\nresult = df.groupby('k')['v'].sum()\n</code>\nThis groups by k.");
    expect(r.status).toBe('passed');
  });

  it('says which DS-1000 libraries can run here and why the others cannot', async () => {
    const modules = Object.values(DS1000_LIBRARY_MODULES);
    const available = await probePythonModules(runner.runCode, modules);
    expect(Object.keys(available).sort()).toEqual([...modules].sort());
    for (const m of ['numpy', 'pandas', 'scipy', 'sklearn', 'matplotlib']) expect([m, available[m]?.ok]).toEqual([m, true]);
    expect(available.tensorflow?.ok).toBe(false);
    const tfItem: Ds1000Item = { code_context: 'import tensorflow as tf\n', metadata: { problem_id: 9003, library: 'Tensorflow' } };
    expect(ds1000Runnable(tfItem, available)).toMatchObject({
      runnable: false,
      reason: expect.stringMatching(/TensorFlow has no Debian package/),
    });
    expect(ds1000Runnable(NUMPY_ITEM, available).runnable).toBe(true);
    console.log(
      `DS-1000 libraries in the sandbox: ${modules.map((m) => `${m} ${available[m]?.ok ? available[m]?.version : 'MISSING'}`).join(', ')}`,
    );
  });
});
