import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, defaultArtifactsDir, type ActivityDeps } from './activities';
import { WORKSPACE_ROOT, workerWorkflowOptions } from '@flowsteer/temporal-runtime';
import type { WorkerConfig } from './config';

/** Builds (does not run) the canvas worker: workflows from the bundle, activities in-process. */
export async function createCanvasWorker(connection: NativeConnection, config: WorkerConfig, deps: Partial<ActivityDeps> = {}): Promise<Worker> {
  const workflows = config.workflowBundlePath
    ? { workflowBundle: { codePath: config.workflowBundlePath } }
    : workerWorkflowOptions();
  return Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    identity: config.identity,
    activities: await createActivities({ identity: config.identity, artifactsDir: defaultArtifactsDir(process.env, WORKSPACE_ROOT), ...deps }),
    ...workflows,
  });
}
