/** Task queues (DESIGN §5). Workflows, policy turns and LLM operators share the canvas queue. */
export const TASK_QUEUES = {
  canvas: 'flowsteer-canvas',
  sandbox: 'flowsteer-sandbox',
  learner: 'cwrpo-learner',
} as const;

export type TaskQueueName = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];
