import { TASK_QUEUES } from '@flowsteer/contracts';
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSandboxActivities, SANDBOX_FAILURE, SANDBOX_TASK_QUEUE } from './activity';
import { SandboxRunner } from './runner';
import { defaultRunner } from './test-support/sandboxes';

describe('runCode activity', () => {
  let runner: SandboxRunner;
  beforeAll(async () => {
    runner = await defaultRunner(2);
  });
  afterAll(() => runner.close());

  it('lives on the sandbox task queue', () => {
    expect(SANDBOX_TASK_QUEUE).toBe(TASK_QUEUES.sandbox);
    expect(SANDBOX_TASK_QUEUE).toBe('flowsteer-sandbox');
  });

  it('runs code and heartbeats while it runs', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 600 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const { runCode } = createSandboxActivities({ runner });
    const result = await env.run(runCode, { code: 'import time\ntime.sleep(1)\nprint("done")\n' });
    expect(result).toMatchObject({ stopReason: 'ok', stdout: 'done\n' });
    // One beat at the start, then one every 200 ms (a third of the heartbeat timeout).
    expect(beats.length).toBeGreaterThanOrEqual(4);
    expect(beats).toContainEqual(expect.objectContaining({ phase: 'running' }));
  });

  it('kills the program when the activity is cancelled and rethrows the cancellation', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 3000 });
    const { runCode } = createSandboxActivities({ runner, heartbeatIntervalMs: 50 });
    const started = Date.now();
    const pending = env.run(runCode, { code: 'import time\ntime.sleep(60)\n', limits: { wallTimeMs: 60_000 } });
    setTimeout(() => env.cancel(), 300);
    await expect(pending).rejects.toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(runner.stats().running).toBe(0);
  });

  it('fails non-retryably, saying how to fix it, when the worker has no isolation', async () => {
    const none = await SandboxRunner.create({ mechanism: 'rlimits', allowUnsafe: false, log: () => undefined });
    const { runCode } = createSandboxActivities({ runner: none });
    const failure = new MockActivityEnvironment().run(runCode, { code: 'print(1)' });
    await expect(failure).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(failure).rejects.toMatchObject({ type: SANDBOX_FAILURE.unavailable, nonRetryable: true });
    await expect(failure).rejects.toThrow(/setup\.sh|FLOWSTEER_SANDBOX_UNSAFE/);
    await none.close();
  });

  it('fails non-retryably on a bad request', async () => {
    const { runCode } = createSandboxActivities({ runner });
    const failure = new MockActivityEnvironment().run(runCode, { code: 'print(1)', files: { '/etc/x': '' } });
    await expect(failure).rejects.toMatchObject({ type: SANDBOX_FAILURE.badRequest, nonRetryable: true });
  });
});
