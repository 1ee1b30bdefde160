import type { CodeRunRequest } from '@flowsteer/contracts';
import { SandboxRunner } from '@flowsteer/sandbox';
import { OPERATOR_FAILURE } from '../core/failures';
import { runScripted, scriptedRunner } from '../test-support/scripted-chat';

const SOLVE = '```python\ndef solve():\n    return 6 * 7\n```';

describe('Programmer', () => {
  it('writes solve(), runs it in the sandbox and returns code and output', async () => {
    const runner = scriptedRunner([(req) => ({ stdout: `noise\n<<<FLOWSTEER_RESULT>>>\n42\n`, exitCode: req.files?.['solution.py'] ? 0 : 1 })]);
    const { outcome, chat } = await runScripted([SOLVE], { operator: 'Programmer', prompt: 'Use integer arithmetic.' }, runner);
    expect(outcome.text).toBe('42');
    expect(outcome.output).toEqual({ code: 'def solve():\n    return 6 * 7', output: '42', attempts: 1 });
    expect(runner.requests[0]?.files?.['solution.py']).toBe('def solve():\n    return 6 * 7');
    expect(runner.requests[0]?.code).toContain('from solution import solve');
    expect(runner.requests[0]?.limits?.wallTimeMs).toBe(30_000);
    expect(chat.userText(0)).toContain('Use integer arithmetic.');
  });

  it('retries once with the run error fed back', async () => {
    const runner = scriptedRunner([
      { exitCode: 1, stopReason: 'error', stderr: 'Traceback (most recent call last):\nNameError: name "x" is not defined' },
      { stdout: '<<<FLOWSTEER_RESULT>>>\n42\n' },
    ]);
    const { outcome, chat } = await runScripted(['```python\ndef solve():\n    return x\n```', SOLVE], { operator: 'Programmer' }, runner);
    expect(outcome.text).toBe('42');
    expect(outcome.output).toMatchObject({ attempts: 2 });
    expect(chat.userText(1)).toContain('NameError: name "x" is not defined');
    expect(outcome.ledger.map((l) => l.purpose)).toEqual(['node_1 Programmer attempt 1', 'node_1 Programmer attempt 2']);
  });

  it('reports the failure (not a fake answer) when both attempts fail', async () => {
    const runner = scriptedRunner([{ stopReason: 'timeout', exitCode: null, signal: 'SIGKILL' }]);
    const { outcome } = await runScripted(['no code, sorry', SOLVE], { operator: 'Programmer' }, runner);
    expect(outcome.output).toMatchObject({ error: 'stopped: timeout', output: '', attempts: 2 });
    expect(outcome.text).toContain('# Execution failed: stopped: timeout');
    expect(outcome.notes[0]).toMatch(/no Python code block/);
  });

  it('for code tasks defines the entry point, only loads the module and hands on the code', async () => {
    const runner = scriptedRunner([{}]);
    const { outcome, chat } = await runScripted(
      ['```python\ndef add(a, b):\n    return a + b\n```'],
      { operator: 'Programmer', taskType: 'code', entryPoint: 'add', problem: 'Write add(a, b).', inputs: 'Write add(a, b).' },
      runner,
    );
    expect(outcome.text).toBe('def add(a, b):\n    return a + b');
    expect(outcome.output).toMatchObject({ output: 'CODE_GENERATED' });
    expect(runner.requests[0]?.code).toBe('import solution\n');
    expect(chat.userText(0)).toMatch(/exact function name and signature/);
  });

  it('fails non-retryably with "sandbox unavailable" without a runner, before any LLM call', async () => {
    const failure = runScripted([SOLVE], { operator: 'Programmer' });
    await expect(failure).rejects.toMatchObject({ type: OPERATOR_FAILURE.sandboxUnavailable, nonRetryable: true });
    await expect(runScripted([SOLVE], { operator: 'Programmer' })).rejects.toThrow(/sandbox unavailable/);
  });
});

