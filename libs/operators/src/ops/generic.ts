import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { readTag } from '../parse/tags';
import { problemAndUpstream, SOLVER_SYSTEM } from './shared-text';

export interface GenericOutput {
  response: string;
}

/**
 * The implementation for a plug-in operator that the catalogue describes but this library does
 * not implement: the catalogue's description becomes the task, the node prompt the guidance.
 */
export function genericOperator(name: string, description: string): OperatorImpl<GenericOutput> {
  return async (call) => {
    const { prompt, taskType } = call.input;
    const reply = await call.ask(
      SOLVER_SYSTEM,
      `${guidanceBlock('reason', prompt, taskType)}## Your step: ${name}\n${description.trim()}\n\n${problemAndUpstream(call, 'Input to this step')}\n\n` +
        'Perform this step. Put what the next step should receive inside <result></result>.',
    );
    let response = readTag(reply, 'result');
    if (response === undefined) {
      call.note('result tag missing: passed the whole answer on');
      response = reply.trim();
    }
    return { text: response, output: { response } };
  };
}
