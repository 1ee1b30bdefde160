import { executeChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  CANVAS_SESSION_WORKFLOW,
  SA,
  type BenchTask,
  type EvalItemResult,
  type EvalMethod,
  type EvalRunInput,
  type SessionInput,
  type SessionSummary,
} from '@flowsteer/contracts';
import type { canvasSession } from '../canvas-session/canvas-session';
import { innermostMessage as describeFailure, sandboxPoolDown } from '../canvas-session/failures';
import type { EvalActivityProxies } from './proxies';
import { fixedWorkflowFor } from './fixed-workflows';
import { evalSessionId, unitKey } from './ids';

/** What every unit of one evaluation run shares. */
export interface UnitContext {
  input: EvalRunInput;
  runId: string;
  /** Appended to session ids so two runs over the same items never collide. */
  suffix: string;
  /** The run's owner, passed on to its sessions' search attributes. */
  owner: string | undefined;
  acts: EvalActivityProxies;
}

type UnitBase = Pick<EvalItemResult, 'key' | 'method' | 'dataset' | 'taskType' | 'itemId'> & { sessionId?: string };

/**
 * One unit (method × item) to its result row. Never throws: a failure becomes a row with `ok: false`
 * and the reason, so one broken item costs the run one row.
 */
export async function runUnit(ctx: UnitContext, method: EvalMethod, task: BenchTask): Promise<EvalItemResult> {
  const base: UnitBase = {
    key: unitKey(method, task.dataset, task.id),
    method,
    dataset: task.dataset,
    taskType: task.taskType,
    itemId: task.id,
  };
  return method === 'direct' ? directUnit(ctx, task, base) : sessionUnit(ctx, method, task, base);
}

/** The executor answers the problem alone (no workflow): the paper's "direct" baseline. */
async function directUnit(ctx: UnitContext, task: BenchTask, base: UnitBase): Promise<EvalItemResult> {
  try {
    const r = await ctx.acts.directAnswer.executeWithOptions({ summary: `direct · ${task.dataset}/${task.id}` }, [
      { task, executorBackend: ctx.input.executor },
    ]);
    r.score ??= await scoreDirect(ctx, task, r.answer);
    const tokens = r.ledger.promptTokens + r.ledger.completionTokens;
    return {
      ...base,
      ok: true,
      metrics: r.score?.metrics ?? {},
      ...(r.score && Object.keys(r.score.metrics).length ? { primary: r.score.primary } : {}),
      ...(r.score?.note ? { note: r.score.note } : {}),
      turns: 0,
      directorTokens: 0,
      executorTokens: tokens,
      costUsd: r.ledger.costUsd,
      answer: r.answer.slice(0, 300),
    };
  } catch (err) {
    return failed(base, describeFailure(err));
  }
}

/** The direct answer's score, computed on the sandbox queue (scoring runs code answers); none when the task has no gold. */
async function scoreDirect(ctx: UnitContext, task: BenchTask, answer: string) {
  const scorable = task.answers.length > 0 || !!task.code?.tests || (task.code?.ioTests?.length ?? 0) > 0; // APPS has only ioTests
  if (!scorable) return undefined;
  try {
    return await ctx.acts.scoreSession.executeWithOptions({ summary: `score direct · ${task.dataset}/${task.id}` }, [{ task, answer }]);
  } catch (err) {
    throw new Error(sandboxPoolDown(err, ctx.acts.sandboxQueue, 'the scoring of the direct answer') ?? describeFailure(err));
  }
}

/**
 * A `canvasSession` child (the policy's own workflow, or a fixed one). Its id is derived from the run,
 * so a restarted run that meets a finished child takes that child's recorded outcome instead.
 */
async function sessionUnit(ctx: UnitContext, method: EvalMethod, task: BenchTask, base: UnitBase): Promise<EvalItemResult> {
  const { input, runId, owner } = ctx;
  const workflowId = evalSessionId(task.dataset, task.id, ctx.suffix, method);
  const sessionInput: SessionInput = {
    task,
    directorBackend: input.director,
    executorBackend: input.executor,
    limits: { maxTurns: input.maxTurns, ...(input.llmCalls ? { llmCalls: input.llmCalls } : {}) },
    run: runId,
    ...(input.promptMode ? { promptMode: input.promptMode } : {}),
    ...(input.policyVersion ? { policyVersion: input.policyVersion } : {}),
    ...(method === 'fixed' ? { fixedWorkflow: fixedWorkflowFor(task.taskType) } : {}),
  };
  try {
    const result = await executeChild<typeof canvasSession>(CANVAS_SESSION_WORKFLOW, {
      workflowId,
      args: [sessionInput],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      memo: { problem: task.problem.slice(0, 200), method },
      typedSearchAttributes: [
        { key: SA.run, value: runId },
        { key: SA.dataset, value: task.dataset },
        { key: SA.taskType, value: task.taskType },
        { key: SA.status, value: 'running' },
        { key: SA.turns, value: 0 },
        ...(input.policyVersion ? [{ key: SA.policyVersion, value: input.policyVersion }] : []),
        ...(owner ? [{ key: SA.owner, value: owner }] : []),
      ],
    });
    return fromSession(base, result);
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      try {
        return fromSession(base, await ctx.acts.sessionOutcome.executeWithOptions({ summary: `earlier ${workflowId}` }, [{ workflowId }]));
      } catch (again) {
        return failed({ ...base, sessionId: workflowId }, describeFailure(again));
      }
    }
    return failed({ ...base, sessionId: workflowId }, describeFailure(err));
  }
}

function failed(base: UnitBase, error: string): EvalItemResult {
  return { ...base, ok: false, metrics: {}, turns: 0, directorTokens: 0, executorTokens: 0, costUsd: 0, error: error.slice(0, 500) };
}

function fromSession(base: UnitBase, r: SessionSummary): EvalItemResult {
  const scored = r.score && Object.keys(r.score.metrics).length > 0;
  return {
    ...base,
    sessionId: r.sessionId,
    ok: r.status !== 'failed',
    status: r.status,
    metrics: r.score?.metrics ?? {},
    ...(scored ? { primary: r.score?.primary } : {}),
    ...(r.score?.note ? { note: r.score.note } : {}),
    turns: r.turns,
    directorTokens: r.totals.directorTokens,
    executorTokens: r.totals.executorTokens,
    costUsd: r.totals.costUsd,
    answer: r.answer.slice(0, 300),
    ...(r.error ? { error: r.error } : {}),
  };
}
