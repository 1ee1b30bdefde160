import { condition, executeChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { CANVAS_SESSION_WORKFLOW, SA, type BenchTask, type SessionInput, type TrainingConfig } from '@flowsteer/contracts';
import { rolloutOutcomeOf } from '@flowsteer/cwrpo';
import type { canvasSession } from '../canvas-session/canvas-session';
import { innermostMessage as describeFailure } from '../canvas-session/failures';
import type { TrainingActivityProxies } from './proxies';
import { rolloutId } from './ids';
import type { Rollout } from './rewards';

export interface RolloutPlan {
  name: string;
  runId: string;
  step: number;
  config: TrainingConfig;
  policyVersion: string;
  /** The published adapter the rollouts sample from; absent while the server has the base weights. */
  directorModel?: string;
  /** The run's owner (`FlowSteerOwner`), carried to every rollout. */
  owner?: string;
  concurrency: number;
  /** New rollouts start only while this holds (pause). */
  gate: () => boolean;
}

/**
 * G `canvasSession` children per problem under the current policy version, at most `concurrency`
 * at once. Ids are deterministic, so a step that is run again (a restarted run) meets the rollouts
 * it finished before (id reuse: duplicates only after failure) and takes their recorded outcome.
 */
export async function runRollouts(
  plan: RolloutPlan,
  problems: readonly BenchTask[],
  acts: TrainingActivityProxies,
  onDone: (r: Rollout) => void,
): Promise<Rollout[]> {
  const { config } = plan;
  const jobs: { id: string; task: BenchTask }[] = [];
  problems.forEach((task, i) => {
    for (let g = 0; g < config.groupSize; g += 1) jobs.push({ id: rolloutId(plan.name, plan.step, i, g), task });
  });
  let inflight = 0;
  const results: Promise<Rollout>[] = [];
  for (const job of jobs) {
    await condition(() => inflight < plan.concurrency && plan.gate());
    inflight += 1;
    results.push(
      runOne(plan, job.id, job.task, acts).then((r) => {
        inflight -= 1;
        onDone(r);
        return r;
      }),
    );
  }
  return Promise.all(results);
}

async function runOne(plan: RolloutPlan, workflowId: string, task: BenchTask, acts: TrainingActivityProxies): Promise<Rollout> {
  const { config } = plan;
  const input: SessionInput = {
    task,
    directorBackend: config.director,
    executorBackend: config.executor,
    limits: {
      maxTurns: config.maxTurns,
      ...(config.llmCalls ? { llmCalls: config.llmCalls } : {}),
      ...(config.outageBudgetSec !== undefined ? { outageBudgetSec: config.outageBudgetSec } : {}),
      ...(config.outageRetrySec !== undefined ? { outageRetrySec: config.outageRetrySec } : {}),
    },
    run: plan.runId,
    policyVersion: plan.policyVersion,
    ...(plan.directorModel ? { directorModel: plan.directorModel } : {}),
    recordTrajectory: true,
    ...(config.temperature !== undefined ? { directorTemperature: config.temperature } : {}),
    ...(config.promptMode ? { promptMode: config.promptMode } : {}),
  };
  try {
    const result = await executeChild<typeof canvasSession>(CANVAS_SESSION_WORKFLOW, {
      workflowId,
      args: [input],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      memo: { problem: task.problem.slice(0, 200), step: plan.step },
      typedSearchAttributes: [
        { key: SA.run, value: plan.runId },
        { key: SA.dataset, value: task.dataset },
        { key: SA.taskType, value: task.taskType },
        { key: SA.policyVersion, value: plan.policyVersion },
        { key: SA.status, value: 'running' },
        { key: SA.turns, value: 0 },
        ...(plan.owner ? [{ key: SA.owner, value: plan.owner }] : []),
      ],
    });
    return { id: workflowId, task, outcome: rolloutOutcomeOf(result) };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      try {
        const outcome = await acts.rolloutOutcome.executeWithOptions({ summary: `earlier ${workflowId}` }, [{ workflowId }]);
        return { id: workflowId, task, outcome };
      } catch (again) {
        return { id: workflowId, task, error: describeFailure(again) };
      }
    }
    return { id: workflowId, task, error: describeFailure(err) };
  }
}
