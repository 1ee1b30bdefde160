import { createHash } from 'node:crypto';
import type { RunOperatorInput } from '@flowsteer/contracts';

/**
 * A stable key over everything that determines an operator's outcome: operator, node prompt,
 * inputs, problem, task type, checker feedback, code-task fields and the executor backend. The node
 * id is left out on purpose, so identical work on two nodes shares a key.
 */
export function operatorCacheKey(input: RunOperatorInput): string {
  const material = [
    input.operator,
    input.prompt,
    input.problem,
    input.taskType,
    input.inputs,
    input.feedback ?? null,
    input.entryPoint ?? null,
    input.tests ?? null,
    input.executorBackend,
  ];
  return `op:${input.operator}:${createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 32)}`;
}
