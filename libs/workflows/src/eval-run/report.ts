import { ApplicationFailure } from '@temporalio/workflow';
import {
  FAILURE,
  describeSchemaProblems,
  evalRunStartSchema,
  type EvalDatasetPlan,
  type EvalItemResult,
  type EvalMethod,
  type EvalReport,
  type EvalRunInput,
  type EvalRunProgress,
} from '@flowsteer/contracts';
import type { RunPhase } from '@flowsteer/contracts';
import { aggregateRows, isUnavailable, progressMetrics } from './aggregate';
import { paperReferenceFor } from './paper-reference';
import { renderReportMarkdown } from './report-table';

/** The client part of the input, checked with the schema the API and the CLI used to start the run. */
export function checkInput(input: EvalRunInput): void {
  const { continueAsNewAfterEvents: _can, carry: _carry, ...start } = input;
  const parsed = evalRunStartSchema.safeParse(start);
  if (!parsed.success)
    throw ApplicationFailure.nonRetryable(`invalid evaluation run: ${describeSchemaProblems(parsed.error)}`, FAILURE.invalidEvalInput);
}

/** The `progress` query's answer: units done of all, failures, running metrics, per dataset. */
export function buildProgress(
  phase: RunPhase,
  plan: EvalDatasetPlan[],
  methods: EvalMethod[],
  results: readonly EvalItemResult[],
): EvalRunProgress {
  const perDataset: EvalRunProgress['perDataset'] = {};
  for (const p of plan) {
    const done = results.filter((r) => r.dataset === p.dataset);
    const scored = done.filter((r) => r.method === 'flowsteer' && r.ok && r.primary !== undefined);
    perDataset[p.dataset] = {
      done: done.length,
      total: p.total * methods.length,
      meanScore: scored.length ? scored.reduce((s, r) => s + (r.primary as number), 0) / scored.length : null,
    };
  }
  return {
    phase,
    step: results.length,
    total: plan.reduce((s, p) => s + p.total, 0) * methods.length,
    failed: results.filter((r) => !r.ok).length,
    metrics: progressMetrics(results),
    perDataset,
  };
}

/** The report: rows per dataset and method, per task type, the paper's column, failures, markdown. */
export function buildReport(
  input: EvalRunInput,
  plan: EvalDatasetPlan[],
  methods: EvalMethod[],
  results: readonly EvalItemResult[],
): EvalReport {
  const rows = aggregateRows(results, 'dataset');
  const byTaskType = aggregateRows(results, 'taskType');
  const datasets = plan.map((p) => p.dataset);
  const paper = paperReferenceFor(datasets);
  return {
    name: input.name,
    backends: {
      director: input.director,
      executor: input.executor,
      ...(input.policyVersion ? { policyVersion: input.policyVersion } : {}),
    },
    rows,
    byTaskType,
    paper,
    failures: results.filter((r) => !r.ok).map((r) => ({ key: r.key, error: r.error ?? 'failed' })),
    ...(results.some(isUnavailable)
      ? { unavailable: results.filter(isUnavailable).map((r) => ({ key: r.key, error: r.error ?? 'backend-unavailable' })) }
      : {}),
    markdown: renderReportMarkdown({ rows, byTaskType, paper, datasets, methods }),
  };
}
