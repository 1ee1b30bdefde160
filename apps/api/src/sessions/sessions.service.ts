import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { WorkflowUpdateStage } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import {
  CANVAS_SESSION_WORKFLOW,
  sessionStartOptions,
  cancelSignal,
  canvasQuery,
  humanActionUpdate,
  pauseSignal,
  resumeSignal,
  type BenchTask,
  type CanvasView,
  type SessionInput,
  type SessionResult,
  type TranscriptEntry,
} from '@flowsteer/contracts';
import { visibilityQuery } from '../common/schemas';
import { executionSummary, type ExecutionSummary } from '../temporal/execution-summary';
import { TemporalService } from '../temporal/temporal.service';
import { closedOutcome, type Outcome } from '../temporal/workflow-outcome';
import { ArtifactStore } from '@flowsteer/artifacts';
import { WORKSPACE_ROOT, readSession } from '@flowsteer/temporal-runtime';
import { newSuffix, resolveTask } from './session-tasks';
import type { ForkDto, HumanActionDto, ListSessionsDto, StartSessionDto } from './session.schemas';

export interface StartedSession {
  id: string;
  runId: string;
  /** This session in the API. */
  link: string;
  /** This session in the Temporal UI. */
  ui: string;
}

export type SessionDetail = ExecutionSummary & Outcome<SessionResult>;

export type HumanActionAnswer =
  | { updateId: string; done: true; accepted: boolean; outcome: string }
  | { updateId: string; done: false; note: string };

@Injectable()
export class SessionsService {
  /** Where sessions keep their earlier runs' segments (the workers' artifact store). */
  private readonly store = ArtifactStore.fromEnv(process.env, WORKSPACE_ROOT);

  constructor(@Inject(TemporalService) private readonly temporal: TemporalService) {}

  async start(body: StartSessionDto): Promise<StartedSession> {
    const task = resolveTask(body);
    const input: SessionInput = {
      task,
      directorBackend: body.director,
      executorBackend: body.executor,
      limits: body.limits,
      promptMode: body.promptMode,
      ...(body.directorTemperature !== undefined ? { directorTemperature: body.directorTemperature } : {}),
      ...(body.policyVersion ? { policyVersion: body.policyVersion } : {}),
      ...(body.run ? { run: body.run } : {}),
      ...(body.recordTrajectory !== undefined ? { recordTrajectory: body.recordTrajectory } : {}),
    };
    return this.startInput(task, input, body.idSuffix ?? newSuffix());
  }

