import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingStepMetrics } from '@flowsteer/contracts';
import { renderSvg, trainingCurvesSpec } from '@flowsteer/charts';
import { eventFile } from './tensorboard';

export interface StepRecord extends TrainingStepMetrics {
  /** When this CLI first saw the step (ms since epoch): the TensorBoard wall time. */
  time: number;
}

/** One event file per run, rewritten whole each time (its content only grows, so readers keep up). */
export const EVENT_FILE = 'events.out.tfevents.0.flowsteer';

function writeAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/**
 * The run's folder `.flowsteer/runs/<name>/`: `metrics.jsonl` (one line per step), `plot.svg`
 * (training curves: reward ± s.e., R_div, R_ans, correctness, KL, clipped fraction, tokens/s; Vega-Lite) and a TensorBoard event file (`tensorboard --logdir`).
 */
export class RunFiles {
  readonly metrics: string;
  readonly plot: string;
  readonly events: string;
  private readonly steps = new Map<number, StepRecord>();

  constructor(
    readonly dir: string,
    private readonly title: string,
  ) {
    this.metrics = join(dir, 'metrics.jsonl');
    this.plot = join(dir, 'plot.svg');
    this.events = join(dir, EVENT_FILE);
    if (existsSync(this.metrics)) {
      for (const line of readFileSync(this.metrics, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const r = JSON.parse(line) as StepRecord;
          if (Number.isInteger(r.step)) this.steps.set(r.step, r);
        } catch {
          // a torn last line from an interrupted write: the step comes back from the progress query
        }
      }
    }
  }

  /** Adds the steps not seen yet and rewrites the files; returns the new ones, oldest first. */
  async merge(history: readonly TrainingStepMetrics[], now = Date.now()): Promise<StepRecord[]> {
    const fresh: StepRecord[] = [];
    for (const h of history) {
      if (this.steps.has(h.step)) continue;
      const r: StepRecord = { ...h, time: now };
      this.steps.set(h.step, r);
      fresh.push(r);
    }
    if (fresh.length || !existsSync(this.plot)) await this.write();
    return fresh.sort((a, b) => a.step - b.step);
  }

  all(): StepRecord[] {
    return [...this.steps.values()].sort((a, b) => a.step - b.step);
  }

  private async write(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const all = this.all();
    writeAtomic(this.metrics, all.map((r) => JSON.stringify(r)).join('\n') + (all.length ? '\n' : ''));
    writeAtomic(this.plot, await renderSvg(trainingCurvesSpec(this.title, all)));
    writeAtomic(this.events, eventFile(all));
  }
}
