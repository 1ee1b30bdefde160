import { proxyActivities } from '@temporalio/workflow';

/**
 * The engine's floor (issue 18): the same activities, in the same groups (one group = the
 * activities one workflow task scheduled together), each sleeping as long as the real one took,
 * and nothing else: no canvas, no search attributes, no queries, no payloads worth the name.
 * What a session costs beyond this is ours; what this costs is Temporal's on this machine.
 */
const { sleepFor } = proxyActivities<{ sleepFor(ms: number): Promise<void> }>({ startToCloseTimeout: '5 minutes' });

export async function floorSession(groups: number[][]): Promise<number> {
  let activities = 0;
  for (const group of groups) {
    await Promise.all(group.map((ms) => sleepFor(ms)));
    activities += group.length;
  }
  return activities;
}
