import {
  CWRPO_TRAINING_WORKFLOW,
  sandboxQueueFor,
  type BenchTask,
  type BuildTrainingBatchInput,
  type BuildTrainingBatchResult,
  type CwrpoTrainingResult,
  type LearnerStepInput,
  type LearnerStepOutput,
  type TrainingConfig,
  type TrainingStepMetrics,
} from '@flowsteer/contracts';
import { WorkflowTestBed, scriptedScoring, scriptedSessionActivities } from '../test-support/scripted-activities';

// cwrpoTraining with scripted activities: its rollouts are real child canvasSession workflows whose
// activities are scripted (test-support/scripted-activities.ts); problems, batch, learner and
// publication are scripted here. One rollout's director is down for longer than the rollouts'
// outage budget: the step must drop it, report it, and learn from the others.

const TASK: BenchTask = { dataset: 'scripted', id: 'p0', taskType: 'math', problem: 'What is 17 times 23?', answers: ['391'] };

function trainingActivities(learnerQueue: string) {
  const seen = { batches: [] as BuildTrainingBatchInput[], learner: [] as LearnerStepInput[], steps: [] as TrainingStepMetrics[] };
  const activities = {
    async resolveTrainingResources({ baseModel }: { baseModel: string }) {
      return { model: baseModel, learnerModel: `/models/${baseModel}`, learnerTaskQueue: learnerQueue };
    },
    async trainingProblems(): Promise<BenchTask[]> {
      return [TASK];
    },
    async buildTrainingBatch(input: BuildTrainingBatchInput): Promise<BuildTrainingBatchResult> {
      seen.batches.push(input);
      return {
        batchPath: `runs/${input.runId}/batches/step-${input.step}.json`,
        samples: input.items.length,
        tokens: 100,
        maskedTokens: 40,
        truncatedTokens: 0,
        tokenizer: 'utf8-bytes',
      };
    },
    async learnerStep(input: LearnerStepInput): Promise<LearnerStepOutput> {
      seen.learner.push(input);
      const checkpointPath = `runs/${input.runId}/step-${input.step}`;
      return {
        runId: input.runId,
        step: input.step,
        policyVersion: `${input.runId}-step-${input.step}`,
        adapterPath: `${checkpointPath}/adapter`,
        checkpointPath,
        startCheckpoint: input.startCheckpoint ?? null,
        reused: false,
        metrics: {
          loss: 0.1,
          surrogate: 0.1,
          kl: 0,
          clippedFraction: 0,
          gradNorm: 1,
          samples: 2,
          tokens: 100,
          maskedTokens: 40,
          tokensPerSecond: 1000,
          lr: 1e-5,
          trainSeconds: 0.1,
        },
      };
    },
    async recordTrainingStep({ step }: { runId: string; step: TrainingStepMetrics }): Promise<string> {
      seen.steps.push(step);
      return `runs/steps/step-${step.step}.json`;
    },
    async rolloutOutcome(): Promise<never> {
      throw new Error('no resumed step in this test');
    },
    async publishPolicy(): Promise<never> {
      throw new Error('publish: false in this test');
    },
  };
  return { activities, seen };
}

const bed = new WorkflowTestBed();
beforeAll(() => bed.open(), 120_000);
afterAll(() => bed.close());

describe('cwrpoTraining with scripted activities', () => {
  it('a rollout that ends backend-unavailable is dropped from its group and reported; the step learns from the others', async () => {
    const taskQueue = bed.queue();
    const learnerQueue = `${taskQueue}-learner`;
    const down = (id: string) => id.endsWith('-g1');
    const session = scriptedSessionActivities((_call, id) => down(id));
    const training = trainingActivities(learnerQueue);
    const config: TrainingConfig = {
      datasets: ['gsm8k'],
      groupSize: 3,
      problemsPerStep: 1,
      steps: 1,
      seed: 1,
      director: 'director',
      executor: 'executor',
      maxTurns: 20,
      baseModel: 'tiny',
      tokenizer: 'utf8-bytes',
      publish: false,
      outageBudgetSec: 2,
      outageRetrySec: 1,
    };
    const result = await bed.withWorkers(
      taskQueue,
      { ...session.activities, ...training.activities },
      {
        [sandboxQueueFor(taskQueue)]: scriptedScoring((id) => id.endsWith('-g0')),
        [learnerQueue]: { learnerStep: training.activities.learnerStep },
      },
      async () => {
        const handle = await bed.client.workflow.start(CWRPO_TRAINING_WORKFLOW, {
          taskQueue,
          workflowId: `train-${taskQueue}`,
          args: [{ name: taskQueue, config }],
        });
        return (await handle.result()) as CwrpoTrainingResult;
      },
    );
    expect(result.status).toBe('finished');
    expect(training.seen.steps).toHaveLength(1);
    const metrics = training.seen.steps[0]!.metrics;
    expect(metrics).toMatchObject({ rollouts: 3, usableRollouts: 2, unavailableRollouts: 1, failedRollouts: 0 });
    expect(metrics.skipped).toBeUndefined();
    // correctness over the two that ran (g0 right, g2 wrong), the outage not counted as a wrong answer
    expect(metrics.correctnessMean).toBe(0.5);
    // the batch holds the two rollouts that ran, not the outage
    expect(training.seen.batches).toHaveLength(1);
    const items = training.seen.batches[0]!.items;
    expect(items.map((i) => i.trajectoryRef).sort()).toEqual([
      `artifact://trajectories/train-${taskQueue}-s1-p0-g0.json`,
      `artifact://trajectories/train-${taskQueue}-s1-p0-g2.json`,
    ]);
    expect(items.some((i) => i.trajectoryRef.endsWith('-g1.json'))).toBe(false);
    expect(training.seen.learner).toHaveLength(1);
    expect(training.seen.learner[0]!.baseModel).toBe('/models/tiny');
  }, 90_000);
});
