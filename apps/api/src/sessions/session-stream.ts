import { Observable, defer, finalize, shareReplay } from 'rxjs';
import type { CanvasView } from '@flowsteer/contracts';

/** One server-sent event as Nest's `@Sse()` writes it. */
export interface SseMessage {
  type: 'canvas' | 'end' | 'error';
  data: unknown;
  id?: string;
}

export interface WatchSource {
  /** Cheap (no worker involved): the execution status and a version that changes with every new history event. */
  state(signal: AbortSignal): Promise<{ executionStatus: string; version: string }>;
  /** The `canvas` query (a worker answers it). */
  canvas(signal: AbortSignal): Promise<CanvasView>;
}

export interface WatchTiming {
  pollMs: number;
  maxPollMs: number;
}

/**
 * Live progress of one session. Asks Temporal for the execution's state (describe: status and
 * history length, no worker involved) and asks the worker for the canvas only when the history
 * grew; while nothing changes the interval doubles up to `maxPollMs`, and drops back to `pollMs` at
 * the next change. Emits `canvas` when the view changed, then `end` with the execution status when
 * the workflow closed (or `error`), and completes. Unsubscribing stops the polling.
 */
export function watchSession(source: WatchSource, timing: WatchTiming): Observable<SseMessage> {
  return new Observable<SseMessage>((subscriber) => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const abort = new AbortController(); // nobody listens any more: calls in flight are cancelled
    let lastVersion = '';
    let lastView = '';
    let seq = 0;
    let delay = timing.pollMs;
    const tick = async () => {
      try {
        const { executionStatus, version } = await source.state(abort.signal);
        if (version !== lastVersion) {
          lastVersion = version;
          delay = timing.pollMs;
          const view = await source.canvas(abort.signal);
          const text = JSON.stringify(view);
          if (text !== lastView) {
            lastView = text;
            subscriber.next({ type: 'canvas', data: view, id: String(++seq) });
          }
        } else {
          delay = Math.min(delay * 2, timing.maxPollMs);
        }
        if (executionStatus !== 'RUNNING') {
          subscriber.next({ type: 'end', data: { executionStatus }, id: String(++seq) });
          subscriber.complete();
          return;
        }
      } catch (err) {
        if (stopped) return;
        subscriber.next({ type: 'error', data: { message: (err as Error).message.split('\n')[0] }, id: String(++seq) });
        subscriber.complete();
        return;
      }
      if (!stopped) timer = setTimeout(() => void tick(), delay);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
    };
  });
}

/**
 * One watch per session, shared by every stream that follows it (a late subscriber gets the latest
 * view at once): N browsers on one session cost what one does.
 */
export class SharedWatches {
  private readonly watches = new Map<string, Observable<SseMessage>>();

  constructor(private readonly timing: WatchTiming) {}

  get size(): number {
    return this.watches.size;
  }

  follow(sessionId: string, source: () => WatchSource): Observable<SseMessage> {
    return defer(() => {
      let shared = this.watches.get(sessionId);
      if (!shared) {
        shared = watchSession(source(), this.timing).pipe(
          finalize(() => this.watches.delete(sessionId)),
          shareReplay({ bufferSize: 1, refCount: true }),
        );
        this.watches.set(sessionId, shared);
      }
      return shared;
    });
  }
}
