import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { readList, readTag } from '../parse/tags';

export interface PlanOutput {
  approach: string;
  key_insights: string;
  /** The full plan as the next step reads it. */
  plan: string;
  steps_list: string[];
}

/**
 * Plan: a strategy and numbered steps for the original problem. It always plans for the problem
 * itself, whatever came before it (the upstream text is shown as context only).
 */
export const plan: OperatorImpl<PlanOutput> = async (call) => {
  const { problem, prompt, taskType } = call.input;
  const upstream = call.text.trim() && call.text.trim() !== problem.trim() ? `\n\n## Earlier work (context only)\n${call.text}` : '';
  const answer = await call.ask(
    'You are a strategist: you plan how to solve a problem, you do not solve it.',
    `${guidanceBlock('plan', prompt, taskType)}## Problem\n${problem}${upstream}\n\n` +
      'Lay out how to attack this problem. Reply with three tags:\n' +
      '<approach>the overall method in one or two sentences</approach>\n' +
      '<insights>facts, formulas or traps that matter</insights>\n' +
      '<steps>\n1. first concrete step\n2. ...\n</steps>',
  );
  const stepsText = readTag(answer, 'steps');
  let steps = readList(stepsText ?? answer);
  if (stepsText === undefined) call.note('steps tag missing: read the numbered lines of the whole answer');
  if (steps.length === 0 && stepsText) steps = [stepsText];
  const approach = readTag(answer, 'approach') ?? '';
  const keyInsights = readTag(answer, 'insights') ?? readTag(answer, 'key_insights') ?? '';
  if (!approach && steps.length === 0) call.note('no plan structure found: passing the raw answer on');
  const planText =
    approach || steps.length > 0
      ? [
          approach && `Approach: ${approach}`,
          keyInsights && `Key insights: ${keyInsights}`,
          steps.length > 0 && `Steps:\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`,
        ]
          .filter(Boolean)
          .join('\n')
      : answer.trim();
  return { text: planText, output: { approach, key_insights: keyInsights, plan: planText, steps_list: steps } };
};
