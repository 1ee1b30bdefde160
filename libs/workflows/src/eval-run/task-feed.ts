import type { BenchTask, EvalDatasetPlan, EvalRunInput } from '@flowsteer/contracts';
import type { EvalActivityProxies } from './proxies';

/** Where the run is in its sample: the dataset's index in the plan and the item's offset in it. */
export interface EvalCursor {
  dataset: number;
  offset: number;
}

/** Tasks of the sample, fetched in chunks from the `evalTasks` activity as the run reaches them. */
export class TaskFeed {
  private chunk: { dataset: number; offset: number; tasks: BenchTask[] } | null = null;
  constructor(
    private readonly plan: EvalDatasetPlan[],
    private readonly input: EvalRunInput,
    private readonly acts: EvalActivityProxies,
  ) {}

  async at(cursor: EvalCursor): Promise<BenchTask | undefined> {
    const c = this.chunk;
    if (!c || c.dataset !== cursor.dataset || cursor.offset < c.offset || cursor.offset >= c.offset + c.tasks.length) {
      const dataset = this.plan[cursor.dataset]?.dataset as string;
      const limit = Math.max(8, Math.min(32, this.input.concurrency * 2));
      const tasks = await this.acts.evalTasks.executeWithOptions({ summary: `tasks · ${dataset} ${cursor.offset}+${limit}` }, [
        { dataset, perDataset: this.input.perDataset, seed: this.input.seed, offset: cursor.offset, limit },
      ]);
      this.chunk = { dataset: cursor.dataset, offset: cursor.offset, tasks };
    }
    const now = this.chunk as { offset: number; tasks: BenchTask[] };
    return now.tasks[cursor.offset - now.offset];
  }
}

/** The cursor moved to the next item, across dataset ends. */
export function advance(cursor: EvalCursor, plan: EvalDatasetPlan[]): EvalCursor {
  const offset = cursor.offset + 1;
  return offset >= (plan[cursor.dataset]?.total ?? 0) ? { dataset: cursor.dataset + 1, offset: 0 } : { dataset: cursor.dataset, offset };
}
