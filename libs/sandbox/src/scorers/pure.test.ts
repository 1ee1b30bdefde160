import fc from 'fast-check';
import { extractCode } from './sanitize';
import { meanPassAtK, passAtK } from './pass-at-k';
import { ds1000Postprocess, ds1000Program, ds1000RequiredModules, ds1000Runnable, type Ds1000Item } from './ds1000';
import { appsAggregate, appsModeOf } from './apps';
import { humanEvalProgram } from './humaneval';
import { mbppProgram } from './mbpp';

/** C(n, k) exactly, with BigInt. */
function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 0; i < k; i++) r = (r * BigInt(n - i)) / BigInt(i + 1);
  return r;
}

describe('pass@k (unbiased estimator)', () => {
  const nck = fc
    .integer({ min: 1, max: 60 })
    .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }), fc.integer({ min: 1, max: n })));

  it('equals 1 - C(n-c, k) / C(n, k) computed exactly', () => {
    fc.assert(
      fc.property(nck, ([n, c, k]) => {
        const exact = 1 - Number((choose(n - c, k) * 10n ** 15n) / choose(n, k)) / 1e15;
        expect(passAtK(n, c, k)).toBeCloseTo(exact, 10);
      }),
    );
  });

  it('is c/n for k = 1, 0 without correct samples, 1 when fewer than k samples fail', () => {
    fc.assert(
      fc.property(nck, ([n, c, k]) => {
        expect(passAtK(n, c, 1)).toBeCloseTo(c / n, 12);
        expect(passAtK(n, 0, k)).toBe(0);
        if (n - c < k) expect(passAtK(n, c, k)).toBe(1);
      }),
    );
  });

  it('lies in [0, 1] and grows with c and with k', () => {
    fc.assert(
      fc.property(nck, ([n, c, k]) => {
        const p = passAtK(n, c, k);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        if (c < n) expect(passAtK(n, c + 1, k)).toBeGreaterThanOrEqual(p - 1e-12);
        if (k < n) expect(passAtK(n, c, k + 1)).toBeGreaterThanOrEqual(p - 1e-12);
      }),
    );
  });

  it('matches known values and stays finite for large n', () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12);
    expect(passAtK(200, 1, 100)).toBeCloseTo(0.5, 12);
    expect(Number.isFinite(passAtK(10_000, 5_000, 1_000))).toBe(true);
    expect(
      meanPassAtK(
        [
          { n: 10, c: 10 },
          { n: 10, c: 0 },
        ],
        1,
      ),
    ).toBe(0.5);
  });

  it('refuses impossible inputs', () => {
    expect(() => passAtK(5, 6, 1)).toThrow(RangeError);
    expect(() => passAtK(5, 1, 6)).toThrow(/at least 6 samples/);
    expect(() => passAtK(5, 1.5, 1)).toThrow(RangeError);
    expect(() => meanPassAtK([], 1)).toThrow(RangeError);
  });
});

describe('extractCode', () => {
  it('takes the python block out of prose', () => {
    const answer = 'Here is my solution:\n\n```python\ndef f(x):\n    return x + 1\n```\n\nIt adds one.';
    expect(extractCode(answer)).toBe('def f(x):\n    return x + 1\n');
  });

  it('prefers the block that defines the entry point, else the longest python block', () => {
    const answer =
      '```python\nprint(f(2))\n```\nand\n```py\ndef f(x):\n    return 2 * x\n```\n```python\nassert f(1) == 2\nassert f(2) == 4\nassert f(3) == 6\n```';
    expect(extractCode(answer, { entryPoint: 'f' })).toBe('def f(x):\n    return 2 * x\n');
    expect(extractCode(answer)).toBe('assert f(1) == 2\nassert f(2) == 4\nassert f(3) == 6\n');
  });

  it('ignores blocks in other languages unless nothing else is fenced', () => {
    expect(extractCode('```bash\npip install x\n```\n```\nx = 1\n```')).toBe('x = 1\n');
    expect(extractCode('```text\nonly this\n```')).toBe('only this\n');
  });

  it('handles ~~~ fences, CRLF, an unterminated last fence, and a missing fence', () => {
    expect(extractCode('~~~python\r\nx = 1\r\n~~~')).toBe('x = 1\n');
    expect(extractCode('```python\ndef g():\n    return 1\n')).toBe('def g():\n    return 1\n');
    expect(extractCode('def h():\n    return 2\n\n')).toBe('def h():\n    return 2\n');
    expect(extractCode('python\nx = 3')).toBe('x = 3\n');
    expect(extractCode('<code>\nresult = df.sum()\n</code>')).toBe('result = df.sum()\n');
  });

  it('keeps inner backticks and indentation, and never throws', () => {
    expect(extractCode('````python\ns = "```"\n    y = 2\n````')).toBe('s = "```"\n    y = 2\n');
    fc.assert(fc.property(fc.string(), (s) => typeof extractCode(s) === 'string'));
  });
});

