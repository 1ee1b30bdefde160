/** The paper's protocol applied to loaded tasks: stratified by `task.stratum`, seeded per dataset. */
import type { BenchTask } from '@flowsteer/contracts';
import { PAPER_SAMPLE_SIZE, PAPER_SEED, stratifiedSample } from './stratified-sample';

export interface TaskSampleOptions {
  /** items per dataset (paper: 128); all items when the dataset is smaller (AIME 2025: 30). */
  perDataset?: number;
  seed?: number;
}

/** Sample one dataset's tasks; the stream is seeded by `seed` and the dataset name. */
export function sampleTasks(tasks: readonly BenchTask[], opts: TaskSampleOptions = {}): BenchTask[] {
  const dataset = tasks[0]?.dataset ?? '';
  return stratifiedSample(tasks, {
    n: opts.perDataset ?? PAPER_SAMPLE_SIZE,
    seed: opts.seed ?? PAPER_SEED,
    label: dataset,
    stratumOf: (t) => t.stratum,
  });
}
