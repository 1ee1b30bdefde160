// `chained` changed incompatibly from the second run on (two timers where history has one).
import { continueAsNew, sleep } from '@temporalio/workflow';

export async function chained(runs: number, run = 1): Promise<number> {
  await sleep(10);
  if (run > 1) await sleep(10);
  if (run < runs) await continueAsNew<typeof chained>(runs, run + 1);
  return run;
}
