import {
  ApplicationFailure,
  condition,
  continueAsNew,
  executeChild,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  CANVAS_SESSION_WORKFLOW,
  FAILURE,
  SA,
  describeSchemaProblems,
  evalRunStartSchema,
  evalProgressQuery,
  type BenchTask,
  type EvalDatasetPlan,
  type EvalItemResult,
  type EvalMethod,
  type EvalReport,
  type EvalRunInput,
  type EvalRunProgress,
  type EvalRunResult,
  type SessionInput,
  type SessionSummary,
} from '@flowsteer/contracts';
import type { canvasSession } from '../canvas-session/canvas-session';
import { innermostMessage as describeFailure, sandboxPoolDown } from '../canvas-session/failures';
import { evalActivities, type EvalActivityProxies } from './proxies';
import { aggregateRows, isUnavailable, progressMetrics } from './aggregate';
import { fixedWorkflowFor } from './fixed-workflows';
import { evalSessionId, runSuffix, unitKey } from './ids';
import { paperReferenceFor } from './paper-reference';
import { renderReportMarkdown } from './report-table';
import { ResultStore } from './result-store';
import { RunControl } from '../shared/run-control';

/** Continue-as-new threshold when the input sets none (the server may suggest it earlier). */
const DEFAULT_CAN_EVENTS = 5000;

/**
 * An evaluation run (issue 7): samples each dataset (seeded), runs one `canvasSession` child per
 * item — and, with `baselines`, a direct executor answer and a fixed hand-written workflow — at most
 * `concurrency` at once, tolerates failed units (counted and reported), honours pause / resume /
 * stop, answers the `progress` query, continues as new when the history grows (finished results
 * travel as artifact references) and ends with the aggregated report written to disk.
 *
 * Idempotency: every unit has a key (`<method>/<dataset>/<item>`) and a session id derived from the
 * run id, so a continued or restarted run skips finished units, and a restarted run that meets a
 * finished child (id reuse policy: duplicates only after failure) takes its recorded outcome.
 */
export async function evalRun(input: EvalRunInput): Promise<EvalRunResult> {
  const runId = workflowInfo().workflowId;
  const suffix = runSuffix(runId, input.name);
  const acts = evalActivities();
  const methods: EvalMethod[] = input.baselines ? ['direct', 'fixed', 'flowsteer'] : ['flowsteer'];
  const store = new ResultStore(runId, acts);
  let plan: EvalDatasetPlan[] = input.carry?.plan ?? [];
  const control = new RunControl();
  const owner = workflowInfo().typedSearchAttributes.get(SA.owner);
  let inflight = 0;

  const progress = (): EvalRunProgress => {
    const perDataset: EvalRunProgress['perDataset'] = {};
    for (const p of plan) {
      const done = store.results.filter((r) => r.dataset === p.dataset);
      const scored = done.filter((r) => r.method === 'flowsteer' && r.ok && r.primary !== undefined);
      perDataset[p.dataset] = {
        done: done.length,
        total: p.total * methods.length,
        meanScore: scored.length ? scored.reduce((s, r) => s + (r.primary as number), 0) / scored.length : null,
      };
    }
    return {
      phase: control.phase,
      step: store.results.length,
      total: plan.reduce((s, p) => s + p.total, 0) * methods.length,
      failed: store.results.filter((r) => !r.ok).length,
      metrics: progressMetrics(store.results),
      perDataset,
    };
  };
  setHandler(evalProgressQuery, progress);
  upsertSearchAttributes([
    { key: SA.run, value: runId },
    { key: SA.status, value: 'running' },
  ]);

  checkInput(input);
  if (input.carry) await store.restore(input.carry.resultRefs);
  else plan = await acts.planEval({ datasets: input.datasets, perDataset: input.perDataset, seed: input.seed });
  control.begin();

  const cursor = { ...(input.carry?.cursor ?? { dataset: 0, offset: 0 }) };
  const tasks = new TaskFeed(plan, input, acts);
  const canAfter = input.continueAsNewAfterEvents ?? DEFAULT_CAN_EVENTS;

  while (cursor.dataset < plan.length && !control.stopping) {
    await control.waitUntilMayProceed();
    if (control.stopping) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= canAfter) {
      await condition(() => inflight === 0); // children finish first: nothing is cut off
      const resultRefs = await store.persist();
      return continueAsNew<typeof evalRun>({
        ...input,
        carry: { resultRefs, cursor, plan, generation: (input.carry?.generation ?? 0) + 1 },
      });
    }
    const task = await tasks.at(cursor);
    cursor.offset += 1;
    if (cursor.offset >= (plan[cursor.dataset]?.total ?? 0)) {
      cursor.dataset += 1;
      cursor.offset = 0;
    }
    if (!task) continue;
    for (const method of methods) {
      const key = unitKey(method, task.dataset, task.id);
      if (store.has(key)) continue;
      await condition(() => (inflight < input.concurrency && !control.paused) || control.stopping);
      if (control.stopping) break;
      inflight += 1;
      void runUnit(method, task, key)
        .then((r) => store.add(r))
        .finally(() => {
          inflight -= 1;
        });
    }
  }
  await condition(() => inflight === 0);
  control.phase = control.stopping ? 'stopped' : 'finished';

  const report = buildReport(input, plan, methods, store.results);
  report.resultRefs = await store.persist();
  report.files = await acts.writeEvalReport.executeWithOptions({ summary: 'write report' }, [
    { runId, report: { ...report, files: undefined }, resultRefs: report.resultRefs },
  ]);
  upsertSearchAttributes([{ key: SA.status, value: control.phase }]);
  return { runId, status: control.stopping ? 'stopped' : 'finished', report, ...(control.stopReason !== null ? { error: control.stopReason } : {}) };

  /** The direct answer's score, computed on the sandbox queue (scoring runs code answers); none when the task has no gold. */
  async function scoreDirect(task: BenchTask, answer: string) {
    const scorable = task.answers.length > 0 || !!task.code?.tests || (task.code?.ioTests?.length ?? 0) > 0; // APPS has only ioTests
    if (!scorable) return undefined;
    try {
      return await acts.scoreSession.executeWithOptions({ summary: `score direct · ${task.dataset}/${task.id}` }, [{ task, answer }]);
    } catch (err) {
      throw new Error(sandboxPoolDown(err, acts.sandboxQueue, 'the scoring of the direct answer') ?? describeFailure(err));
    }
  }

  async function runUnit(method: EvalMethod, task: BenchTask, key: string): Promise<EvalItemResult> {
    const base = { key, method, dataset: task.dataset, taskType: task.taskType, itemId: task.id };
    if (method === 'direct') {
      try {
        const r = await acts.directAnswer.executeWithOptions({ summary: `direct · ${task.dataset}/${task.id}` }, [
          { task, executorBackend: input.executor },
        ]);
        r.score ??= await scoreDirect(task, r.answer);
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
    const workflowId = evalSessionId(task.dataset, task.id, suffix, method);
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
          return fromSession(base, await acts.sessionOutcome.executeWithOptions({ summary: `earlier ${workflowId}` }, [{ workflowId }]));
        } catch (again) {
          return failed({ ...base, sessionId: workflowId }, describeFailure(again));
        }
      }
      return failed({ ...base, sessionId: workflowId }, describeFailure(err));
    }
  }
}

