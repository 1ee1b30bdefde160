import { BadRequestException, ConflictException, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { WorkflowUpdateStage } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Observable } from 'rxjs';
import { finalize } from 'rxjs';
import {
  CANVAS_SESSION_WORKFLOW,
  maxProblemBytesFrom,
  sessionInputProblems,
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
import { replayWorkflowChain, type ReplayChainResult } from '@flowsteer/temporal-runtime';
import { API_CONFIG, type ApiConfig } from '../app/config';
import { ResourceCatalog } from '../app/resources';
import { STREAM_TOKEN_PARAM, STREAM_TOKEN_PURPOSE, type StreamTokenPayload } from '../auth/authenticate';
import { listOwner, type Access } from '../auth/ownership';
import type { Principal } from '../auth/principal';
import { visibilityQuery } from '../common/schemas';
import { executionSummary, type ExecutionSummary } from '../temporal/execution-summary';
import { TemporalService } from '../temporal/temporal.service';
import { closedOutcome, type Outcome } from '../temporal/workflow-outcome';
import { ArtifactStore } from '@flowsteer/artifacts';
import { WORKSPACE_ROOT, readSession } from '@flowsteer/temporal-runtime';
import { newSuffix, resolveTask } from './session-tasks';
import { SharedWatches, type SseMessage } from './session-stream';
import { StreamLimits } from './stream-limits';
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

export interface StreamToken {
  token: string;
  expiresAt: string;
  /** The stream URL with the token, for `new EventSource(url)`. */
  url: string;
}

const read = (principal: Principal): Access => ({ principal, mode: 'read' });
const write = (principal: Principal): Access => ({ principal, mode: 'write' });

@Injectable()
export class SessionsService {
  /** Where sessions keep their earlier runs' segments (the workers' artifact store). */
  private readonly store = ArtifactStore.fromEnv(process.env, WORKSPACE_ROOT);
  /** The same problem-size cap the CLI applies (FLOWSTEER_MAX_PROBLEM_BYTES). */
  private readonly maxProblemBytes = maxProblemBytesFrom(process.env.FLOWSTEER_MAX_PROBLEM_BYTES);
  private readonly watches: SharedWatches;
  private readonly streams: StreamLimits;
  private replaysRunning = 0;

  constructor(
    @Inject(TemporalService) private readonly temporal: TemporalService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(ResourceCatalog) private readonly resources: ResourceCatalog,
  ) {
    this.watches = new SharedWatches({ pollMs: config.streams.pollMs, maxPollMs: config.streams.maxPollMs });
    this.streams = new StreamLimits(config.streams.perPrincipal, config.streams.total);
  }

  async start(principal: Principal, body: StartSessionDto): Promise<StartedSession> {
    this.resources.assert([
      ...this.resources.backend('director', body.director),
      ...this.resources.backend('executor', body.executor),
      ...(body.dataset ? this.resources.datasets('dataset', [body.dataset]).map((e) => ({ ...e, field: 'dataset' })) : []),
    ]);
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
      ...(this.config.plugins.length ? { plugins: this.config.plugins } : {}),
    };
    return this.startInput(principal, task, input, body.idSuffix ?? newSuffix());
  }

  private async startInput(
    principal: Principal,
    task: BenchTask,
    input: SessionInput,
    suffix: string,
    memo: Record<string, unknown> = {},
  ): Promise<StartedSession> {
    const problems = sessionInputProblems({ ...input, task }, { maxProblemBytes: this.maxProblemBytes });
    if (problems.length)
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: problems.join('; '),
        errors: problems.map((message) => ({ field: 'body', message })),
      });
    const handle = await this.temporal.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
      taskQueue: this.temporal.config.taskQueue,
      ...sessionStartOptions({ ...input, task }, suffix, memo, principal.name),
    });
    const id = handle.workflowId;
    return { id, runId: handle.firstExecutionRunId, link: `/v1/sessions/${encodeURIComponent(id)}`, ui: this.temporal.uiLink(id) };
  }

  async list(principal: Principal, q: ListSessionsDto): Promise<{ sessions: ExecutionSummary[]; nextPageToken?: string }> {
    const query = visibilityQuery(CANVAS_SESSION_WORKFLOW, {
      FlowSteerDataset: q.dataset,
      FlowSteerStatus: q.status,
      FlowSteerRun: q.run,
      FlowSteerPolicyVersion: q.policyVersion,
      FlowSteerTaskType: q.taskType,
      FlowSteerOwner: listOwner(principal, q.owner),
    });
    const page = await this.temporal.list(query, q.pageSize, q.pageToken);
    return {
      sessions: page.executions.map((e) => executionSummary(e, this.temporal.uiLink(e.workflowId))),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    };
  }

  async get(principal: Principal, id: string): Promise<SessionDetail> {
    const description = await this.describe(id, read(principal));
    const handle = this.temporal.client.workflow.getHandle(id);
    const outcome = await closedOutcome<SessionResult>(handle, description.status.name);
    return { ...executionSummary(description, this.temporal.uiLink(id)), ...outcome };
  }

  async canvas(principal: Principal, id: string): Promise<CanvasView> {
    await this.describe(id, read(principal));
    return this.queryCanvas(id);
  }

  private queryCanvas(id: string): Promise<CanvasView> {
    return this.temporal.withQueryDeadline(() => this.temporal.client.workflow.getHandle(id).query(canvasQuery));
  }

  /** The whole transcript: the stored segments of earlier runs, then the current run. */
  async transcript(principal: Principal, id: string): Promise<TranscriptEntry[]> {
    await this.describe(id, read(principal));
    return (await this.temporal.withQueryDeadline(() => readSession(this.temporal.client, this.store, id))).transcript;
  }

  async events(principal: Principal, id: string): Promise<unknown[]> {
    await this.describe(id, read(principal));
    return (await this.temporal.withQueryDeadline(() => readSession(this.temporal.client, this.store, id, { events: true }))).events ?? [];
  }

  /**
   * A person's action through the `humanAction` update. The update's validator answers at once
   * (a rejected action is a 422); the workflow applies accepted actions between turns, so the
   * answer waits up to `waitMs` for the outcome and otherwise says it is still pending.
   */
  async humanAction(principal: Principal, id: string, body: HumanActionDto): Promise<HumanActionAnswer> {
    await this.describeRunning(id, write(principal));
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

  async signal(
    principal: Principal,
    id: string,
    which: 'pause' | 'resume' | 'cancel',
    reason?: string,
  ): Promise<{ id: string; signal: string }> {
    await this.describeRunning(id, write(principal));
    const handle = this.temporal.client.workflow.getHandle(id);
    if (which === 'pause') await handle.signal(pauseSignal);
    else if (which === 'resume') await handle.signal(resumeSignal);
    else await handle.signal(cancelSignal, reason);
    return { id, signal: which };
  }

  /**
   * A new session, owned by the caller, that starts from the old one's canvas after turn K (the worker reads
   * the old one's record; the client names the session and the turn, never events).
   * Reading the old one needs read access; the fork is the caller's own work.
   */
  async fork(principal: Principal, id: string, body: ForkDto): Promise<StartedSession & { forkedFrom: string; turn: number }> {
    this.resources.assert([...this.resources.backend('director', body.director), ...this.resources.backend('executor', body.executor)]);
    await this.describe(id, read(principal));
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
    const started = await this.startInput(principal, original.task, input, body.idSuffix ?? `fork${body.turn}-${newSuffix()}`, {
      forkedFrom: id,
      forkTurn: body.turn,
    });
    return { ...started, forkedFrom: id, turn: body.turn };
  }

  /** The raw event history as JSON, in the form `Worker.runReplayHistory` and `temporal workflow show -o json` use. */
  async history(principal: Principal, id: string): Promise<unknown> {
    await this.describe(id, read(principal));
    const history = await this.temporal.client.workflow.getHandle(id).fetchHistory();
    return JSON.parse(historyToJSON(history)) as unknown;
  }

  /**
   * The determinism check of `flowsteer replay`: every run of the session's continue-as-new chain
   * replayed on the current workflow code (no activity runs). A few at a time (429 beyond): each
   * costs CPU, and the first one in a process bundles the workflow code.
   */
  async replay(principal: Principal, id: string): Promise<ReplayChainResult> {
    await this.describe(id, read(principal));
    if (this.replaysRunning >= this.config.replayConcurrency)
      throw new HttpException(
        `${this.replaysRunning} replay(s) already running, the most this API runs at once; try again shortly`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    this.replaysRunning += 1;
    try {
      const bundle = this.config.workflowBundlePath ? { workflowBundle: { codePath: this.config.workflowBundlePath } } : {};
      return await replayWorkflowChain(this.temporal.client, id, { ...bundle, replayName: 'flowsteer-api-replay' });
    } finally {
      this.replaysRunning -= 1;
    }
  }

  /** A short-lived token that opens this session's stream without a header (for `EventSource`). */
  async streamToken(principal: Principal, id: string): Promise<StreamToken> {
    await this.describe(id, read(principal));
    const exp = Math.floor(Date.now() / 1000) + this.config.streams.tokenTtlSec;
    const payload: StreamTokenPayload = { p: principal.name, r: principal.role, s: id, exp };
    const token = this.temporal.signer.sign(STREAM_TOKEN_PURPOSE, payload);
    return {
      token,
      expiresAt: new Date(exp * 1000).toISOString(),
      url: `/v1/sessions/${encodeURIComponent(id)}/stream?${STREAM_TOKEN_PARAM}=${token}`,
    };
  }

  /** The session's live progress for one more stream (429 beyond the caps; see session-stream.ts). */
  async follow(principal: Principal, id: string): Promise<Observable<SseMessage>> {
    await this.describe(id, read(principal)); // 404 before the stream opens
    const release = this.streams.acquire(principal);
    const { connection } = this.temporal;
    const source = () => ({
      state: (signal: AbortSignal) =>
        connection.withAbortSignal(signal, async () => {
          const d = await this.temporal.client.workflow.getHandle(id).describe();
          return { executionStatus: d.status.name, version: `${d.runId}:${d.historyLength}` };
        }),
      canvas: (signal: AbortSignal) => connection.withAbortSignal(signal, () => this.queryCanvas(id)),
    });
    return this.watches.follow(id, source).pipe(finalize(release));
  }

  private describe(id: string, access: Access) {
    return this.temporal.describe(id, CANVAS_SESSION_WORKFLOW, 'session', access);
  }

  /** A change to a closed session is a 409 that says so (Temporal itself answers "not found"). */
  private async describeRunning(id: string, access: Access) {
    const description = await this.describe(id, access);
    if (description.status.name !== 'RUNNING')
      throw new ConflictException(`session "${id}" has ended (${description.status.name}); it takes no more edits or signals`);
    return description;
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
