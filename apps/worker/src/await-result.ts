import { Context } from '@temporalio/activity';

/**
 * Waits, inside an activity, for another workflow's result: heartbeats every 10 s, and confirms a
 * cancellation (worker shutdown, timeout, the caller cancelled) at once. The client's long poll for
 * the result does not see the activity's cancellation by itself, so without the race a worker that
 * shuts down would wait for the other workflow to end.
 */
export async function awaitWorkflowResult<T>(workflowId: string): Promise<T> {
  const ctx = Context.current();
  const beat = setInterval(() => ctx.heartbeat(workflowId), 10_000);
  const waiting = ctx.client.workflow.getHandle(workflowId).result() as Promise<T>;
  waiting.catch(() => undefined); // settles after a cancellation too: nobody else listens then
  try {
    return await Promise.race([waiting, ctx.cancelled]);
  } finally {
    clearInterval(beat);
  }
}
