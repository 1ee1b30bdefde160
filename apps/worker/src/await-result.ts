import { Context } from '@temporalio/activity';
import { withHeartbeat } from '@flowsteer/temporal-runtime/activity';

/**
 * Waits, inside an activity, for another workflow's result: heartbeats every 10 s, and confirms a
 * cancellation (worker shutdown, timeout, the caller cancelled) at once. The client's long poll for
 * the result does not see the activity's cancellation by itself, so without the race a worker that
 * shuts down would wait for the other workflow to end.
 */
export async function awaitWorkflowResult<T>(workflowId: string): Promise<T> {
  const ctx = Context.current();
  const waiting = ctx.client.workflow.getHandle(workflowId).result() as Promise<T>;
  waiting.catch(() => undefined); // settles after a cancellation too: nobody else listens then
  return withHeartbeat(
    () => workflowId,
    () => Promise.race([waiting, ctx.cancelled]),
    { everyMs: 10_000 },
  );
}
