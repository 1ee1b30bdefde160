import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { HealthCheckActivities, HealthCheckInput, HealthCheckResult } from '@flowsteer/contracts';

// The workflow's own task queue (no taskQueue here), so it checks whichever worker pool serves it.
const { echo } = proxyActivities<HealthCheckActivities>({
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
