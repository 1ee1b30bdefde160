import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from './activities';
import { workerWorkflowOptions } from './bundle-options';
import type { WorkerConfig } from './config';

/** Builds (does not run) the canvas worker: workflows from the bundle, activities in-process. */
export async function createCanvasWorker(connection: NativeConnection, config: WorkerConfig): Promise<Worker> {
  const workflows = config.workflowBundlePath
    ? { workflowBundle: { codePath: config.workflowBundlePath } }
    : workerWorkflowOptions();
  return Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    identity: config.identity,
    activities: createActivities(config.identity),
    ...workflows,
  });
}
