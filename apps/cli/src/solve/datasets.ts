import { loadDataset, sampleTasks } from '@flowsteer/bench';
import type { BenchTask } from '@flowsteer/contracts';
import { CliError } from '../processes';

/** Loads a benchmark from ../shared/bench (or FLOWSTEER_BENCH_DIR) and takes a seeded sample. */
export function loadDatasetTasks(name: string, limit: number, seed: number): BenchTask[] {
  let loaded;
  try {
    loaded = loadDataset(name);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  for (const p of loaded.problems.slice(0, 5)) console.error(`skipped a malformed record: ${JSON.stringify(p)}`);
  if (loaded.problems.length > 5) console.error(`... and ${loaded.problems.length - 5} more malformed records`);
  if (!loaded.tasks.length) throw new CliError(`${name}: no usable items in ${loaded.files.join(', ')}`);
  return sampleTasks(loaded.tasks, { perDataset: limit, seed });
}
