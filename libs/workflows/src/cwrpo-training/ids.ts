/** Workflow ids of the run and its rollouts (DESIGN §5): `train-<name>`, `train-<name>-s<step>-p<i>-g<j>`. */
export function trainingRunId(name: string): string {
  return `train-${name}`;
}

/** Deterministic: a resumed step finds the rollouts it already finished under the same ids. */
export function rolloutId(name: string, step: number, problem: number, rollout: number): string {
  return `train-${name}-s${step}-p${problem}-g${rollout}`;
}

/** The learner's run id: the folder `runs/<runId>/` (letters, digits, `.`, `_`, `-`). */
export function learnerRunId(workflowId: string): string {
  return workflowId.replace(/[^A-Za-z0-9._-]+/g, '_');
}
