import { SandboxRunner } from '@flowsteer/sandbox';
import { OPERATOR_FAILURE } from '../core/failures';
import { isOperatorSuspension, type CodeRunRequest } from '@flowsteer/contracts';
import { createOperatorActivities } from '../create-operator-activities';
import { operatorInput, runScripted, ScriptedChat, scriptedRunner } from '../test-support/scripted-chat';

const SOLVE = '```python\ndef solve():\n    return 6 * 7\n```';

describe('Programmer', () => {
  it('writes solve(), runs it in the sandbox and returns code and output', async () => {
    const runner = scriptedRunner([
      (req) => ({ stdout: `noise\n<<<FLOWSTEER_RESULT>>>\n42\n`, exitCode: req.files?.['solution.py'] ? 0 : 1 }),
    ]);
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

  it('never runs code itself: it suspends with the run request and its journal, and resumes without asking again', async () => {
    const chat = new ScriptedChat(['```python\ndef solve():\n    return x\n```', SOLVE]);
    const { runOperator } = createOperatorActivities({ chat });
    const input = operatorInput({ operator: 'Programmer' });
    const first = await runOperator(input);
    if (!isOperatorSuspension(first)) throw new Error('expected a suspension');
    expect(first).toMatchObject({ suspended: true, operator: 'Programmer', nodeId: 'node_1', step: 'run 1' });
    expect((first.request as CodeRunRequest).files?.['solution.py']).toBe('def solve():\n    return x');
    expect(first.ledger.map((l) => l.purpose)).toEqual(['node_1 Programmer attempt 1']);
    expect(chat.calls).toBe(1);

    const failed = {
      stdout: '',
      stderr: 'NameError: x',
      exitCode: 1,
      signal: null,
      stopReason: 'error' as const,
      wallTimeMs: 1,
      cpuTimeMs: 1,
      isolation: 'scripted',
    };
    const second = await runOperator({ ...input, resume: { journal: first.journal, result: failed } });
    if (!isOperatorSuspension(second)) throw new Error('expected a second suspension');
    expect(second.step).toBe('run 2');
    expect(second.ledger.map((l) => l.purpose)).toEqual(['node_1 Programmer attempt 2']); // attempt 1 was replayed, not asked again
    expect(chat.calls).toBe(2);
    expect(chat.userText(1)).toContain('NameError: x');

    const done = await runOperator({
      ...input,
      resume: {
        journal: second.journal,
        result: { ...failed, stderr: '', exitCode: 0, stopReason: 'ok', stdout: '<<<FLOWSTEER_RESULT>>>\n42\n' },
      },
    });
    expect(isOperatorSuspension(done)).toBe(false);
    expect(done).toMatchObject({ text: '42', ledger: [] });
    expect(chat.calls).toBe(2);
  });

  it('keeps a large journal and request in the artifact store, not in the history', async () => {
    const blobs = new Map<string, unknown>();
    const texts = {
      putText: async (t: string) => t,
      readText: async (t: unknown) => t as string,
      putJsonBlob: async (c: unknown) => {
        const ref = `blobs/${blobs.size}.json`;
        blobs.set(ref, JSON.parse(JSON.stringify(c)));
        return ref;
      },
      getJson: async <T>(ref: string) => blobs.get(ref) as T,
    };
    const big = `\`\`\`python\ndef solve():\n    return 42\n${'# padding\n'.repeat(800)}\`\`\``;
    const chat = new ScriptedChat([big]);
    const { runOperator } = createOperatorActivities({ chat, texts });
    const input = operatorInput({ operator: 'Programmer' });
    const first = await runOperator(input);
    if (!isOperatorSuspension(first)) throw new Error('expected a suspension');
    expect(first.journal).toEqual({ ref: expect.stringMatching(/^blobs\//) });
    expect(first.request).toEqual({ ref: expect.stringMatching(/^blobs\//) });
    expect(JSON.stringify(first).length).toBeLessThan(2_000);
    const ok = {
      stdout: '<<<FLOWSTEER_RESULT>>>\n42\n',
      stderr: '',
      exitCode: 0,
      signal: null,
      stopReason: 'ok' as const,
      wallTimeMs: 1,
      cpuTimeMs: 1,
      isolation: 'scripted',
    };
    const done = await runOperator({ ...input, resume: { journal: first.journal, result: ok } });
    expect(done).toMatchObject({ text: '42', ledger: [] });
    expect(blobs.get((done as { outputRef: string }).outputRef)).toMatchObject({ output: '42', attempts: 1 });
    expect(chat.calls).toBe(1);
  });

  it('refuses a journal that does not fit its steps', async () => {
    const { runOperator } = createOperatorActivities({ chat: new ScriptedChat([SOLVE]) });
    const ok = {
      stdout: '',
      stderr: '',
      exitCode: 0,
      signal: null,
      stopReason: 'ok' as const,
      wallTimeMs: 1,
      cpuTimeMs: 1,
      isolation: 'scripted',
    };
    await expect(
      runOperator(operatorInput({ operator: 'Programmer', resume: { journal: { entries: [] }, result: ok } })),
    ).rejects.toMatchObject({
      type: OPERATOR_FAILURE.badInput,
      nonRetryable: true,
      message: expect.stringMatching(/journal does not match/),
    });
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
    const { outcome, chat } = await runScripted(
      [],
      { operator: 'Test', taskType: 'code', inputs: code, entryPoint: 'add', tests: humaneval },
      runner,
    );
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
    const { outcome } = await runScripted(
      ['no code here'],
      { operator: 'Test', taskType: 'code', inputs: cheat, entryPoint: 'add', tests: humaneval },
      real(),
    );
    expect(outcome.passed).toBe(false);
  });

  it('passes honest code on the strict check path too, across suspensions (its verdict nonce is journaled)', async () => {
    // a Fraction is not plain data, so the tests cannot be replayed apart from the solution
    const fraction = 'from fractions import Fraction\ndef half(x):\n    return Fraction(x, 2)';
    const runner = real();
    const { outcome } = await runScripted(
      [],
      { operator: 'Test', taskType: 'code', inputs: fraction, tests: 'from fractions import Fraction\nassert half(1) == Fraction(1, 2)' },
      runner,
    );
    expect(outcome.output).toMatchObject({ result: true });
    expect(runner.requests.some((r) => r.files?.['program.py'] === fraction)).toBe(true);
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
    const exits = await runScripted(
      ['I would test it well.', 'no repair'],
      { operator: 'Test', taskType: 'code', inputs: 'import os\nos._exit(0)' },
      real(),
    );
    expect(exits.outcome.output).toMatchObject({ source: 'smoke', result: false });
    const answerRunner = scriptedRunner([{}]);
    const answer = await runScripted(['```python\nassert int(ANSWER) == 42\n```'], { operator: 'Test', inputs: '42' }, answerRunner);
    expect(answer.outcome.passed).toBe(true);
    expect(answerRunner.requests[0]?.files).toEqual({ 'answer.txt': '42' });
    expect(answerRunner.requests[0]?.code).toMatch(/^ANSWER = open\('answer.txt'/);
  });

  it('suspends for its test run before anything runs (the canvas worker has no runner)', async () => {
    const { runOperator } = createOperatorActivities({ chat: new ScriptedChat([]) });
    const step = await runOperator(
      operatorInput({ operator: 'Test', taskType: 'code', inputs: code, entryPoint: 'add', tests: humaneval }),
    );
    expect(step).toMatchObject({ suspended: true, step: 'problem tests', ledger: [] });
    // the first run is the tests' replay harness: trusted code only, the candidate is not in it
    const request = (step as { request: CodeRunRequest }).request;
    expect(JSON.stringify(request)).toContain('check(add)');
    expect(JSON.stringify(request)).not.toContain('return a + b');
  });
});
