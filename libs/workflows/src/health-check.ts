import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { TASK_QUEUES, type HealthCheckActivities, type HealthCheckInput, type HealthCheckResult } from '@flowsteer/contracts';

const { echo } = proxyActivities<HealthCheckActivities>({
  taskQueue: TASK_QUEUES.canvas,
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

/** Round trip through one activity: proves server, worker, bundle and activities agree. */
export async function healthCheck(input: HealthCheckInput): Promise<HealthCheckResult> {
  const steps = [`started ${workflowInfo().workflowId}`];
  const { echoed, workerIdentity } = await echo(input.message);
  steps.push(`echo answered by ${workerIdentity}`);
  return { echoed, workerIdentity, steps };
}
