import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { FloorCall } from './floor';

/**
 * The engine's floor (issue 18): the same activities, in the same groups (one group = the
 * activities one workflow task scheduled together), each sleeping as long as the real one took,
 * local where the session's are local, and nothing else: no canvas, no search attributes, no
 * queries, no payloads worth the name. What a session costs beyond this is ours; what this costs
 * is Temporal's on this machine.
 */
type Sleep = { sleepFor(ms: number): Promise<void> };
const remote = proxyActivities<Sleep>({ startToCloseTimeout: '5 minutes' });
const local = proxyLocalActivities<Sleep>({ startToCloseTimeout: '5 minutes' });

export async function floorSession(groups: FloorCall[][]): Promise<number> {
  let activities = 0;
  for (const group of groups) {
    await Promise.all(group.map((c) => (c.local ? local : remote).sleepFor(c.ms)));
    activities += group.length;
  }
  return activities;
}
