import { workflowInfo } from '@temporalio/workflow';

/**
 * What local activities have added to the history that `workflowInfo()` does not show yet.
 *
 * A local activity's result becomes a marker when its workflow task completes, and the worker keeps
 * that task open while local activities keep finishing (up to its heartbeat, ~80% of the 10 s task
 * timeout). `historyLength` and `historySize` are those of the task's start, so a session of fast
 * local turns would see a stale size and pass its history budget unnoticed. The session notes each
 * local result here; the note is dropped once a new workflow task shows the history grown.
 */
export class UnsyncedHistory {
  private seenLength = -1;
  private events = 0;
  private bytes = 0;

  /** A local activity finished with `result` (a marker, plus room for the turn's other commands). */
  note(result: unknown): void {
    this.sync();
    this.events += 2;
    this.bytes += 512 + (JSON.stringify(result)?.length ?? 0);
  }

  /** The history as the server will have it once the current workflow task completes (an estimate from above). */
  estimate(): { length: number; size: number } {
    this.sync();
    const info = workflowInfo();
    return { length: info.historyLength + this.events, size: info.historySize + this.bytes };
  }

  /**
   * Whether the open workflow task holds so much that it should complete before the next turn: one
   * completion carries every marker it holds, and the server refuses very large requests.
   */
  tooMuchPending(): boolean {
    this.sync();
    return this.bytes >= 1_000_000 || this.events >= 500;
  }

  private sync(): void {
    const length = workflowInfo().historyLength;
    if (length !== this.seenLength) {
      this.seenLength = length;
      this.events = 0;
      this.bytes = 0;
    }
  }
}
