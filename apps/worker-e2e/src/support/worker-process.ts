import { bundleWorkflowCode } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT, workflowBundleOptions } from '@flowsteer/temporal-runtime';

/** Bundles the workflow code once, so worker processes started by a test skip webpack. */
export async function writeWorkflowBundle(dir: string): Promise<string> {
  const { code } = await bundleWorkflowCode(workflowBundleOptions());
  const file = join(dir, 'workflow-bundle.js');
  writeFileSync(file, code);
  return file;
}

export interface WorkerProcess {
  child: ChildProcess;
  identity: string;
  /** stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves once the worker says it polls its task queue; rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<string>;
}

/**
 * `apps/worker/src/main.ts` as users run it (tsx), in its own process, so a test can SIGKILL it.
 * Its configuration comes from `env` (TEMPORAL_ADDRESS, FLOWSTEER_TASK_QUEUE, FLOWSTEER_BACKENDS ...).
 */
export function spawnWorkerProcess(identity: string, env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(WORKSPACE_ROOT, 'apps/worker/src/main.ts')], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...env, FLOWSTEER_WORKER_IDENTITY: identity, TSX_TSCONFIG_PATH: join(WORKSPACE_ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes(' polling ')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((how) => reject(new Error(`worker ${identity} exited (${how}) before it was ready:\n${output}`)));
  });
  return { child, identity, output: () => output, ready, exited };
}

/** SIGKILL: no drain, no goodbye; in-flight activities and workflow tasks are simply lost. */
export async function killHard(worker: WorkerProcess): Promise<string> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  return worker.exited;
}
