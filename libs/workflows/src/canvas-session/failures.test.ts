import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure } from '@temporalio/common';
import { classifyFailure, outageBackoffMs, sandboxPoolDown } from './failures';

const activityFailure = (cause: Error) =>
  new ActivityFailure('activity failed', 'runOperator', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);
const llm = (kind: string, ledger: unknown[] = []) =>
  ApplicationFailure.create({ type: `LlmError.${kind}`, message: `backend "x": ${kind}`, nonRetryable: true, details: [{ ledger }] });

describe('classifyFailure', () => {
  it('treats a backend that does not answer as an outage, with the calls it cost', () => {
    for (const kind of ['rate-limit', 'server', 'timeout', 'connection', 'bad-response']) {
      expect(classifyFailure(activityFailure(llm(kind, [{ attempts: 3, failed: true }])))).toMatchObject({
        kind: 'outage',
        ledger: [{ attempts: 3 }],
      });
    }
    expect(classifyFailure(activityFailure(new TimeoutFailure('timed out', undefined, 'HEARTBEAT'))).kind).toBe('outage');
  });

  it('fails on configuration errors and feeds task errors back', () => {
    for (const kind of ['unknown-backend', 'auth', 'config', 'model-missing'])
      expect(classifyFailure(activityFailure(llm(kind))).kind).toBe('config');
    expect(classifyFailure(activityFailure(ApplicationFailure.create({ type: 'SandboxUnavailable', message: 'no sandbox' }))).kind).toBe(
      'config',
    );
    expect(classifyFailure(activityFailure(llm('bad-request'))).kind).toBe('task');
    expect(classifyFailure(activityFailure(ApplicationFailure.create({ type: 'EmptyOperatorOutput', message: 'empty' }))).message).toBe(
      'empty',
    );
  });

  it('names a sandbox pool that is down (schedule-to-start), and only that', () => {
    const notTaken = activityFailure(new TimeoutFailure('not started', undefined, 'SCHEDULE_TO_START'));
    expect(sandboxPoolDown(notTaken, 'flowsteer-sandbox', 'the code run of node_2 Programmer')).toMatch(
      /^sandbox unavailable: no sandbox worker took the code run of node_2 Programmer from task queue "flowsteer-sandbox" in time .*flowsteer up/,
    );
    expect(sandboxPoolDown(activityFailure(new TimeoutFailure('dead', undefined, 'HEARTBEAT')), 'q', 'x')).toBeUndefined();
    expect(
      sandboxPoolDown(activityFailure(ApplicationFailure.create({ type: 'SandboxUnavailable', message: 'no' })), 'q', 'x'),
    ).toBeUndefined();
  });

  it('backs off from the first wait to at most five minutes', () => {
    expect([0, 1, 2, 3, 4, 5].map((t) => outageBackoffMs(t))).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 300_000]);
    expect(outageBackoffMs(2, 500)).toBe(2_000);
  });
});
