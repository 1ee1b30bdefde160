/**
 * Task queues (DESIGN §5). Workflows, policy turns and LLM operators share the canvas queue;
 * candidate code (operator runs, code scoring) runs only on the sandbox queue, in its own workers.
 */
export const TASK_QUEUES = {
  canvas: 'flowsteer-canvas',
  sandbox: 'flowsteer-sandbox',
  learner: 'cwrpo-learner',
} as const;

export type TaskQueueName = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];

/**
 * The sandbox queue that goes with a canvas queue: `flowsteer-canvas<suffix>` pairs with
 * `flowsteer-sandbox<suffix>` (tests and side-by-side deployments use suffixes); any other
 * canvas queue pairs with the default sandbox queue. Workflows and workers both use this, so a
 * session's code runs reach the sandbox workers deployed next to its canvas workers.
 */
export function sandboxQueueFor(canvasQueue: string): string {
  return canvasQueue.startsWith(TASK_QUEUES.canvas)
    ? `${TASK_QUEUES.sandbox}${canvasQueue.slice(TASK_QUEUES.canvas.length)}`
    : TASK_QUEUES.sandbox;
}
