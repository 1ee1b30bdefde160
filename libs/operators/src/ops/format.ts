import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { readCode } from '../parse/code';
import { normaliseNumber } from '../parse/numbers';
import { lastLine, readTag } from '../parse/tags';

export interface FormatOutput {
  response: string;
}

/**
 * Format: reduces a solution to its bare final answer. Code tasks need no LLM: the code block is
 * extracted. Otherwise the LLM extracts the value and a deterministic clean-up follows
 * (see `tidyAnswer`).
 */
export const format: OperatorImpl<FormatOutput> = async (call) => {
  const { problem, prompt, taskType } = call.input;
  const solution = call.text.trim();
  if (taskType === 'code') {
    const code = readCode(solution, call.input.entryPoint) ?? solution;
    return { text: code, output: { response: code } };
  }
  const reply = await call.ask(
    'You extract final answers. You never add explanations.',
    `${guidanceBlock('format', prompt, taskType)}## Problem\n${problem}\n\n## Solution\n${solution}\n\n` +
      'Copy out only the final answer this solution arrives at, inside <final></final>.',
  );
  let raw = readTag(reply, 'final');
  if (raw === undefined) {
    call.note('final tag missing: used the last line of the reply');
    raw = lastLine(reply);
  }
  const response = tidyAnswer(raw);
  return { text: response, output: { response } };
};

/** Strips wrappers models like to add: \boxed{}, "The answer is", "x =", $…$, trailing periods, "12.0". */
export function tidyAnswer(raw: string): string {
  let v = raw.trim();
  const boxed = /\\boxed\{([\s\S]*)\}/.exec(v);
  if (boxed?.[1] !== undefined) v = boxed[1];
  v = v.replace(/^(the\s+)?(final\s+)?answer\s*(is|:)\s*/i, '');
  v = v.replace(/\.$/, '').trim();
  v = v.replace(/^\$+|\$+$/g, '').trim();
  v = v.replace(/^[a-zA-Z]\s*=\s*(?=\S)/, '');
  v = v.replace(/\.$/, '').trim();
  if (/^-?\d[\d,]*\.0+$/.test(v)) v = normaliseNumber(v);
  return v;
}
