import type { OperatorTaskType } from '@flowsteer/contracts';

/**
 * How an operator uses the director's node prompt. Every operator injects it (a documented change
 * from the reference, where AnswerGenerate and the ensembles dropped it), together with a short
 * rule for the task type and the operator's role.
 */
export type GuidanceRole = 'reason' | 'answer' | 'code' | 'check' | 'verify' | 'select' | 'format' | 'plan';

const ROLE_RULES: Partial<Record<GuidanceRole, string>> = {
  verify: 'Work the problem out on your own before you compare with the answer you were given.',
  select: 'Pick from the candidates you were given; do not start the problem over.',
  format: 'Return the final value alone, with no words around it.',
};

function taskRule(role: GuidanceRole, taskType: OperatorTaskType): string | undefined {
  if (taskType === 'qa' && (role === 'answer' || role === 'reason' || role === 'verify' || role === 'format')) {
    return 'The expected answer is a short span (a name, a date, a number, yes/no): a few words, never a full sentence.';
  }
  if (taskType === 'code' && role === 'code') {
    return 'Write Python only. Keep the exact function name and signature from the problem; no input() and no top-level prints.';
  }
  if (taskType === 'math' && role === 'format') {
    return 'Keep exact forms (fractions, radicals, pi); write integers without a trailing ".0".';
  }
  return undefined;
}

/** The guidance block placed before an operator's own instructions, or "" when there is nothing to add. */
export function guidanceBlock(role: GuidanceRole, nodePrompt: string, taskType: OperatorTaskType): string {
  const lines = [taskRule(role, taskType), ROLE_RULES[role]].filter((l): l is string => Boolean(l));
  const prompt = nodePrompt.trim();
  if (prompt) lines.push(`The workflow director asks for this step: ${prompt}`);
  if (lines.length === 0) return '';
  return `## Guidance for this step\n${lines.join('\n')}\n\n`;
}
