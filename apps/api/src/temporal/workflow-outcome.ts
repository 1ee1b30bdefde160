import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';

/** `result` once a workflow completed, `error` once it failed, was cancelled or terminated. */
export interface Outcome<R> {
  result?: R;
  error?: string;
}

/** The result of a closed workflow, or its failure message; nothing while it runs. */
export async function closedOutcome<R>(handle: WorkflowHandle, executionStatus: string): Promise<Outcome<R>> {
  if (executionStatus === 'RUNNING') return {};
  try {
    return { result: (await handle.result()) as R };
  } catch (err) {
    const cause = err instanceof WorkflowFailedError && err.cause ? err.cause.message : (err as Error).message;
    return { error: cause || executionStatus.toLowerCase() };
  }
}
