import type { EvalMethod } from '@flowsteer/contracts';

const safe = (s: string, max = 60) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, max);

/**
 * The suffix the run's sessions carry: the part of the run id after `eval-<name>-` (DESIGN §5),
 * else the sanitised run id. The workflow id is stable across continue-as-new, so a resumed run
 * derives the same session ids.
 */
export function runSuffix(runWorkflowId: string, name: string): string {
  const prefix = `eval-${name}-`;
  return safe(
    runWorkflowId.startsWith(prefix) && runWorkflowId.length > prefix.length ? runWorkflowId.slice(prefix.length) : runWorkflowId,
    80,
  );
}

/** `session-<dataset>-<item>-<suffix>` (FlowSteer) or `...-<suffix>-fixed` (the fixed-workflow baseline). */
export function evalSessionId(dataset: string, itemId: string, suffix: string, method: EvalMethod): string {
  const base = `session-${safe(dataset)}-${safe(itemId)}-${suffix}`;
  return method === 'flowsteer' ? base : `${base}-${method}`;
}

export function unitKey(method: EvalMethod, dataset: string, itemId: string): string {
  return `${method}/${dataset}/${itemId}`;
}
