import { condition, setHandler } from '@temporalio/workflow';
import { pauseSignal, resumeSignal, stopSignal, type RunPhase } from '@flowsteer/contracts';

/**
 * The pause / resume / stop-after-the-current-unit controls every long run shares (evalRun,
 * cwrpoTraining), with the phase the `progress` query reports.
 */
export class RunControl {
  phase: RunPhase = 'starting';
  paused: boolean;
  stopReason: string | null = null;

  constructor(startPaused = false) {
    this.paused = startPaused;
    setHandler(pauseSignal, () => {
      this.paused = true;
      if (this.phase === 'running') this.phase = 'paused';
    });
    setHandler(resumeSignal, () => {
      this.paused = false;
      if (this.phase === 'paused') this.phase = 'running';
    });
    setHandler(stopSignal, (reason?: string) => {
      this.stopReason = reason ?? 'stopped by request';
      this.paused = false;
      this.phase = 'stopping';
    });
  }

  get stopping(): boolean {
    return this.stopReason !== null;
  }

  /** The run's setup is done: it runs now, or waits paused if a pause came in meanwhile. */
  begin(): void {
    if (this.phase === 'starting') this.phase = this.paused ? 'paused' : 'running';
  }

  /** True while new work may start (not paused, or a stop makes waiting pointless). */
  readonly mayProceed = (): boolean => !this.paused || this.stopReason !== null;

  waitUntilMayProceed(): Promise<void> {
    return condition(this.mayProceed);
  }
}