type UnitBase = Pick<EvalItemResult, 'key' | 'method' | 'dataset' | 'taskType' | 'itemId'> & { sessionId?: string };

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

/** The client part of the input, checked with the schema the API and the CLI used to start the run. */
function checkInput(input: EvalRunInput): void {
  const { continueAsNewAfterEvents: _can, carry: _carry, ...start } = input;
  const parsed = evalRunStartSchema.safeParse(start);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(`invalid evaluation run: ${describeSchemaProblems(parsed.error)}`, FAILURE.invalidEvalInput);
}

/** The report: rows per dataset and method, per task type, the paper's column, failures, markdown. */
export function buildReport(input: EvalRunInput, plan: EvalDatasetPlan[], methods: EvalMethod[], results: readonly EvalItemResult[]): EvalReport {
  const rows = aggregateRows(results, 'dataset');
  const byTaskType = aggregateRows(results, 'taskType');
  const datasets = plan.map((p) => p.dataset);
  const paper = paperReferenceFor(datasets);
  return {
    name: input.name,
    rows,
    byTaskType,
    paper,
    failures: results.filter((r) => !r.ok).map((r) => ({ key: r.key, error: r.error ?? 'failed' })),
    ...(results.some(isUnavailable) ? { unavailable: results.filter(isUnavailable).map((r) => ({ key: r.key, error: r.error ?? 'backend-unavailable' })) } : {}),
    markdown: renderReportMarkdown({ rows, byTaskType, paper, datasets, methods }),
  };
}

/** Tasks of the sample, fetched in chunks from the `evalTasks` activity as the run reaches them. */
class TaskFeed {
  private chunk: { dataset: number; offset: number; tasks: BenchTask[] } | null = null;
  constructor(
    private readonly plan: EvalDatasetPlan[],
    private readonly input: EvalRunInput,
    private readonly acts: EvalActivityProxies,
  ) {}

  async at(cursor: { dataset: number; offset: number }): Promise<BenchTask | undefined> {
    const c = this.chunk;
    if (!c || c.dataset !== cursor.dataset || cursor.offset < c.offset || cursor.offset >= c.offset + c.tasks.length) {
      const dataset = this.plan[cursor.dataset]?.dataset as string;
      const limit = Math.max(8, Math.min(32, this.input.concurrency * 2));
      const tasks = await this.acts.evalTasks.executeWithOptions({ summary: `tasks · ${dataset} ${cursor.offset}+${limit}` }, [
        { dataset, perDataset: this.input.perDataset, seed: this.input.seed, offset: cursor.offset, limit },
      ]);
      this.chunk = { dataset: cursor.dataset, offset: cursor.offset, tasks };
    }
    const now = this.chunk as { offset: number; tasks: BenchTask[] };
    return now.tasks[cursor.offset - now.offset];
  }
}
