import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { ArtifactStore, defaultArtifactsDir, WORKSPACE_ROOT } from '@flowsteer/artifacts';
import type { SandboxRunner } from '@flowsteer/sandbox';
import { createActivities, type ActivityDeps } from './activities';
import { createSandboxWorkerActivities } from './sandbox-activities';
import { workerWorkflowOptions } from '@flowsteer/temporal-runtime';
import type { WorkerConfig } from './config';

/** What building a worker needs of the config (the connection is already made; tests omit the rest). */
export type WorkerBuildConfig = Pick<WorkerConfig, 'namespace' | 'identity'> &
  Partial<Pick<WorkerConfig, 'address' | 'slots' | 'deployment' | 'workflowBundlePath'>>;

/** Options every FlowSteer worker shares: identity, slots, versioning. */
function commonOptions(
  connection: NativeConnection,
  config: WorkerBuildConfig,
): Pick<WorkerOptions, 'connection' | 'namespace' | 'identity' | 'workerDeploymentOptions' | 'maxConcurrentActivityTaskExecutions'> {
  return {
    connection,
    namespace: config.namespace,
    identity: config.identity,
    ...(config.deployment ? { workerDeploymentOptions: config.deployment } : {}),
    ...(config.slots?.maxConcurrentActivityTaskExecutions
      ? { maxConcurrentActivityTaskExecutions: config.slots.maxConcurrentActivityTaskExecutions }
      : {}),
  };
}

/**
 * Workflow threads of a canvas worker unless FLOWSTEER_WORKFLOW_THREADS says otherwise. The SDK's
 * default is one; sessions that start and turn together queue their activations on it, and a second
 * thread took a quarter off the overhead per turn at 64 sessions on a 2-core machine (#18,
 * bench/RESULTS.md "Two workflow threads").
 */
export const DEFAULT_WORKFLOW_THREADS = 2;

/** Builds (does not run) the canvas worker: workflows from the bundle, activities in-process. */
export async function createCanvasWorker(
  connection: NativeConnection,
  config: WorkerBuildConfig & Pick<WorkerConfig, 'taskQueue'>,
  deps: Partial<ActivityDeps> = {},
): Promise<Worker> {
  const workflows = config.workflowBundlePath ? { workflowBundle: { codePath: config.workflowBundlePath } } : workerWorkflowOptions();
  return Worker.create({
    ...commonOptions(connection, config),
    workflowThreadPoolSize: DEFAULT_WORKFLOW_THREADS,
    ...config.slots,
    taskQueue: config.taskQueue,
    activities: await createActivities({
      identity: config.identity,
      artifactsDir: defaultArtifactsDir(process.env, WORKSPACE_ROOT),
      ...deps,
    }),
    ...workflows,
  });
}

/**
 * Builds the sandbox worker: the activities that run candidate code (`runCode`, `scoreSession`),
 * no workflows (so no workflow slots) and no LLM client. Run it as its own process, with an
 * environment free of backend keys (`flowsteer up` does).
 */
export async function createSandboxWorker(
  connection: NativeConnection,
  config: WorkerBuildConfig & Pick<WorkerConfig, 'sandboxTaskQueue'>,
  deps: { artifactsDir?: string; sandbox?: SandboxRunner | null } = {},
): Promise<Worker> {
  const store = new ArtifactStore(deps.artifactsDir ?? defaultArtifactsDir(process.env, WORKSPACE_ROOT));
  return Worker.create({
    ...commonOptions(connection, config),
    taskQueue: config.sandboxTaskQueue,
    activities: await createSandboxWorkerActivities({ store, ...(deps.sandbox !== undefined ? { sandbox: deps.sandbox } : {}) }),
  });
}
