import { runInSandbox, describeFailure, ranCleanly } from '../core/code-run';
import { guidanceBlock } from '../core/guidance';
import type { OperatorCall, OperatorImpl } from '../core/operator-call';
import { readCode } from '../parse/code';

export interface ProgrammerOutput {
  code: string;
  /** What the program printed as its result (math/qa), or "CODE_GENERATED" for code tasks. */
  output: string;
  /** Set when the final attempt still failed. */
  error?: string;
  attempts: number;
}

const MARKER = '<<<FLOWSTEER_RESULT>>>';
const ATTEMPTS = 2;

/**
 * Programmer: writes Python and runs it in the sandbox. For math/qa the program defines `solve()`
 * and its return value is the result; for code tasks it defines the requested function and the run
 * checks that the module loads. A failed run is retried once with the error shown to the LLM.
 */
export const programmer: OperatorImpl<ProgrammerOutput> = async (call) => {
  const isCodeTask = call.input.taskType === 'code';
  const target = isCodeTask ? call.input.entryPoint : 'solve';
  let feedback = call.input.feedback?.trim() ? `A previous check reported:\n${call.input.feedback.trim()}` : '';
  let code = '';
  let error = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const reply = await call.ask(SYSTEM, request(call, feedback), `attempt ${attempt}`);
    code = readCode(reply, target) ?? '';
    if (!code) {
      error = 'the reply contained no Python code block';
      call.note(`attempt ${attempt}: ${error}`);
      feedback = 'Your last reply had no Python code. Reply with exactly one ```python block.';
      continue;
    }
    const run = await runInSandbox(call, isCodeTask ? loadModule(code) : callSolve(code), `run ${attempt}`);
    if (ranCleanly(run)) {
      const output = isCodeTask ? 'CODE_GENERATED' : resultOf(run.stdout);
      if (!isCodeTask && output === '') {
        error = 'solve() returned nothing printable';
      } else {
        return { text: isCodeTask ? code : output, output: { code, output, attempts: attempt } };
      }
    } else {
      error = describeFailure(run);
    }
    call.note(`attempt ${attempt} failed: ${error.split('\n')[0]}`);
    feedback = `Your previous program failed.\n\`\`\`python\n${code}\n\`\`\`\nError:\n${error}\nFix it.`;
  }
  return {
    text: code ? `${code}\n# Execution failed: ${error.split('\n')[0]}` : `Programmer failed: ${error}`,
    output: { code, output: '', error, attempts: ATTEMPTS },
  };
};

const SYSTEM = 'You write short, correct, self-contained Python 3 programs. You answer with one ```python code block.';

function request(call: OperatorCall, feedback: string): string {
  const { problem, prompt, taskType, entryPoint } = call.input;
  const analysis = call.text.trim() && call.text.trim() !== problem.trim() ? `\n\n## Analysis from earlier steps\n${call.text}` : '';
  const task =
    taskType === 'code'
      ? `Implement the solution${entryPoint ? ` as the function \`${entryPoint}\` with exactly the signature the problem gives` : ''}. ` +
        'Include the imports it needs; no example calls, no input(), no printing at import time.'
      : 'Write a function `solve()` that computes the answer and returns it (a number or a short string). ' +
        'Use the standard library only; no input(), no files, no network. Do not call solve() yourself.';
  return `${guidanceBlock('code', prompt, taskType)}## Problem\n${problem}${analysis}\n\n${task}${feedback ? `\n\n${feedback}` : ''}`;
}

function callSolve(code: string) {
  return {
    code: `from solution import solve\n_result = solve()\nprint(${JSON.stringify(MARKER)})\nprint(_result)\n`,
    files: { 'solution.py': code },
  };
}

function loadModule(code: string) {
  return { code: 'import solution\n', files: { 'solution.py': code } };
}

function resultOf(stdout: string): string {
  const at = stdout.lastIndexOf(MARKER);
  return (at >= 0 ? stdout.slice(at + MARKER.length) : stdout).trim();
}
