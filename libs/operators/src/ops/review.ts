import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { readTag, readVerdict } from '../parse/tags';

export interface ReviewOutput {
  /** The reviewed solution, passed through unchanged. */
  output: string;
  review_result: boolean;
  feedback: string;
}

/**
 * Review: a critical read of the upstream solution. It rejects only when it is close to certain
 * the solution is wrong; the solution itself passes through unchanged. When the verdict cannot be
 * read the solution is let through (passed) with a note, so a junk review never triggers a fix.
 */
export const review: OperatorImpl<ReviewOutput> = async (call) => {
  const { problem, prompt, taskType } = call.input;
  const solution = call.text.trim();
  const reply = await call.ask(
    'You are a strict but fair reviewer of solutions.',
    `${guidanceBlock('check', prompt, taskType)}## Problem\n${problem}\n\n## Proposed solution\n${solution}\n\n` +
      'Check the reasoning and the final answer. Say "fail" only if you are nearly certain the solution is wrong; ' +
      'otherwise say "pass". Reply with <verdict>pass or fail</verdict> and <feedback>what is wrong and how to fix it, ' +
      'or why it holds</feedback>.',
  );
  let passed = readVerdict(readTag(reply, 'verdict'));
  if (passed === undefined) {
    passed = readVerdict(reply.split('\n')[0]) ?? readVerdict(reply);
    call.note(passed === undefined ? 'verdict unreadable: treated as pass' : 'verdict tag missing: read the verdict from the text');
  }
  const verdict = passed ?? true;
  const feedback = readTag(reply, 'feedback') || reply.replace(/<\/?verdict\s*>/gi, '').trim();
  return { text: solution, passed: verdict, feedback, output: { output: solution, review_result: verdict, feedback } };
};
