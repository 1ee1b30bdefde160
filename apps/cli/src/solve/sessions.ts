import {
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { canvasTaskQueue, cliOwner } from '../paths';
import {
  CANVAS_SESSION_WORKFLOW,
  canvasQuery,
  sessionStartOptions,
  type BenchTask,
  type CanvasView,
  type PluginOperator,
  type SessionInput,
  type SessionResult,
} from '@flowsteer/contracts';

export interface SessionSettings {
  director: string;
  executor: string;
  maxTurns: number;
  promptMode: 'compact' | 'full-history';
  run?: string;
  policyVersion?: string;
  /** Plug-in operators (FLOWSTEER_PLUGINS) the sessions may use. */
  plugins?: PluginOperator[];
}

export function sessionInput(task: BenchTask, settings: SessionSettings): SessionInput {
  return {
    task,
    directorBackend: settings.director,
    executorBackend: settings.executor,
    limits: { maxTurns: settings.maxTurns },
    promptMode: settings.promptMode,
    policyVersion: settings.policyVersion,
    run: settings.run,
    ...(settings.plugins?.length ? { plugins: settings.plugins } : {}),
  };
}

export async function startSession(client: Client, task: BenchTask, settings: SessionSettings, suffix: string): Promise<WorkflowHandle> {
  return startSessionInput(client, sessionInput(task, settings), suffix);
}

/** Starts a session with its id, memo and search attributes (DESIGN §5). */
export async function startSessionInput(client: Client, input: SessionInput, suffix: string): Promise<WorkflowHandle> {
  return client.workflow.start(CANVAS_SESSION_WORKFLOW, {
    taskQueue: canvasTaskQueue(),
    ...sessionStartOptions(input, suffix, {}, cliOwner()),
  });
}

/** The canvas view of a running session, or undefined while it cannot answer yet. */
export async function peekCanvas(handle: WorkflowHandle): Promise<CanvasView | undefined> {
  try {
    return await handle.query(canvasQuery);
  } catch {
    return undefined;
  }
}

export type SessionOutcome = { ok: true; result: SessionResult } | { ok: false; workflowId: string; error: string };

export async function awaitSession(handle: WorkflowHandle): Promise<SessionOutcome> {
  try {
    return { ok: true, result: (await handle.result()) as SessionResult };
  } catch (err) {
    return { ok: false, workflowId: handle.workflowId, error: failureReason(err) };
  }
}

/** Why a session did not complete, in words: its own failure message, or how the server ended it. */
export function failureReason(err: unknown): string {
  if (!(err instanceof WorkflowFailedError) || !err.cause) return (err as Error).message;
  if (err.cause instanceof TerminatedFailure) return `terminated: ${err.cause.message || 'no reason given'}`;
  if (err.cause instanceof TimeoutFailure) return `timed out (${err.cause.timeoutType ?? 'workflow'} timeout)`;
  if (err.cause instanceof CancelledFailure) return `cancelled: ${err.cause.message}`;
  return err.cause.message;
}
