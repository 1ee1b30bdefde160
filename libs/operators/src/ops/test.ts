import type { CodeRunRequest } from '@flowsteer/contracts';
import { describeFailure, lastException, ranCleanly, runInSandbox, testsVerdict } from '../core/code-run';
import { guidanceBlock } from '../core/guidance';
import type { OperatorCall, OperatorImpl, OperatorResult } from '../core/operator-call';
import { readCode } from '../parse/code';
import { readTag } from '../parse/tags';

export type TestSource = 'problem' | 'generated' | 'smoke';

export interface TestOutput {
  /** True when every test passed (the conditional's pass flag). */
  result: boolean;
  /** The tested code: the upstream solution, or the repaired one when a repair made the tests pass. */
  solution: string;
  /** Where the tests came from: the problem, the LLM, or only a load check of the module. */
  source: TestSource;
  tests: string;
  repaired: boolean;
  error_type?: string;
  error?: string;
  isolation?: string;
}

/**
 * Test: runs the upstream solution against tests in the sandbox. Problem-provided tests win
 * (HumanEval `check(candidate)` or MBPP-style asserts); otherwise the LLM proposes asserts. For
 * non-code answers the asserts read the answer from `ANSWER`. A failing code solution gets one
 * repair round (the LLM sees the failure); the repair is kept only if the same tests then pass.
 */
export const test: OperatorImpl<TestOutput> = async (call) => {
  const isCode = call.input.taskType === 'code' || readCode(call.text) !== undefined;
  const solution = isCode ? (readCode(call.text, call.input.entryPoint) ?? call.text.trim()) : call.text.trim();
  const entryPoint = call.input.entryPoint ?? firstFunction(solution);

  let source: TestSource;
  let tests: string;
  if (call.input.tests?.trim()) {
    source = 'problem';
    tests = call.input.tests.trim();
  } else {
    const proposed = await proposeTests(call, isCode, solution, entryPoint);
    if (proposed) {
      source = 'generated';
      tests = proposed;
    } else if (isCode) {
      call.note('no usable tests proposed: only checked that the solution loads');
      source = 'smoke';
      tests = '';
    } else {
      call.note('no usable tests proposed for a non-code answer: nothing could be run');
      const error = 'no tests were available and none could be generated';
      const output: TestOutput = { result: false, solution, source: 'generated', tests: '', repaired: false, error };
      return { text: solution, passed: false, feedback: error, output };
    }
  }

  const first = await runTests(call, isCode, solution, tests, entryPoint, source);
  if (first.result || !isCode) return verdict(first);
  const repairedCode = await repair(call, solution, first);
  if (repairedCode) {
    const second = await runTests(call, true, repairedCode, tests, entryPoint, source);
    if (second.result) return verdict({ ...second, repaired: true });
    call.note('the repaired code failed the tests too: kept the original solution');
  }
  return verdict(first);
};

async function runTests(
  call: OperatorCall,
  isCode: boolean,
  solution: string,
  tests: string,
  entryPoint: string | undefined,
  source: TestSource,
): Promise<TestOutput> {
  if (isCode) {
    const v = await testsVerdict(call, { solution, tests, ...(entryPoint ? { entryPoint } : {}) }, `${source} tests`, 'check nonce');
    const output: TestOutput = { result: v.passed, solution, source, tests, repaired: false, isolation: v.isolation };
    if (!v.passed) {
      output.error_type = v.errorType;
      output.error = v.error;
    }
    return output;
  }
  const run = await runInSandbox(call, script(solution, tests), `${source} tests`);
  const output: TestOutput = { result: ranCleanly(run), solution, source, tests, repaired: false, isolation: run.isolation };
  if (!output.result) {
    output.error_type = lastException(run.stderr)?.type ?? run.stopReason;
    output.error = describeFailure(run);
  }
  return output;
}

function verdict(output: TestOutput): OperatorResult<TestOutput> {
  const feedback = output.result
    ? `all ${output.source} tests passed${output.repaired ? ' after a repair' : ''}`
    : `tests failed (${output.error_type}):\n${output.error}`;
  return { text: output.solution, passed: output.result, feedback, output };
}

async function repair(call: OperatorCall, solution: string, failed: TestOutput): Promise<string | undefined> {
  const { problem, prompt, taskType, entryPoint } = call.input;
  const reply = await call.ask(
    'You fix Python code so that it passes its tests. You answer with one ```python block.',
    `${guidanceBlock('code', prompt, taskType)}## Problem\n${problem}\n\n## Code\n\`\`\`python\n${solution}\n\`\`\`\n\n` +
      `## Tests\n\`\`\`python\n${failed.tests || '(the module must load)'}\n\`\`\`\n\n## Failure\n${failed.error ?? ''}\n\n` +
      'Return the complete corrected code, keeping the function names and signatures.',
    'repair',
  );
  const code = readCode(reply, entryPoint);
  if (!code) call.note('repair reply had no code: kept the original solution');
  return code && code.trim() !== solution.trim() ? code : undefined;
}

async function proposeTests(
  call: OperatorCall,
  isCode: boolean,
  solution: string,
  entryPoint: string | undefined,
): Promise<string | undefined> {
  const { problem, prompt, taskType } = call.input;
  const subject = isCode
    ? `## Solution under test\n\`\`\`python\n${solution}\n\`\`\`\n\nWrite 3 to 6 Python assert statements that call ${entryPoint ? `\`${entryPoint}\`` : 'the solution'} on ` +
      'typical and edge-case inputs with the outputs the problem demands (derive them from the problem, not from the code).'
    : `## Answer under test\n${solution}\n\nThe answer is available as the string variable ANSWER. Write Python assert statements ` +
      'that check ANSWER against what the problem demands (recompute the value where you can).';
  const reply = await call.ask(
    'You write strict, correct Python tests. You never print; you only assert.',
    `${guidanceBlock('check', prompt, taskType)}## Problem\n${problem}\n\n${subject}\nPut the test code inside <tests></tests>.`,
    'propose tests',
  );
  const tagged = readTag(reply, 'tests');
  const tests = tagged !== undefined ? (readCode(tagged) ?? tagged) : readCode(reply);
  if (tagged === undefined && tests) call.note('tests tag missing: used the code block of the reply');
  return tests && /\bassert\b|\bcheck\s*\(/.test(tests) ? tests : undefined;
}

/** Non-code answers: the asserts read the answer text; no candidate code runs. */
function script(solution: string, tests: string): CodeRunRequest {
  return { code: `ANSWER = open('answer.txt', encoding='utf-8').read().strip()\n${tests}\n`, files: { 'answer.txt': solution } };
}

function firstFunction(code: string): string | undefined {
  return /^def\s+([A-Za-z_]\w*)\s*\(/m.exec(code)?.[1];
}
