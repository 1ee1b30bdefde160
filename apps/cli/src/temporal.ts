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

/** Identities of the workers currently polling a task queue for workflow (or activity) tasks. */
export async function pollersOf(client: Client, taskQueue: string, type: 'workflow' | 'activity' = 'workflow'): Promise<string[]> {
  const response = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: type === 'workflow' ? temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  return (response.pollers ?? []).map((p) => p.identity ?? '?');
}
