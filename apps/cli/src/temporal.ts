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

/**
 * Identities of the workers currently polling a task queue: for workflow and activity tasks, or
 * for one kind only (the sandbox and learner workers have no workflows: they poll activities).
 */
export async function pollersOf(client: Client, taskQueue: string, type?: 'workflow' | 'activity'): Promise<string[]> {
  const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;
  const types = type === 'workflow' ? [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW] : type === 'activity' ? [TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY] : [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY];
  const identities = new Set<string>();
  for (const taskQueueType of types) {
    const response = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType,
    });
    for (const p of response.pollers ?? []) identities.add(p.identity ?? '?');
  }
  return [...identities];
}
