import { HEALTH_CHECK_WORKFLOW, TASK_QUEUES, type HealthCheckResult } from '@flowsteer/contracts';
import { temporalUiUrl, temporalNamespace } from '../paths';
import { connectClient } from '../temporal';

/** `flowsteer health`: runs the minimal workflow through the running worker and prints its link. */
export async function health(message: string): Promise<void> {
  const { client, connection } = await connectClient();
  try {
    const workflowId = `health-${Date.now().toString(36)}`;
    const handle = await client.workflow.start(HEALTH_CHECK_WORKFLOW, {
      taskQueue: TASK_QUEUES.canvas,
      workflowId,
      args: [{ message }],
      workflowExecutionTimeout: '2 minutes',
    });
    const result = (await handle.result()) as HealthCheckResult;
    console.log(`healthCheck ${workflowId}: echoed "${result.echoed}" via ${result.workerIdentity}`);
    console.log(`${temporalUiUrl()}/namespaces/${temporalNamespace()}/workflows/${workflowId}`);
  } finally {
    await connection.close();
  }
}
