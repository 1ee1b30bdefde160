import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { canvasTaskQueue } from '../paths';
import {
  CANVAS_SESSION_WORKFLOW,
  SA,
  canvasQuery,
  type BenchTask,
  type CanvasView,
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
}

export function sessionWorkflowId(task: BenchTask, suffix: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  return `session-${safe(task.dataset)}-${safe(task.id)}-${suffix}`;
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
  };
}

export async function startSession(client: Client, task: BenchTask, settings: SessionSettings, suffix: string): Promise<WorkflowHandle> {
  return startSessionInput(client, sessionInput(task, settings), suffix);
}

/** Starts a session with its id, memo and search attributes (DESIGN §5). */
export async function startSessionInput(client: Client, input: SessionInput, suffix: string): Promise<WorkflowHandle> {
  const { task } = input;
  const settings = { policyVersion: input.policyVersion, run: input.run };
  return client.workflow.start(CANVAS_SESSION_WORKFLOW, {
    taskQueue: canvasTaskQueue(),
    workflowId: sessionWorkflowId(task, suffix),
    args: [input],
    memo: { problem: task.problem.slice(0, 200) },
    typedSearchAttributes: new TypedSearchAttributes([
      { key: SA.dataset, value: task.dataset },
      { key: SA.taskType, value: task.taskType },
      { key: SA.status, value: 'running' },
      { key: SA.turns, value: 0 },
      ...(settings.policyVersion ? [{ key: SA.policyVersion, value: settings.policyVersion }] : []),
      ...(settings.run ? [{ key: SA.run, value: settings.run }] : []),
    ]),
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
    const cause = err instanceof WorkflowFailedError && err.cause ? err.cause.message : (err as Error).message;
    return { ok: false, workflowId: handle.workflowId, error: cause };
  }
}
