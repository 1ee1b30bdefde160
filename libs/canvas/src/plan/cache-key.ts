import type { TextValue } from '@flowsteer/contracts';
import { hash128, stableJson } from '../util/hash';

export interface CacheKeyParts {
  operator: string;
  prompt: string;
  inputs: TextValue | TextValue[];
  feedback?: string | null;
  problem: string;
  taskType: string;
  entryPoint?: string | null;
  tests?: string | null;
  /** Who answers the call (executor backend, and model where known): a fork under another executor re-runs its nodes. */
  executor?: string | null;
}

/**
 * The node cache key: a pure 128-bit hash over everything that determines an operator's outcome
 * within a session (operator, prompt, inputs, checker feedback, problem, task type, code-task
 * fields, the executor). The node id is left out, so the same work on two nodes shares a key.
 */
export function nodeCacheKey(parts: CacheKeyParts): string {
  const material = stableJson({
    o: parts.operator,
    p: parts.prompt,
    i: parts.inputs,
    f: parts.feedback ?? null,
    q: parts.problem,
    t: parts.taskType,
    e: parts.entryPoint ?? null,
    s: parts.tests ?? null,
    ...(parts.executor ? { x: parts.executor } : {}),
  });
  return `cv:${parts.operator}:${hash128(material)}`;
}
