import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { readTag } from '../parse/tags';
import { problemAndUpstream, SOLVER_SYSTEM } from './shared-text';

export interface CustomOutput {
  response: string;
}

/**
 * Custom: free-form work driven by the director's prompt (the general-purpose step). Without a
 * prompt it solves the problem, building on the previous result.
 */
export const custom: OperatorImpl<CustomOutput> = async (call) => {
  const { prompt, taskType } = call.input;
  const answer = await call.ask(
    SOLVER_SYSTEM,
    `${guidanceBlock('reason', prompt, taskType)}${problemAndUpstream(call, 'Previous result')}\n\n` +
      (prompt.trim() ? 'Do what the guidance asks' : 'Solve the problem, building on the previous result if there is one') +
      '. Think it through, then put what the next step should receive inside <result></result>.',
  );
  let response = readTag(answer, 'result');
  if (response === undefined) {
    call.note('result tag missing: passed the whole answer on');
    response = answer.trim();
  }
  return { text: response, output: { response } };
};
