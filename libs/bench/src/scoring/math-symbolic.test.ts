import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeRunRequest, CodeRunResult } from '@flowsteer/contracts';
import { decideSymbolic, SymbolicUnavailableError, type SymbolicItem } from './math-symbolic';
import { scorePredictionsText, addSymbolicScores, summarizeScores } from './prediction-line';

jest.setTimeout(120_000);

/**
 * Runs the program with Debian's python3 directly (the worker and the CLI route the same request
 * through the sandbox's runCode; here only the CAS semantics are under test).
 */
const PYTHON = '/usr/bin/python3';
const hasSympy = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import sympy'], { encoding: 'utf8' }).status === 0;
const maybe = hasSympy ? describe : describe.skip;
if (!hasSympy) console.log('skipping the symbolic metric tests: /usr/bin/python3 with sympy is missing (bash libs/sandbox/setup.sh)');

async function localRun(req: CodeRunRequest): Promise<CodeRunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'flowsteer-cas-'));
  writeFileSync(join(dir, 'main.py'), req.code);
  const t0 = Date.now();
  const r = spawnSync(PYTHON, ['-s', 'main.py'], {
    cwd: dir,
    input: req.stdin ?? '',
    encoding: 'utf8',
    timeout: req.limits?.wallTimeMs ?? 60_000,
  });
  return {
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    exitCode: r.status,
    signal: r.signal,
    stopReason: r.error ? 'timeout' : r.status === 0 ? 'ok' : 'error',
    wallTimeMs: Date.now() - t0,
    cpuTimeMs: 0,
    isolation: 'none (test)',
  };
}

maybe('symbolic equivalence (sympy)', () => {
  const cases: [string, string, boolean][] = [
    // fractions
    ['\\frac{2}{4}', '\\frac12', true],
    ['0.5', '\\dfrac{1}{2}', true],
    ['2\\frac{1}{4}', '\\frac94', true],
    ['0.333', '\\frac13', false],
    // radicals
    ['\\sqrt{8}', '2\\sqrt2', true],
    ['\\frac{\\sqrt{2}}{2}', '\\frac{1}{\\sqrt{2}}', true],
    ['\\sqrt[3]{27}', '3', true],
    ['\\sqrt{3}', '\\sqrt{2}', false],
    // intervals and unions
    ['(-\\infty, 3]', '\\left(-\\infty,3\\right]', true],
    ['(-\\infty,1)\\cup(2,\\infty)', '(2,\\infty)\\cup(-\\infty,1)', true],
    ['[1,2)', '(1,2]', false],
    ['x \\in [-2,7]', '[-2,7]', true],
    // sets and lists
    ['\\{1,2,3\\}', '\\{3,1,2\\}', true],
    ['1, 2, 3', '3,2,1', true],
    ['1\\pm\\sqrt{5}', '1+\\sqrt5, 1-\\sqrt5', true],
    ['\\{1,2\\}', '\\{1,3\\}', false],
    // expressions with variables
    ['x^2+2x+1', '(x+1)^2', true],
    ['y = 2x+1', '1+2x', true],
    ['5x-7y+11z+4=0', '-10x+14y-22z-8=0', true],
    ['\\sin^2 x + \\cos^2 x', '1', true],
    ['x^2', 'x^3', false],
    // numbers, units, text
    ['10{,}000', '10000', true],
    ['3\\text{ cm}', '3', true],
    ['52_8', '42', true],
    ['3+4i', '4i+3', true],
    ['\\text{Monday}', 'Monday', true],
    ['\\begin{pmatrix} 1 \\\\ -2 \\end{pmatrix}', '\\begin{pmatrix}1\\\\-2\\end{pmatrix}', true],
  ];

  it('decides fractions, radicals, intervals, sets and expressions with variables', async () => {
    const verdicts = await decideSymbolic(
      localRun,
      cases.map(([p, g]) => ({ prediction: p, golds: [g] })),
    );
    expect(cases.map(([p, g], i) => ({ p, g, got: verdicts[i]?.equivalent }))).toEqual(cases.map(([p, g, want]) => ({ p, g, got: want })));
  });

  it('never evaluates the answer text and refuses work that would not finish', async () => {
    const items: SymbolicItem[] = [
      { prediction: '__import__("os").system("echo hi")', golds: ['0'] },
      { prediction: '9^{9^{9^{9}}}', golds: ['1'] },
      { prediction: '100000!', golds: ['1'] },
      { prediction: 'x'.repeat(500), golds: ['x'] },
      { prediction: '2', golds: ['nope', '\\frac{4}{2}'] },
    ];
    const v = await decideSymbolic(localRun, items, { timeoutSecPerPair: 2 });
    expect(v.map((x) => x.equivalent)).toEqual([false, false, false, false, true]);
    expect(v[1]?.why).toMatch(/power too large/);
    expect(v[3]?.why).toMatch(/longer than/);
  });

  it('batches, and says so when the CAS cannot run', async () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ prediction: String(i), golds: [`\\frac{${2 * i}}{2}`] }));
    expect((await decideSymbolic(localRun, items, { batchSize: 3 })).every((v) => v.equivalent)).toBe(true);
    const broken = async (): Promise<CodeRunResult> => ({
      stdout: '',
      stderr: "ModuleNotFoundError: No module named 'sympy'",
      exitCode: 1,
      signal: null,
      stopReason: 'error',
      wallTimeMs: 1,
      cpuTimeMs: 1,
      isolation: 'x',
    });
    await expect(decideSymbolic(broken, items)).rejects.toThrow(SymbolicUnavailableError);
    await expect(decideSymbolic(broken, items)).rejects.toThrow(/No module named 'sympy'/);
  });

  it('fills the symbolic family of a predictions file (MATH, AIME, MathQA) and summarises it', async () => {
    const text = [
      '{"dataset":"math","prediction":"\\\\boxed{\\\\frac{2}{4}}","answer":"\\\\frac{1}{2}"}',
      '{"dataset":"math","prediction":"\\\\boxed{3}","answer":"\\\\frac{1}{2}"}',
      '{"dataset":"aime2025","prediction":"so \\\\boxed{\\\\frac{140}{2}}","answer":"70"}',
      '{"dataset":"mathqa","prediction":"(b)","answer":"b","options":"a ) 1 , b ) 2"}',
      '{"dataset":"nq","prediction":"x","answers":["x"]}',
    ].join('\n');
    const scored = scorePredictionsText(text);
    const { lines, unavailable } = await addSymbolicScores(scored.lines, localRun);
    expect(unavailable).toBeUndefined();
    const s = summarizeScores(lines).byDataset;
    expect(s.math).toMatchObject({ metrics: { accuracy: 0 }, lenient: { accuracy: 50 }, symbolic: { accuracy: 50 } });
    expect(s.aime2025).toMatchObject({ metrics: { accuracy: 0 }, symbolic: { accuracy: 100 } });
    expect(s.mathqa).toMatchObject({ metrics: { accuracy: 100 }, symbolic: { accuracy: 100 } });
    expect(s.nq?.symbolic).toBeUndefined();
  });
});
