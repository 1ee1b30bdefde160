// A workflow that continues as new until `runs` executions exist; each run sleeps once.
import { continueAsNew, sleep } from '@temporalio/workflow';

export async function chained(runs: number, run = 1): Promise<number> {
  await sleep(10);
  if (run < runs) await continueAsNew<typeof chained>(runs, run + 1);
  return run;
}
