// A deliberately changed healthCheck (an extra timer before the activity). Replaying recorded
// histories against it must fail: this is what the replay harness exists to catch.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { HealthCheckActivities, HealthCheckInput, HealthCheckResult } from '@flowsteer/contracts';

const { echo } = proxyActivities<HealthCheckActivities>({ startToCloseTimeout: '30 seconds' });

export async function healthCheck(input: HealthCheckInput): Promise<HealthCheckResult> {
  await sleep('1 second');
  const { echoed, workerIdentity } = await echo(input.message);
  return { echoed, workerIdentity, steps: [] };
}
