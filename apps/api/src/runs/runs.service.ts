import { ConflictException, Inject, Injectable } from '@nestjs/common';
import {
  CWRPO_TRAINING_WORKFLOW,
  EVAL_RUN_WORKFLOW,
  runStartOptions,
  evalProgressQuery,
  pauseSignal,
  resumeSignal,
  stopSignal,
  trainingProgressQuery,
  type EvalRunInput,
  type EvalRunProgress,
  type EvalRunResult,
  type TrainingProgress,
  type TrainingRunInput,
} from '@flowsteer/contracts';
import { ResourceCatalog } from '../app/resources';
import { listOwner, type Access } from '../auth/ownership';
import type { Principal } from '../auth/principal';
import { visibilityQuery } from '../common/schemas';
import { executionSummary, type ExecutionSummary } from '../temporal/execution-summary';
import { TemporalService } from '../temporal/temporal.service';
import { closedOutcome, type Outcome } from '../temporal/workflow-outcome';
import { newSuffix } from '../sessions/session-tasks';
import type { ListRunsDto, StartEvalDto, StartTrainingDto } from './run.schemas';

export type RunKind = 'eval' | 'training';

const KINDS = {
  eval: { type: EVAL_RUN_WORKFLOW, noun: 'evaluation run', path: 'evals', progress: evalProgressQuery },
  training: { type: CWRPO_TRAINING_WORKFLOW, noun: 'training run', path: 'training', progress: trainingProgressQuery },
} as const;

export interface StartedRun {
  id: string;
  runId: string;
  link: string;
  ui: string;
}

/** A run as the API shows it; `progress` is the `progress` query while a worker answers it. */
export type RunDetail<P, R> = ExecutionSummary & { progress?: P; progressError?: string } & Outcome<R>;

/** Evaluation runs (`evalRun`) and training runs (`cwrpoTraining`), DESIGN §5. */
@Injectable()
export class RunsService {
  constructor(
    @Inject(TemporalService) private readonly temporal: TemporalService,
    @Inject(ResourceCatalog) private readonly resources: ResourceCatalog,
  ) {}

  async startEval(principal: Principal, body: StartEvalDto): Promise<StartedRun> {
    this.resources.assert([
      ...this.resources.datasets('datasets', body.datasets),
      ...this.resources.backend('director', body.director),
      ...this.resources.backend('executor', body.executor),
    ]);
    const { idSuffix, ...rest } = body;
    const input: EvalRunInput = rest;
    return this.start(principal, 'eval', `eval-${body.name}-${idSuffix ?? newSuffix()}`, input, body.policyVersion);
  }

  async startTraining(principal: Principal, body: StartTrainingDto): Promise<StartedRun> {
    const { config } = body;
    this.resources.assert([
      ...this.resources.datasets('config.datasets', config.datasets),
      ...this.resources.backend('config.director', config.director),
      ...this.resources.backend('config.executor', config.executor),
      ...this.resources.model('config.baseModel', config.baseModel),
    ]);
    const input: TrainingRunInput = { name: body.name, config };
    return this.start(principal, 'training', `train-${body.name}`, input);
  }

  private async start(
    principal: Principal,
    kind: RunKind,
    workflowId: string,
    input: EvalRunInput | TrainingRunInput,
    policyVersion?: string,
  ): Promise<StartedRun> {
    const handle = await this.temporal.client.workflow.start(KINDS[kind].type, {
      taskQueue: this.temporal.config.taskQueue,
      ...runStartOptions(workflowId, input, principal.name, policyVersion),
    });
    return {
      id: workflowId,
      runId: handle.firstExecutionRunId,
      link: `/v1/${KINDS[kind].path}/${encodeURIComponent(workflowId)}`,
      ui: this.temporal.uiLink(workflowId),
    };
  }

  async list(principal: Principal, kind: RunKind, q: ListRunsDto): Promise<{ runs: ExecutionSummary[]; nextPageToken?: string }> {
    const page = await this.temporal.list(
      visibilityQuery(KINDS[kind].type, { FlowSteerOwner: listOwner(principal, q.owner) }),
      q.pageSize,
      q.pageToken,
    );
    return {
      runs: page.executions.map((e) => executionSummary(e, this.temporal.uiLink(e.workflowId))),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    };
  }

  getEval(principal: Principal, id: string): Promise<RunDetail<EvalRunProgress, EvalRunResult>> {
    return this.get({ principal, mode: 'read' }, 'eval', id);
  }

  getTraining(principal: Principal, id: string): Promise<RunDetail<TrainingProgress, unknown>> {
    return this.get({ principal, mode: 'read' }, 'training', id);
  }

  /** The `progress` query alone (training metrics). */
  async progress(principal: Principal, kind: RunKind, id: string): Promise<EvalRunProgress | TrainingProgress> {
    await this.temporal.describe(id, KINDS[kind].type, KINDS[kind].noun, { principal, mode: 'read' });
    const handle = this.temporal.client.workflow.getHandle(id);
    return this.temporal.withQueryDeadline(() => handle.query<EvalRunProgress | TrainingProgress>(KINDS[kind].progress.name));
  }

  async signal(
    principal: Principal,
    kind: RunKind,
    id: string,
    which: 'pause' | 'resume' | 'stop',
    reason?: string,
  ): Promise<{ id: string; signal: string }> {
    const description = await this.temporal.describe(id, KINDS[kind].type, KINDS[kind].noun, { principal, mode: 'write' });
    if (description.status.name !== 'RUNNING')
      throw new ConflictException(`${KINDS[kind].noun} "${id}" has ended (${description.status.name}); it takes no more signals`);
    const handle = this.temporal.client.workflow.getHandle(id);
    if (which === 'pause') await handle.signal(pauseSignal);
    else if (which === 'resume') await handle.signal(resumeSignal);
    else await handle.signal(stopSignal, reason);
    return { id, signal: which };
  }

  private async get<P, R>(access: Access, kind: RunKind, id: string): Promise<RunDetail<P, R>> {
    const description = await this.temporal.describe(id, KINDS[kind].type, KINDS[kind].noun, access);
    const handle = this.temporal.client.workflow.getHandle(id);
    const status = description.status.name;
    const summary = executionSummary(description, this.temporal.uiLink(id));
    if (status !== 'RUNNING') return { ...summary, ...(await closedOutcome<R>(handle, status)) };
    try {
      const progress = await this.temporal.withQueryDeadline(() => handle.query<P>(KINDS[kind].progress.name));
      return { ...summary, progress };
    } catch (err) {
      // A run whose worker is busy or down still has a status; say why progress is missing.
      return { ...summary, progressError: (err as Error).message.split('\n')[0] };
    }
  }
}
