import type { NativeConnection } from '@temporalio/worker';
import { sandboxQueueFor } from '@flowsteer/contracts';
import type { SandboxRunner } from '@flowsteer/sandbox';
import { createSandboxWorker } from '../worker';

export interface RunningSandboxWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/**
 * Starts the sandbox worker that goes with a test's canvas queue (`sandboxQueueFor`), sharing its
 * artifact store. `sandbox`: a runner, `null` for a machine without isolation (code runs fail with
 * SandboxUnavailable, code answers are not scored), or undefined to probe the real one.
 */
export async function startSandboxWorkerFor(
  connection: NativeConnection,
  canvasQueue: string,
  artifactsDir: string,
  sandbox: SandboxRunner | null | undefined,
  identity = `sandbox-test@${process.pid}`,
  namespace = 'default',
): Promise<RunningSandboxWorker> {
  const taskQueue = sandboxQueueFor(canvasQueue);
  const worker = await createSandboxWorker(connection, { namespace, identity, sandboxTaskQueue: taskQueue }, { artifactsDir, sandbox });
  const running = worker.run();
  return {
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}
