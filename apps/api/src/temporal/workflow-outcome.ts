import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';

/** `result` once a workflow completed, `error` once it failed, was cancelled or terminated. */
export interface Outcome<R> {
  result?: R;
  error?: string;
}

/** Absolute filesystem paths in a worker's message (`/srv/x/y.gguf`): the API never shows server paths. */
const SERVER_PATH = /(^|[\s(="'`:])\/(?:[\w.@+-]+\/)*[\w.@+-]+/g;

export function redactServerPaths(message: string): string {
  return message.replace(SERVER_PATH, (_m, lead: string) => `${lead}<server path>`);
}

/** "activity X failed: <why>": the chain of causes down to the one that says what went wrong. */
function failureMessage(err: unknown): string {
  const parts: string[] = [];
  let cause: unknown = err instanceof WorkflowFailedError ? err.cause : err;
  while (cause instanceof Error && parts.length < 5) {
    if (cause.message && !parts.includes(cause.message)) parts.push(cause.message);
    cause = (cause as { cause?: unknown }).cause;
  }
  return parts.join(': ');
}

/** The result of a closed workflow, or its failure message; nothing while it runs. */
export async function closedOutcome<R>(handle: WorkflowHandle, executionStatus: string): Promise<Outcome<R>> {
  if (executionStatus === 'RUNNING') return {};
  try {
    return { result: (await handle.result()) as R };
  } catch (err) {
    return { error: redactServerPaths(failureMessage(err)) || executionStatus.toLowerCase() };
  }
}
