import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { CliError } from './processes';
import { temporalAddress, temporalNamespace } from './paths';
import { temporalTlsFromEnv } from '@flowsteer/temporal-runtime';

export async function connectClient(env = process.env): Promise<{ client: Client; connection: Connection }> {
  const address = temporalAddress(env);
  let tls;
  try {
    tls = temporalTlsFromEnv(env);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  try {
    const connection = await Connection.connect({ address, tls, connectTimeout: '5s' });
    return { client: new Client({ connection, namespace: temporalNamespace(env) }), connection };
  } catch (err) {
    throw new CliError(`cannot reach Temporal at ${address} (${(err as Error).message}); run \`npx flowsteer up\` first`);
  }
}

/** A worker polling a task queue: its identity, what it polls for, and its build id (worker versioning). */
export interface QueuePoller {
  identity: string;
  workflow: boolean;
  activity: boolean;
  /** The deployment version's build id, or the legacy versioning build id; absent when unversioned. */
  buildId?: string;
  deploymentName?: string;
}

/** The workers currently polling a task queue, for workflow and activity tasks or one kind only. */
export async function describePollers(client: Client, taskQueue: string, type?: 'workflow' | 'activity'): Promise<QueuePoller[]> {
  const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;
  const kinds =
    type === 'workflow' ? (['workflow'] as const) : type === 'activity' ? (['activity'] as const) : (['workflow', 'activity'] as const);
  const byIdentity = new Map<string, QueuePoller>();
  for (const kind of kinds) {
    const response = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: kind === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    for (const p of response.pollers ?? []) {
      const identity = p.identity ?? '?';
      const entry = byIdentity.get(identity) ?? { identity, workflow: false, activity: false };
      entry[kind] = true;
      const buildId = p.deploymentOptions?.buildId || p.workerVersionCapabilities?.buildId || undefined;
      if (buildId) entry.buildId = buildId;
      if (p.deploymentOptions?.deploymentName) entry.deploymentName = p.deploymentOptions.deploymentName;
      byIdentity.set(identity, entry);
    }
  }
  return [...byIdentity.values()];
}

/** One line per poller: `identity (workflow+activity, build 1.4.0 of flowsteer)`. */
export function pollerLine(p: QueuePoller): string {
  const polls = [p.workflow ? 'workflow' : '', p.activity ? 'activity' : ''].filter(Boolean).join('+');
  const build = p.buildId ? `, build ${p.buildId}${p.deploymentName ? ` of ${p.deploymentName}` : ''}` : ', unversioned';
  return `${p.identity} (${polls}${build})`;
}

/**
 * Identities of the workers currently polling a task queue: for workflow and activity tasks, or
 * for one kind only (the sandbox and learner workers have no workflows: they poll activities).
 */
export async function pollersOf(client: Client, taskQueue: string, type?: 'workflow' | 'activity'): Promise<string[]> {
  return (await describePollers(client, taskQueue, type)).map((p) => p.identity);
}
