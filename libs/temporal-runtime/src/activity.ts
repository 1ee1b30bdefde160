import { Context } from '@temporalio/activity';

/** The running activity's context, or `undefined` outside an activity (plain tests, scripts). */
export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * The context to heartbeat through: a regular activity's. A local activity has no heartbeats (the
 * server never sees it; its worker keeps the workflow task alive instead), and beating there only
 * fails in the SDK's core with a warning each time.
 */
function beatingContext(): Context | undefined {
  const ctx = activityContext();
  return ctx && !ctx.info.isLocal ? ctx : undefined;
}

/** Heartbeats when running inside a regular activity; a no-op elsewhere, so callers stay usable outside a worker. */
export function heartbeat(details?: unknown): void {
  beatingContext()?.heartbeat(details);
}

/**
 * Runs `work` and heartbeats `details()` while it is in flight: a call that waits (an LLM request
 * queued behind others, a code run, another workflow's result) must not look like a dead worker.
 * Beats once at the start, then every `everyMs`, by default a third of the activity's heartbeat
 * timeout (0.1 to 10 s), or 10 s when it has none. Outside a regular activity (none, or a local one)
 * it only runs `work`.
 */
export async function withHeartbeat<T>(details: () => unknown, work: () => Promise<T>, options: { everyMs?: number } = {}): Promise<T> {
  const ctx = beatingContext();
  if (!ctx) return work();
  const timeout = ctx.info.heartbeatTimeoutMs;
  const every = options.everyMs ?? (timeout ? Math.max(100, Math.min(10_000, Math.floor(timeout / 3))) : 10_000);
  ctx.heartbeat(details());
  const timer = setInterval(() => ctx.heartbeat(details()), every);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
