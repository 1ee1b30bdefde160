import { Context } from '@temporalio/activity';

/**
 * Heartbeats when running inside a Temporal activity; a no-op elsewhere (plain tests, scripts), so
 * operator code stays callable outside a worker.
 */
export function heartbeat(details?: unknown): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.heartbeat(details);
}
