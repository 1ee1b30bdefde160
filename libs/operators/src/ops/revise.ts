import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { readCode } from '../parse/code';
import { readTag } from '../parse/tags';

export interface ReviseOutput {
  solution: string;
  /** The feedback the revision acted on. */
  feedback: string;
}

const NO_FEEDBACK = 'No checker feedback was given: look for mistakes yourself and correct them.';

/** Revise: rewrites the upstream solution so that it answers the checker's feedback. */
export const revise: OperatorImpl<ReviseOutput> = async (call) => {
  const { problem, prompt, taskType } = call.input;
  const solution = call.text.trim();
  const feedback = call.input.feedback?.trim() || NO_FEEDBACK;
  const codeHint = taskType === 'code' ? ' Keep it a complete Python solution with the same function signature.' : '';
  const reply = await call.ask(
    'You improve solutions using review feedback.',
    `${guidanceBlock('reason', prompt, taskType)}## Problem\n${problem}\n\n## Current solution\n${solution}\n\n## Feedback\n${feedback}\n\n` +
      `Write the corrected, complete solution inside <revised></revised>.${codeHint}`,
  );
  let revised = readTag(reply, 'revised');
  if (revised === undefined) {
    call.note('revised tag missing: used the whole reply');
    revised = reply.trim();
  }
  if (taskType === 'code') revised = readCode(revised, call.input.entryPoint) ?? revised;
  if (!revised) {
    call.note('empty revision: kept the current solution');
    revised = solution;
  }
  return { text: revised, output: { solution: revised, feedback } };
};
