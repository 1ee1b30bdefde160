import { Observable } from 'rxjs';
import type { CanvasView } from '@flowsteer/contracts';

/** One server-sent event as Nest's `@Sse()` writes it. */
export interface SseMessage {
  type: 'canvas' | 'end' | 'error';
  data: unknown;
  id?: string;
}

export interface StreamSource {
  canvas(): Promise<CanvasView>;
  executionStatus(): Promise<string>;
}

/**
 * Live progress of a session: polls the `canvas` query every `pollMs` and emits a `canvas` event
 * whenever the view changes; when the workflow has closed it emits the last view and an `end` event
 * with the execution status, then completes. A failing poll emits `error` and ends the stream.
 * Unsubscribing (the client went away) stops the polling.
 */
export function canvasStream(source: StreamSource, pollMs: number): Observable<SseMessage> {
  return new Observable<SseMessage>((subscriber) => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let last = '';
    let seq = 0;
    const emitIfChanged = (view: CanvasView) => {
      const text = JSON.stringify(view);
      if (text === last) return;
      last = text;
      subscriber.next({ type: 'canvas', data: view, id: String(++seq) });
    };
    const tick = async () => {
      try {
        const status = await source.executionStatus();
        emitIfChanged(await source.canvas());
        if (status !== 'RUNNING') {
          subscriber.next({ type: 'end', data: { executionStatus: status }, id: String(++seq) });
          subscriber.complete();
          return;
        }
      } catch (err) {
        subscriber.next({ type: 'error', data: { message: (err as Error).message }, id: String(++seq) });
        subscriber.complete();
        return;
      }
      if (!stopped) timer = setTimeout(() => void tick(), pollMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  });
}
