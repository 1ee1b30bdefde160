import { MockActivityEnvironment } from '@temporalio/testing';
import { activityContext, heartbeat, withHeartbeat } from './activity';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('withHeartbeat', () => {
  it('outside an activity only runs the work', async () => {
    expect(activityContext()).toBeUndefined();
    expect(() => heartbeat('ignored')).not.toThrow();
    await expect(
      withHeartbeat(
        () => 'x',
        async () => 42,
      ),
    ).resolves.toBe(42);
  });

  it('beats at once, then every third of the heartbeat timeout, with fresh details, and stops when the work ends', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 300 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    let n = 0;
    const result = await env.run(() =>
      withHeartbeat(
        () => ++n,
        () => sleep(550).then(() => 'done'),
      ),
    );
    expect(result).toBe('done');
    expect(beats[0]).toBe(1);
    expect(beats.length).toBeGreaterThanOrEqual(4); // 0, 100, 200, ... ms
    expect(beats).toEqual([...beats].sort((a, b) => Number(a) - Number(b)));
    const after = beats.length;
    await sleep(300);
    expect(beats.length).toBe(after);
  });

  it('stops beating when the work fails, and passes the failure on', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 300 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    await expect(
      env.run(() =>
        withHeartbeat(
          () => 'b',
          () => sleep(150).then(() => Promise.reject(new Error('boom'))),
        ),
      ),
    ).rejects.toThrow('boom');
    const after = beats.length;
    await sleep(250);
    expect(beats.length).toBe(after);
  });

  it('an explicit interval wins over the timeout rule', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 30_000 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    await env.run(() =>
      withHeartbeat(
        () => 'b',
        () => sleep(260),
        { everyMs: 50 },
      ),
    );
    expect(beats.length).toBeGreaterThanOrEqual(4);
  });

  it('in a local activity never beats (the server does not know it; the SDK would only warn)', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 300, isLocal: true });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const result = await env.run(async () => {
      heartbeat('direct');
      return withHeartbeat(
        () => 'b',
        () => sleep(250).then(() => 'done'),
      );
    });
    expect(result).toBe('done');
    expect(beats).toEqual([]);
  });
});
