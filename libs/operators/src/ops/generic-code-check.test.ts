import { createCatalogue, pluginSpecs } from '@flowsteer/canvas';
import { SandboxRunner } from '@flowsteer/sandbox';
import type { CodeRunRequest } from '@flowsteer/contracts';
import { createOperatorActivities } from '../create-operator-activities';
import { driveOperator, operatorInput, ScriptedChat } from '../test-support/scripted-chat';

// A plug-in that writes code, declared with codeCheck: its code runs against the problem's tests
// in the real sandbox, through the Test operator's verdict path.
const catalogue = createCatalogue(
  pluginSpecs([
    {
      name: 'TypedProgrammer',
      category: 'solving',
      description: 'Writes typed Python code for the problem.',
      instruction: 'Write the solution with type hints.',
      codeCheck: true,
    },
  ]),
);
const humaneval = 'def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-4, 4) == 0';
const task = {
  operator: 'TypedProgrammer',
  taskType: 'code' as const,
  entryPoint: 'add',
  problem: 'Write add(a, b).',
  inputs: 'Write add(a, b).',
};
const reply = (code: string) => `<result>\n\`\`\`python\n${code}\n\`\`\`\n</result>`;

describe('a plug-in operator with codeCheck', () => {
  let sandbox: SandboxRunner;
  beforeAll(async () => {
    sandbox = await SandboxRunner.create({ concurrency: 2, log: () => undefined });
  });
  afterAll(() => sandbox.close());

  async function run(code: string, tests: string | undefined) {
    const chat = new ScriptedChat([reply(code)]);
    const { runOperator } = createOperatorActivities({ chat, catalogue });
    const requests: CodeRunRequest[] = [];
    const result = await driveOperator(
      runOperator,
      operatorInput({ ...task, ...(tests ? { tests } : {}) }),
      (req) => (requests.push(req), sandbox.run(req)),
    );
    return { ...result, chat, requests };
  }

  it('hands on the code with a passed verdict when the problem’s tests pass (the run went through a suspension)', async () => {
    const { outcome, suspensions, chat } = await run('def add(a: int, b: int) -> int:\n    """Sum."""\n    return a + b', humaneval);
    expect(suspensions.length).toBeGreaterThan(0);
    expect(outcome.text).toBe('def add(a: int, b: int) -> int:\n    """Sum."""\n    return a + b');
    expect(outcome.output).toMatchObject({ code_check: 'passed: the problem’s tests' });
    expect(outcome.feedback).toMatch(/TypedProgrammer: code check passed/);
    expect(outcome.passed).toBe(true); // reported like a check's verdict (the spec has no pass field: no conditional reads it)
    expect(chat.userText(0)).toContain('that defines `add`');
  });

  it('reports the failing assert when the code is wrong, and still hands the code on', async () => {
    const { outcome } = await run('def add(a, b):\n    return a - b', humaneval);
    expect(outcome.text).toBe('def add(a, b):\n    return a - b');
    expect(outcome.output).toMatchObject({ code_check: expect.stringMatching(/^failed: the problem’s tests/) });
    expect(outcome.feedback).toMatch(/code check failed/);
    expect(outcome.passed).toBe(false);
  });

  it.each([
    ['os._exit(0) at import', 'import os\nos._exit(0)\ndef add(a, b):\n    return 0'],
    ['an always-equal result', 'class E:\n    def __eq__(self, o):\n        return True\ndef add(a, b):\n    return E()'],
  ])('a wrong solution cannot make its own check pass (%s)', async (_label, cheat) => {
    const { outcome } = await run(cheat, humaneval);
    expect(outcome.output).toMatchObject({ code_check: expect.stringMatching(/^failed/) });
  });

  it('only checks that the code loads when the problem has no tests', async () => {
    const good = await run('def add(a, b):\n    return a + b', undefined);
    expect(good.outcome.output).toMatchObject({ code_check: 'passed: a load check (the problem has no tests)' });
    const broken = await run('def add(a, b)\n    return a + b', undefined);
    expect(broken.outcome.output).toMatchObject({ code_check: expect.stringMatching(/^failed: a load check/) });
  });
});
