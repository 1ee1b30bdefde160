import { join } from 'node:path';
import { userInfo } from 'node:os';
import { sandboxQueueFor } from '@flowsteer/contracts';
import { flowsteerHome, WORKSPACE_ROOT } from '@flowsteer/artifacts';

export { flowsteerHome, WORKSPACE_ROOT };

export function runtimePaths(env: NodeJS.ProcessEnv = process.env) {
  const home = flowsteerHome(env);
  return {
    home,
    logs: join(home, 'logs'),
    workerPid: join(home, 'worker', 'worker.pid'),
    workerLog: join(home, 'logs', 'worker.log'),
    sandboxWorkerPid: join(home, 'worker', 'sandbox-worker.pid'),
    sandboxWorkerLog: join(home, 'logs', 'sandbox-worker.log'),
    temporalScripts: join(WORKSPACE_ROOT, 'temporal'),
  };
}

export function temporalAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPORAL_ADDRESS ?? `${env.FLOWSTEER_TEMPORAL_HOST ?? '127.0.0.1'}:${env.FLOWSTEER_TEMPORAL_PORT ?? '7233'}`;
}

export function temporalUiUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.FLOWSTEER_TEMPORAL_UI_URL ?? `http://${env.FLOWSTEER_TEMPORAL_HOST ?? '127.0.0.1'}:${env.FLOWSTEER_TEMPORAL_UI_PORT ?? '8233'}`
  );
}

export function temporalNamespace(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPORAL_NAMESPACE ?? env.FLOWSTEER_TEMPORAL_NAMESPACE ?? 'default';
}

/** The task queue sessions are started on: the worker's (FLOWSTEER_TASK_QUEUE), else the canvas queue. */
export function canvasTaskQueue(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLOWSTEER_TASK_QUEUE ?? 'flowsteer-canvas';
}

/** The sandbox queue the worker's sessions send their code to (as apps/worker/src/config.ts reads it). */
export function sandboxTaskQueue(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLOWSTEER_SANDBOX_TASK_QUEUE ?? sandboxQueueFor(canvasTaskQueue(env));
}

/**
 * The owner the CLI records on what it starts (`FlowSteerOwner`): `FLOWSTEER_OWNER`, else `cli-<user>`.
 * The CLI talks to Temporal directly (it is trusted like an admin); the owner lets the REST API and
 * the Temporal UI tell whose work it is.
 */
export function cliOwner(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOWSTEER_OWNER) return env.FLOWSTEER_OWNER;
  let user = env.USER || env.LOGNAME || '';
  try {
    user ||= userInfo().username;
  } catch {
    // no passwd entry (containers): fall back below
  }
  return `cli-${(user || 'user').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 59)}`;
}
