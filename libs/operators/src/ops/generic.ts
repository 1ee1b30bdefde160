import type { OperatorSpec } from '@flowsteer/canvas';
import { testsVerdict } from '../core/code-run';
import { guidanceBlock } from '../core/guidance';
import type { OperatorCall, OperatorImpl, OperatorResult } from '../core/operator-call';
import { readCode } from '../parse/code';
import { readTag, readVerdict } from '../parse/tags';
import { problemAndUpstream, SOLVER_SYSTEM } from './shared-text';

/**
 * The implementation for a plug-in operator that the catalogue describes but this library does
 * not implement: the spec's `instruction` (else its description) becomes the task, the node prompt
 * the guidance. The result is stored under the spec's first output port (and `response`); a
 * checker plug-in (with `passField`) is also asked for a pass/fail verdict, and a plug-in with
 * `codeCheck` has its code run against the problem's tests.
 */
export function genericOperator(spec: OperatorSpec): OperatorImpl<Record<string, unknown>> {
  const task = (spec.instruction ?? spec.description).trim();
  const primary = spec.outputs.find((p) => p.type !== 'boolean')?.name ?? 'response';
  return async (call) => {
    const { prompt, taskType } = call.input;
    const verdictAsk = spec.passField ? ' Also give <verdict>pass or fail</verdict> for the input.' : '';
    const resultAsk = spec.codeCheck
      ? `Put the complete Python code inside <result></result>, as one \`\`\`python block${call.input.entryPoint ? ` that defines \`${call.input.entryPoint}\`` : ''}.`
      : 'Put what the next step should receive inside <result></result>.';
    const reply = await call.ask(
      SOLVER_SYSTEM,
      `${guidanceBlock(spec.codeCheck ? 'code' : 'reason', prompt, taskType)}## Your step: ${spec.name}\n${task}\n\n${problemAndUpstream(call, 'Input to this step')}\n\n` +
        `Perform this step. ${resultAsk}${verdictAsk}`,
    );
    let response = readTag(reply, 'result');
    if (response === undefined) {
      call.note('result tag missing: passed the whole answer on');
      response = reply.replace(/<verdict>[\s\S]*?<\/verdict>/gi, '').trim();
    }
    if (spec.codeCheck) return codeChecked(call, spec, response);
    const output: Record<string, unknown> = { [primary]: response, response };
    if (!spec.passField) return { text: response, output };
    let passed = readVerdict(readTag(reply, 'verdict'));
    if (passed === undefined) {
      call.note('verdict unreadable: treated as pass');
      passed = true;
    }
    output[spec.passField] = passed;
    return { text: response, output, passed };
  };
}

/**
 * The step's code, run against the problem's tests on the sandbox queue (a load check when there
 * are none), through the `Test` operator's verdict path: the code cannot forge its own verdict. The
 * verdict is information for the director (output and feedback), not a pass flag: a plug-in that
 * writes code is a solver, and only checkers steer conditionals.
 */
async function codeChecked(call: OperatorCall, spec: OperatorSpec, response: string): Promise<OperatorResult<Record<string, unknown>>> {
  const { entryPoint } = call.input;
  const code = readCode(response, entryPoint) ?? response;
  const tests = call.input.tests?.trim() ?? '';
  const what = tests ? 'the problem’s tests' : 'a load check (the problem has no tests)';
  const v = await testsVerdict(call, { solution: code, tests, ...(entryPoint ? { entryPoint } : {}) }, 'code check', 'code check nonce');
  const failure = v.error?.slice(0, 1_500);
  const codeCheck = v.passed ? `passed: ${what}` : `failed: ${what} (${v.errorType})`;
  return {
    text: code,
    output: { response: code, code_check: codeCheck, ...(failure ? { code_check_error: failure } : {}), isolation: v.isolation },
    passed: v.passed,
    feedback: v.passed ? `${spec.name}: code check ${codeCheck}` : `${spec.name}: code check ${codeCheck}:\n${failure ?? ''}`,
  };
}
