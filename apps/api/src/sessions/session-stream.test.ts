import { lastValueFrom, toArray } from 'rxjs';
import type { CanvasView } from '@flowsteer/contracts';
import { SharedWatches, watchSession, type SseMessage, type WatchSource } from './session-stream';

const view = (turn: number): CanvasView => ({
  dsl: `step ${turn}`,
  status: 'running',
  turn,
  maxTurns: 20,
  state: {},
  run: 0,
  segments: [],
});

/** A session whose history does not change for a while; counts what the stream asks. */
function idleSource() {
  const calls = { state: 0, canvas: 0 };
  let version = 1;
  let status = 'RUNNING';
  const source: WatchSource = {
    state: async () => {
      calls.state += 1;
      return { executionStatus: status, version: String(version) };
    },
    canvas: async () => {
      calls.canvas += 1;
      return view(version);
    },
  };
  return { calls, source, change: () => void (version += 1), close: () => void (status = 'COMPLETED') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('session stream', () => {
  it('asks the worker nothing while nothing changes and backs off (a fixed 10 ms poll would ask 60 times)', async () => {
    const s = idleSource();
    const seen: SseMessage[] = [];
    const sub = watchSession(s.source, { pollMs: 10, maxPollMs: 160 }).subscribe((m) => seen.push(m));
    await sleep(600);
    expect(s.calls.canvas).toBe(1); // the first view only
    expect(s.calls.state).toBeLessThanOrEqual(10); // 10, 20, 40, 80, 160, 160, ... ms
    expect(seen.map((m) => m.type)).toEqual(['canvas']);
    s.change();
    await sleep(400);
    expect(s.calls.canvas).toBe(2); // the change is seen within one (backed-off) interval
    expect(seen.map((m) => m.type)).toEqual(['canvas', 'canvas']);
    sub.unsubscribe();
    const after = s.calls.state;
    await sleep(200);
    expect(s.calls.state).toBe(after); // unsubscribed: polling stopped
  });

  it('ends with the execution status once the workflow closed', async () => {
    const s = idleSource();
    setTimeout(() => {
      s.change();
      s.close();
    }, 50);
    const messages = await lastValueFrom(watchSession(s.source, { pollMs: 10, maxPollMs: 40 }).pipe(toArray()));
    expect(messages.map((m) => m.type)).toEqual(['canvas', 'canvas', 'end']);
    expect(messages.at(-1)?.data).toEqual({ executionStatus: 'COMPLETED' });
  });

  it('shares one watch among every stream of a session: 40 followers cost what one does', async () => {
    const s = idleSource();
    const watches = new SharedWatches({ pollMs: 10, maxPollMs: 80 });
    const received: SseMessage[][] = Array.from({ length: 40 }, () => []);
    const subs = received.map((box) => watches.follow('session-x', () => s.source).subscribe((m) => box.push(m)));
    await sleep(300);
    expect(s.calls.canvas).toBe(1);
    expect(s.calls.state).toBeLessThanOrEqual(8);
    expect(received.every((box) => box.length === 1 && box[0]?.type === 'canvas')).toBe(true);
    const late: SseMessage[] = [];
    subs.push(watches.follow('session-x', () => s.source).subscribe((m) => late.push(m)));
    expect(late.map((m) => m.type)).toEqual(['canvas']); // a late follower gets the current view at once
    for (const sub of subs) sub.unsubscribe();
    expect(watches.size).toBe(0);
  });
});