describe('Test', () => {
  const code = 'def add(a, b):\n    return a + b';
  const humaneval = 'def check(candidate):\n    assert candidate(1, 2) == 3';
  // code verdicts come from libs/sandbox's verdict path, so these run in the real sandbox
  let sandbox: SandboxRunner;
  beforeAll(async () => {
    sandbox = await SandboxRunner.create({ concurrency: 2, log: () => undefined });
  });
  afterAll(() => sandbox.close());
  const real = () => {
    const requests: CodeRunRequest[] = [];
    return Object.assign((req: CodeRunRequest) => (requests.push(req), sandbox.run(req)), { requests });
  };

  it('runs problem-provided HumanEval tests, calling check on the entry point', async () => {
    const runner = real();
    const { outcome, chat } = await runScripted([], { operator: 'Test', taskType: 'code', inputs: code, entryPoint: 'add', tests: humaneval }, runner);
    expect(chat.calls).toBe(0);
    expect(outcome.passed).toBe(true);
    expect(outcome.text).toBe(code);
    expect(outcome.output).toMatchObject({ result: true, source: 'problem', repaired: false });
    expect(runner.requests.some((r) => r.files?.['program.py'] === code)).toBe(true);
  });

  it.each([
    ['os._exit(0) at import', 'import os\nos._exit(0)\ndef add(a, b):\n    return 0'],
    ['sys.exit(0) in the function', 'import sys\ndef add(a, b):\n    sys.exit(0)'],
    ['an always-equal result', 'class E:\n    def __eq__(self, o):\n        return True\ndef add(a, b):\n    return E()'],
  ])('a wrong solution cannot pass the tests by a trick (%s)', async (_label, cheat) => {
    const { outcome } = await runScripted(['no code here'], { operator: 'Test', taskType: 'code', inputs: cheat, entryPoint: 'add', tests: humaneval }, real());
    expect(outcome.passed).toBe(false);
  });

  it('reports a failure with its exception, after a repair that did not help', async () => {
    const { outcome, chat } = await runScripted(
      ['```python\ndef add(a, b):\n    return a - b + 0\n```'],
      { operator: 'Test', taskType: 'code', inputs: code, entryPoint: 'add', tests: 'assert add(1, 2) == 4' },
      real(),
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toMatchObject({ result: false, error_type: 'AssertionError', solution: code, repaired: false });
    expect(outcome.feedback).toMatch(/tests failed \(AssertionError\)/);
    expect(chat.userText(0)).toContain('AssertionError');
    expect(outcome.notes).toContainEqual(expect.stringMatching(/repaired code failed/));
  });

  it('keeps a repair that makes the tests pass', async () => {
    const { outcome } = await runScripted(
      ['```python\ndef add(a, b):\n    return a + b + 0\n```'],
      { operator: 'Test', taskType: 'code', inputs: 'def add(a, b):\n    return a', tests: 'assert add(1, 2) == 3' },
      real(),
    );
    expect(outcome.passed).toBe(true);
    expect(outcome.text).toBe('def add(a, b):\n    return a + b + 0');
    expect(outcome.output).toMatchObject({ repaired: true });
  });

  it('asks the LLM for tests when the problem has none, with the director prompt', async () => {
    const runner = real();
    const { outcome, chat } = await runScripted(
      ['<tests>\nassert add(0, 0) == 0\nassert add(-1, 1) == 0\n</tests>'],
      { operator: 'Test', taskType: 'code', inputs: code, prompt: 'Cover negative numbers.' },
      runner,
    );
    expect(outcome.output).toMatchObject({ result: true, source: 'generated' });
    expect(runner.requests.some((r) => r.stdin?.includes('assert add(-1, 1) == 0'))).toBe(true);
    expect(chat.userText(0)).toContain('Cover negative numbers.');
  });

  it('falls back to a load check when the proposed tests are junk, and checks non-code answers through ANSWER', async () => {
    const junk = await runScripted(['I would test it well.'], { operator: 'Test', taskType: 'code', inputs: code }, real());
    expect(junk.outcome.output).toMatchObject({ source: 'smoke', result: true });
    const exits = await runScripted(['I would test it well.', 'no repair'], { operator: 'Test', taskType: 'code', inputs: 'import os\nos._exit(0)' }, real());
    expect(exits.outcome.output).toMatchObject({ source: 'smoke', result: false });
    const answerRunner = scriptedRunner([{}]);
    const answer = await runScripted(['```python\nassert int(ANSWER) == 42\n```'], { operator: 'Test', inputs: '42' }, answerRunner);
    expect(answer.outcome.passed).toBe(true);
    expect(answerRunner.requests[0]?.files).toEqual({ 'answer.txt': '42' });
    expect(answerRunner.requests[0]?.code).toMatch(/^ANSWER = open\('answer.txt'/);
  });

  it('fails non-retryably without a sandbox', async () => {
    await expect(runScripted([], { operator: 'Test', inputs: code, tests: humaneval })).rejects.toMatchObject({
      type: OPERATOR_FAILURE.sandboxUnavailable,
      nonRetryable: true,
    });
  });
});
