import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { lastLine, readTag } from '../parse/tags';
import { problemAndUpstream, SOLVER_SYSTEM } from './shared-text';

export interface AnswerGenerateOutput {
  thought: string;
  answer: string;
}

/** AnswerGenerate: reasons step by step, then states the shortest complete answer. */
export const answerGenerate: OperatorImpl<AnswerGenerateOutput> = async (call) => {
  const { prompt, taskType } = call.input;
  const reply = await call.ask(
    SOLVER_SYSTEM,
    `${guidanceBlock('answer', prompt, taskType)}${problemAndUpstream(call, 'Work so far')}\n\n` +
      'Reason through the problem step by step inside <thought></thought>. Then give only the final answer inside ' +
      '<answer></answer>: a number, a short phrase, or yes/no, with no explanation.',
  );
  const thought = readTag(reply, 'thought') ?? '';
  let answer = readTag(reply, 'answer');
  if (answer === undefined) {
    call.note('answer tag missing: used the last line of the reply');
    answer = lastLine(reply.replace(/<\/?thought\s*>/gi, ''));
  }
  return { text: answer, output: { thought, answer } };
};
