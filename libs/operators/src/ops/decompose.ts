import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { readList, readTag } from '../parse/tags';

export interface DecomposeOutput {
  /** The numbered sub-problems as one text. */
  sub_problems: string;
  reasoning: string;
  sub_problems_list: string[];
}

const MAX_PARTS = 5;

/** Decompose: splits the original problem into 2–5 smaller questions that together answer it. */
export const decompose: OperatorImpl<DecomposeOutput> = async (call) => {
  const { problem, prompt, taskType } = call.input;
  const answer = await call.ask(
    'You break hard problems into smaller, independent questions.',
    `${guidanceBlock('plan', prompt, taskType)}## Problem\n${problem}\n\n` +
      `Split the problem into 2 to ${MAX_PARTS} sub-questions whose answers, combined, solve it. Reply with:\n` +
      '<reasoning>why this split works</reasoning>\n' +
      '<parts>\n1. first sub-question\n2. ...\n</parts>',
  );
  const partsText = readTag(answer, 'parts') ?? readTag(answer, 'sub_problems');
  if (partsText === undefined) call.note('parts tag missing: read the numbered lines of the whole answer');
  let subProblems = readList(partsText ?? answer);
  if (subProblems.length === 0) {
    call.note('no sub-questions found: the problem stays whole');
    subProblems = [problem.trim()];
  }
  if (subProblems.length > MAX_PARTS) {
    call.note(`${subProblems.length} sub-questions given: kept the first ${MAX_PARTS}`);
    subProblems = subProblems.slice(0, MAX_PARTS);
  }
  const reasoning = readTag(answer, 'reasoning') ?? '';
  const text = subProblems.map((s, i) => `${i + 1}. ${s}`).join('\n');
  return { text, output: { sub_problems: text, reasoning, sub_problems_list: subProblems } };
};
