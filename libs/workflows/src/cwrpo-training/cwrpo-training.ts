import { ApplicationFailure, continueAsNew, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  FAILURE,
  SA,
  trainingProgressQuery,
  type CwrpoTrainingInput,
  type CwrpoTrainingProgress,
  type CwrpoTrainingResult,
  type LearnerStepInput,
  type PolicyPublication,
  type TrainingCarry,
  type TrainingStepMetrics,
  learnerHyperparametersOf,
} from '@flowsteer/contracts';
import { RunControl } from '../shared/run-control';
import { resourceActivities, trainingActivities } from './proxies';
import { learnerRunId } from './ids';
import { readTrainingConfig } from './options';
import { batchItems, rolloutMetrics, scoreRollouts, unavailableStreak, type Rollout } from './rewards';
import { runRollouts } from './rollouts';

/** Steps kept in the progress query's history (older ones stay in `runs/<run>/steps/`). */
const HISTORY_WINDOW = 200;
const DEFAULT_CAN_EVERY = 5;
const LEARNER_KEYS = new Set([
  'loss',
  'surrogate',
  'kl',
  'clippedFraction',
  'gradNorm',
  'lr',
  'ratioMean',
  'ratioMax',
  'tokensPerSecond',
  'samplerLogprobAbsDiff',
  'samplerKlK3',
]);

/**
 * CWRPO training (issue 9, DESIGN §5): per step, sample problems (seeded by (seed, step)), run G
 * `canvasSession` rollouts per problem under the current policy version, reward them
 * (`computeReward` on the final DSL and the session's score), compute group advantages, build the
 * batch file (activity), apply one learner step on `cwrpo-learner` (Python, idempotent by
 * (run, step)), publish the new adapter to the director's server (`/v1/load_lora_adapter`), record
 * the step's metrics, and continue as new every few steps carrying the state.
 *
 * Crash safety: rollout ids are `train-<name>-s<step>-p<i>-g<j>`, so a step run again keeps its
 * finished rollouts; the learner returns the stored checkpoint of a step it already applied; the
 * batch is rebuilt identically from the stored trajectories. Pause holds new rollouts and steps;
 * stop ends the run after the current step.
 */
