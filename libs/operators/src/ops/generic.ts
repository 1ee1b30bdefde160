import type { OperatorSpec } from '@flowsteer/canvas';
import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { readTag, readVerdict } from '../parse/tags';
import { problemAndUpstream, SOLVER_SYSTEM } from './shared-text';

/**
 * The implementation for a plug-in operator that the catalogue describes but this library does
 * not implement: the spec's `instruction` (else its description) becomes the task, the node prompt
 * the guidance. The result is stored under the spec's first output port (and `response`); a
 * checker plug-in (with `passField`) is also asked for a pass/fail verdict.
 */
export function genericOperator(spec: OperatorSpec): OperatorImpl<Record<string, unknown>> {
  const task = (spec.instruction ?? spec.description).trim();
  const primary = spec.outputs.find((p) => p.type !== 'boolean')?.name ?? 'response';
  return async (call) => {
    const { prompt, taskType } = call.input;
    const verdictAsk = spec.passField ? ' Also give <verdict>pass or fail</verdict> for the input.' : '';
    const reply = await call.ask(
      SOLVER_SYSTEM,
      `${guidanceBlock('reason', prompt, taskType)}## Your step: ${spec.name}\n${task}\n\n${problemAndUpstream(call, 'Input to this step')}\n\n` +
        `Perform this step. Put what the next step should receive inside <result></result>.${verdictAsk}`,
    );
    let response = readTag(reply, 'result');
    if (response === undefined) {
      call.note('result tag missing: passed the whole answer on');
      response = reply.replace(/<verdict>[\s\S]*?<\/verdict>/gi, '').trim();
    }
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
