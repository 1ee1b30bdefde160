import { hostname } from 'node:os';
import { TASK_QUEUES } from '@flowsteer/contracts';

export interface WorkerConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  identity: string;
  /** Pre-built workflow bundle; when absent the worker bundles the workflow sources at start. */
  workflowBundlePath?: string;
}

/** Reads the worker's settings from the environment; every one has a local default. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return {
    address: env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.FLOWSTEER_TEMPORAL_PORT ?? '7233'}`,
    namespace: env.TEMPORAL_NAMESPACE ?? env.FLOWSTEER_TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.FLOWSTEER_TASK_QUEUE ?? TASK_QUEUES.canvas,
    identity: env.FLOWSTEER_WORKER_IDENTITY ?? `flowsteer-worker@${hostname()}:${process.pid}`,
    workflowBundlePath: env.FLOWSTEER_WORKFLOW_BUNDLE || undefined,
  };
}