export async function cwrpoTraining(input: CwrpoTrainingInput): Promise<CwrpoTrainingResult> {
  const runId = workflowInfo().workflowId;
  const read = readTrainingConfig(input.config);
  if (!read.config)
    throw ApplicationFailure.nonRetryable(
      `invalid training run "${input.name}": ${read.problems.join('; ')}`,
      FAILURE.invalidTrainingInput,
    );
  const { config } = read;
  // Named resources: the server turns the model name into what the learner opens and its queue.
  const resources = await resourceActivities()({ baseModel: config.baseModel });
  const acts = trainingActivities(config, resources);
  const owner = workflowInfo().typedSearchAttributes.get(SA.owner);
  const learnerRun = learnerRunId(runId);
  const carry = input.carry;
  const firstStep = carry?.nextStep ?? input.startStep ?? 1;
  const state = {
    nextStep: firstStep,
    policyVersion: carry?.policyVersion ?? (firstStep > 1 ? `${learnerRun}-step-${firstStep - 1}` : 'base'),
    checkpointPath: carry?.checkpointPath ?? null,
    history: (carry?.history ?? []).slice(),
    publication: carry?.publication as PolicyPublication | undefined,
    unavailableInARow: carry?.unavailableInARow ?? 0,
  };
  const control = new RunControl(carry?.paused === true);
  let currentStep = 0;
  let stage: CwrpoTrainingProgress['stage'] = 'idle';
  const rollouts = { done: 0, total: 0, failed: 0 };

  setHandler(trainingProgressQuery, (): CwrpoTrainingProgress => {
    const last = state.history.at(-1);
    return {
      phase: control.phase,
      step: state.nextStep - 1,
      totalSteps: config.steps,
      policyVersion: state.policyVersion,
      metrics: last?.metrics ?? {},
      history: state.history,
      currentStep,
      stage,
      rollouts: { ...rollouts },
      checkpointPath: state.checkpointPath,
      ...(state.publication ? { publication: state.publication } : {}),
      ...(control.stopReason !== null ? { stopReason: control.stopReason } : {}),
    };
  });
  upsertSearchAttributes([
    { key: SA.run, value: runId },
    { key: SA.status, value: 'running' },
    { key: SA.policyVersion, value: state.policyVersion },
  ]);
  control.begin();

  const canEvery = config.continueAsNewEvery ?? DEFAULT_CAN_EVERY;
  let stepsHere = 0;
  while (state.nextStep <= config.steps && !control.stopping) {
    await control.waitUntilMayProceed();
    if (control.stopping) break;
    if (stepsHere >= canEvery || workflowInfo().continueAsNewSuggested) {
      const next: TrainingCarry = {
        nextStep: state.nextStep,
        policyVersion: state.policyVersion,
        checkpointPath: state.checkpointPath,
        history: state.history,
        ...(state.publication ? { publication: state.publication } : {}),
        generation: (carry?.generation ?? 0) + 1,
        ...(control.paused ? { paused: true } : {}),
        ...(state.unavailableInARow ? { unavailableInARow: state.unavailableInARow } : {}),
      };
      return continueAsNew<typeof cwrpoTraining>({ ...input, carry: next });
    }
    await runStep(state.nextStep);
    state.nextStep += 1;
    stepsHere += 1;
  }
  control.phase = control.stopping ? 'stopped' : 'finished';
  stage = 'idle';
  upsertSearchAttributes([{ key: SA.status, value: control.phase }]);
  return {
    runId,
    status: control.stopping ? 'stopped' : 'finished',
    step: state.nextStep - 1,
    policyVersion: state.policyVersion,
    checkpointPath: state.checkpointPath,
    history: state.history,
    ...(state.publication ? { publication: state.publication } : {}),
    ...(control.stopReason !== null ? { stopReason: control.stopReason } : {}),
  };

  async function runStep(step: number): Promise<void> {
    currentStep = step;
    stage = 'rollouts';
    const tasks = await acts.trainingProblems.executeWithOptions({ summary: `step ${step} · problems` }, [
      { datasets: config.datasets, seed: config.seed, step, count: config.problemsPerStep },
    ]);
    Object.assign(rollouts, { done: 0, total: tasks.length * config.groupSize, failed: 0 });
    const finishedInOrder: Rollout[] = [];
    const done = await runRollouts(
      {
        name: input.name,
        runId,
        step,
        config,
        policyVersion: state.policyVersion,
        ...(state.publication?.published && state.publication.adapterName ? { directorModel: state.publication.adapterName } : {}),
        ...(owner ? { owner } : {}),
        concurrency: config.concurrency ?? Math.max(1, tasks.length * config.groupSize),
        gate: control.mayProceed,
      },
      tasks,
      acts,
      (r) => {
        finishedInOrder.push(r);
        rollouts.done += 1;
        if (!r.outcome || r.outcome.status === 'failed') rollouts.failed += 1;
      },
    );
    state.unavailableInARow = unavailableStreak(state.unavailableInARow, finishedInOrder);
    const limit = config.maxUnavailableInARow ?? config.groupSize * config.problemsPerStep;
    if (state.unavailableInARow >= limit) {
      throw ApplicationFailure.nonRetryable(
        `step ${step}: ${state.unavailableInARow} rollouts in a row ended backend-unavailable (limit ${limit}): the director "${config.director}" or executor "${config.executor}" backend is down. ` +
          `No step was applied for them; fix the backends and start the run again from step ${step} (startStep).`,
        FAILURE.backendsUnavailable,
      );
    }
    const scored = scoreRollouts(done, config);
    const { items, groups } = batchItems(scored, config);
    const metrics: Record<string, number> = rolloutMetrics(done, scored, groups);
    if (items.length === 0) {
      // nothing to learn from: the policy and checkpoint stay as they are
      metrics.skipped = 1;
      await record({ step, metrics, policyVersion: state.policyVersion });
      return;
    }

    stage = 'batch';
    const batch = await acts.buildTrainingBatch.executeWithOptions({ summary: `step ${step} · batch of ${items.length}` }, [
      {
        runId: learnerRun,
        step,
        directorBackend: config.director,
        tokenizer: config.tokenizer ?? 'sampled',
        baseModel: config.baseModel,
        ...(config.maxSampleTokens ? { maxSampleTokens: config.maxSampleTokens } : {}),
        ...(config.prompts ? { prompts: config.prompts } : {}),
        items,
      },
    ]);
    Object.assign(metrics, {
      batchSamples: batch.samples,
      batchTokens: batch.tokens,
      batchMaskedTokens: batch.maskedTokens,
      batchTruncatedTokens: batch.truncatedTokens,
    });

    stage = 'learner';
    const learnerInput: LearnerStepInput = {
      runId: learnerRun,
      step,
      baseModel: resources.learnerModel,
      batchPath: batch.batchPath,
      ...(state.checkpointPath ? { startCheckpoint: state.checkpointPath } : {}),
      hyperparameters: learnerHyperparametersOf(config),
    };
    const out = await acts.learnerStep.executeWithOptions({ summary: `step ${step} · learner` }, [learnerInput]);
    for (const [key, value] of Object.entries(out.metrics)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      metrics[LEARNER_KEYS.has(key) ? key : `learner${key[0]?.toUpperCase()}${key.slice(1)}`] = value;
    }
    metrics.learnerReused = out.reused ? 1 : 0;
    state.policyVersion = out.policyVersion;
    state.checkpointPath = out.checkpointPath;

    stage = 'publish';
    state.publication =
      config.publish === false
        ? {
            policyVersion: out.policyVersion,
            published: false,
            reason: 'publishing is off (publish: false): rollouts keep the weights the server has',
          }
        : await acts.publishPolicy.executeWithOptions({ summary: `step ${step} · publish ${out.policyVersion}` }, [
            {
              directorBackend: config.director,
              policyVersion: out.policyVersion,
              adapterPath: out.adapterPath,
              ...(config.adapterName ? { adapterName: config.adapterName } : {}),
            },
          ]);
    metrics.published = state.publication.published ? 1 : 0;
    upsertSearchAttributes([{ key: SA.policyVersion, value: state.policyVersion }]);
    await record({ step, metrics, policyVersion: state.policyVersion });
  }

  async function record(entry: TrainingStepMetrics): Promise<void> {
    state.history.push(entry);
    if (state.history.length > HISTORY_WINDOW) state.history.splice(0, state.history.length - HISTORY_WINDOW);
    stage = 'idle';
    await acts.recordTrainingStep.executeWithOptions({ summary: `step ${entry.step} · record` }, [{ runId: learnerRun, step: entry }]);
  }
}
