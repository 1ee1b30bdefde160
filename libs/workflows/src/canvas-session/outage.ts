import { condition } from '@temporalio/workflow';
import { DEFAULT_OUTAGE_BUDGET_SEC, type SessionInput } from '@flowsteer/contracts';
import { setStatus, type SessionControl } from './control';
import { BackendOutage, outageBackoffMs } from './failures';
import type { SessionRecord } from './session-record';

/** The outage budget ran out: the session ends `backend-unavailable` with this reason. */
export class OutageBudgetSpent extends Error {
  override readonly name = 'OutageBudgetSpent';
}

/** A stop was asked for while the session waited for a backend. */
export class StoppedDuringOutage extends Error {
  override readonly name = 'StoppedDuringOutage';
}

/**
 * Runs `step` until it gets past a backend outage. Each `BackendOutage` puts the session in
 * `waiting-for-backend` and waits on a durable timer (15 s doubling to 5 min, never past the end
 * of the outage budget) before trying again; a failure once the outage has lasted the whole budget
 * gives up with `OutageBudgetSpent`. A stop request ends the wait at once. When the step succeeds
 * the outage is over and the session is `running` (or `paused`) again.
 */
export async function withOutageWaits<T>(
  record: SessionRecord,
  control: SessionControl,
  input: SessionInput,
  step: () => Promise<T>,
): Promise<T> {
  const budgetMs = (input.limits.outageBudgetSec ?? DEFAULT_OUTAGE_BUDGET_SEC) * 1000;
  let tries = 0;
  for (;;) {
    try {
      const value = await step();
      if (control.outage) endOutage(record, control);
      return value;
    } catch (err) {
      if (!(err instanceof BackendOutage)) throw err;
      const now = Date.now();
      const outage = control.outage ?? { since: now, waitedMs: 0, reason: err.message };
      const remaining = budgetMs - (now - outage.since);
      if (remaining <= 0) {
        throw new OutageBudgetSpent(
          `the ${err.role} backend did not answer for ${Math.round((now - outage.since) / 1000)} s (outage budget ${budgetMs / 1000} s): ${err.message}`,
        );
      }
      const wait = Math.min(remaining, outageBackoffMs(tries++, (input.limits.outageRetrySec ?? 15) * 1000));
      control.outage = { ...outage, reason: err.message };
      control.waiting = { since: outage.since, reason: err.message, nextTryAt: now + wait };
      record.waitingReason = err.message;
      setStatus(record, 'waiting-for-backend');
      const stopped = await condition(() => control.stopRequested !== null, wait);
      control.outage = { ...control.outage, waitedMs: control.outage.waitedMs + (Date.now() - now) };
      if (stopped)
        throw new StoppedDuringOutage(`${control.stopRequested ?? 'stopped'} (while waiting for the ${err.role} backend: ${err.message})`);
    }
  }
}

function endOutage(record: SessionRecord, control: SessionControl): void {
  control.outage = undefined;
  control.waiting = undefined;
  record.waitingReason = undefined;
  setStatus(record, control.paused ? 'paused' : 'running');
}