describe('program builders', () => {
  it('HumanEval: prompt + completion + test + check(entry_point)', () => {
    const p = humanEvalProgram(
      { task_id: 't', prompt: 'def f():\n', entry_point: 'f', test: 'def check(c):\n    assert c() == 1\n' },
      '    return 1\n',
    );
    expect(p).toBe('def f():\n    return 1\n\ndef check(c):\n    assert c() == 1\n\n\ncheck(f)\n');
  });

  it('MBPP: imports, candidate, setup, the asserts (challenge tests only on request)', () => {
    const item = {
      task_id: 1,
      test_list: ['assert f() == 1'],
      test_setup_code: 'x = f()',
      test_imports: ['import math'],
      challenge_test_list: ['assert f() != 2'],
    };
    expect(mbppProgram(item, 'def f(): return 1')).toBe('import math\ndef f(): return 1\n\nx = f()\nassert f() == 1\n');
    expect(mbppProgram(item, 'x', { challenge: true })).toContain('assert f() != 2');
  });

  it('APPS: call-based when the starter code names a function, else stdin/stdout', () => {
    expect(appsModeOf({ id: 1, test_list: [], starter_code: '\ndef drop_cap(str_):\n\t' })).toEqual({ mode: 'call', fnName: 'drop_cap' });
    expect(appsModeOf({ id: 1, test_list: [], starter_code: '' })).toEqual({ mode: 'stdio' });
    expect(appsModeOf({ id: 1, test_list: [], starter_code: 'def f(x):' }, 'stdio')).toEqual({ mode: 'stdio' });
    expect(() => appsModeOf({ id: 1, test_list: [] }, 'call')).toThrow(/no function/);
    expect(
      appsAggregate([
        { strict: true, passRate: 1 },
        { strict: false, passRate: 0.5 },
        { strict: false, passRate: 0 },
      ]),
    ).toEqual({
      problems: 3,
      strictAccuracy: 1 / 3,
      testCaseAverage: 0.5,
    });
  });

  it('DS-1000: postprocess as test_ds1000.py, program with test_string only when defined', () => {
    expect(ds1000Postprocess('<code>\nresult = a.sum()\n</code>\nEND SOLUTION')).toBe('\nresult = a.sum()\n');
    expect(ds1000Postprocess('```python\nresult = 1\n```\nexplanation')).toBe('\nresult = 1\n');
    expect(ds1000Postprocess('result = 2\nEND SOLUTION\n</code>')).toBe('result = 2');
    const item: Ds1000Item = {
      code_context: 'import numpy as np\ndef test_execution(s):\n    pass\n',
      metadata: { problem_id: 7, library: 'Numpy' },
    };
    expect(ds1000Program(item, 'x = "a"\n')).toBe(
      'import numpy as np\ndef test_execution(s):\n    pass\n\ncode = "x = \\"a\\"\\n"\ntest_execution(code)\n\n',
    );
    expect(ds1000Program({ ...item, code_context: 'def test_string(s):\n    pass\n' }, 'y')).toContain('test_string(code)\n');
  });

  it('DS-1000: says which items cannot run and why', () => {
    const item: Ds1000Item = {
      code_context: 'import numpy as np\nimport tensorflow as tf\nfrom scipy import sparse\n',
      metadata: { problem_id: 1, library: 'Tensorflow' },
    };
    expect(ds1000RequiredModules(item)).toEqual(['numpy', 'scipy', 'tensorflow']);
    const available = { numpy: { ok: true }, scipy: { ok: true }, tensorflow: { ok: false, error: 'ModuleNotFoundError' } };
    expect(ds1000Runnable(item, available)).toMatchObject({
      runnable: false,
      missing: ['tensorflow'],
      reason: expect.stringMatching(/no Debian package/),
    });
    expect(ds1000Runnable({ code_context: 'import numpy\nimport copy', metadata: { problem_id: 2, library: 'Numpy' } }, available)).toEqual(
      {
        runnable: true,
        missing: [],
        unchecked: ['copy'],
      },
    );
  });
});