  private async startInput(task: BenchTask, input: SessionInput, suffix: string, memo: Record<string, unknown> = {}): Promise<StartedSession> {
    const handle = await this.temporal.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
      taskQueue: this.temporal.config.taskQueue,
      ...sessionStartOptions({ ...input, task }, suffix, memo),
    });
    const id = handle.workflowId;
    return { id, runId: handle.firstExecutionRunId, link: `/v1/sessions/${encodeURIComponent(id)}`, ui: this.temporal.uiLink(id) };
  }

  async list(q: ListSessionsDto): Promise<{ sessions: ExecutionSummary[]; nextPageToken?: string }> {
    const query = visibilityQuery(CANVAS_SESSION_WORKFLOW, {
      FlowSteerDataset: q.dataset,
      FlowSteerStatus: q.status,
      FlowSteerRun: q.run,
      FlowSteerPolicyVersion: q.policyVersion,
      FlowSteerTaskType: q.taskType,
    });
    const page = await this.temporal.list(query, q.pageSize, q.pageToken);
    return {
      sessions: page.executions.map((e) => executionSummary(e, this.temporal.uiLink(e.workflowId))),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    };
  }

  async get(id: string): Promise<SessionDetail> {
    const description = await this.describe(id);
    const handle = this.temporal.client.workflow.getHandle(id);
    const outcome = await closedOutcome<SessionResult>(handle, description.status.name);
    return { ...executionSummary(description, this.temporal.uiLink(id)), ...outcome };
  }

  async canvas(id: string): Promise<CanvasView> {
    await this.describe(id);
    return this.temporal.withQueryDeadline(() => this.temporal.client.workflow.getHandle(id).query(canvasQuery));
  }

  /** The whole transcript: the stored segments of earlier runs, then the current run. */
  async transcript(id: string): Promise<TranscriptEntry[]> {
    await this.describe(id);
    return (await this.temporal.withQueryDeadline(() => readSession(this.temporal.client, this.store, id))).transcript;
  }

  async events(id: string): Promise<unknown[]> {
    await this.describe(id);
    return (await this.temporal.withQueryDeadline(() => readSession(this.temporal.client, this.store, id, { events: true }))).events ?? [];
  }

  /**
   * A person's action through the `humanAction` update. The update's validator answers at once
   * (a rejected action is a 422); the workflow applies accepted actions between turns, so the
   * answer waits up to `waitMs` for the outcome and otherwise says it is still pending.
   */
  async humanAction(id: string, body: HumanActionDto): Promise<HumanActionAnswer> {
    await this.describe(id);
    const handle = this.temporal.client.workflow.getHandle(id);
    const update = await this.temporal.withQueryDeadline(() =>
      handle.startUpdate(humanActionUpdate, { args: [body.action], waitForStage: WorkflowUpdateStage.ACCEPTED }),
    );
    let timer: NodeJS.Timeout | undefined;
    const pending = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, body.waitMs, undefined)));
    try {
      const result = update.result();
      result.catch(() => undefined); // still observed below; never an unhandled rejection after the wait ends
      const outcome = await Promise.race([result, pending]);
      if (outcome) return { updateId: update.updateId, done: true, ...outcome };
      return { updateId: update.updateId, done: false, note: 'accepted by the workflow; it is applied at the next turn boundary' };
    } finally {
      clearTimeout(timer);
    }
  }

  async signal(id: string, which: 'pause' | 'resume' | 'cancel', reason?: string): Promise<{ id: string; signal: string }> {
    await this.describe(id);
    const handle = this.temporal.client.workflow.getHandle(id);
    if (which === 'pause') await handle.signal(pauseSignal);
    else if (which === 'resume') await handle.signal(resumeSignal);
    else await handle.signal(cancelSignal, reason);
    return { id, signal: which };
  }

  /** A new session that starts from the old one's canvas after turn K (the worker reads the old one's record). */
  async fork(id: string, body: ForkDto): Promise<StartedSession & { forkedFrom: string; turn: number }> {
    await this.describe(id);
    const handle = this.temporal.client.workflow.getHandle(id);
    const [original, view] = await Promise.all([this.originalInput(id), this.temporal.withQueryDeadline(() => handle.query(canvasQuery))]);
    if (body.turn > view.turn) {
      const message = `the session has taken ${view.turn} director turn(s); fork at a turn from 0 to ${view.turn}`;
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message, errors: [{ field: 'turn', message }] });
    }
    const input: SessionInput = {
      ...original,
      directorBackend: body.director ?? original.directorBackend,
      executorBackend: body.executor ?? original.executorBackend,
      limits: { ...original.limits, ...(body.maxTurns ? { maxTurns: body.maxTurns } : {}) },
      startFrom: { sessionId: id, turn: body.turn },
    };
    const started = await this.startInput(original.task, input, body.idSuffix ?? `fork${body.turn}-${newSuffix()}`, { forkedFrom: id, forkTurn: body.turn });
    return { ...started, forkedFrom: id, turn: body.turn };
  }

  /** The raw event history as JSON, in the form `Worker.runReplayHistory` and `temporal workflow show -o json` use. */
  async history(id: string): Promise<unknown> {
    await this.describe(id);
    const history = await this.temporal.client.workflow.getHandle(id).fetchHistory();
    return JSON.parse(historyToJSON(history)) as unknown;
  }

  /** Execution status of a session (for the SSE stream). */
  async executionStatus(id: string): Promise<string> {
    return (await this.describe(id)).status.name;
  }

  private describe(id: string) {
    return this.temporal.describe(id, CANVAS_SESSION_WORKFLOW, 'session');
  }

  /** The input the session was started with, read from its first history event. */
  private async originalInput(id: string): Promise<SessionInput> {
    const history = await this.temporal.client.workflow.getHandle(id).fetchHistory();
    const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
    const first = payloads?.[0];
    if (!first) throw new BadRequestException(`session "${id}" has no start input to fork from`);
    const { carry: _carry, ...input } = defaultPayloadConverter.fromPayload<SessionInput>(first);
    return input;
  }
}
