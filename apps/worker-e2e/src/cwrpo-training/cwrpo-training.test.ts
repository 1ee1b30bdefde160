import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import {
  CWRPO_TRAINING_WORKFLOW,
  pauseSignal,
  resumeSignal,
  stopSignal,
  trainingProgressQuery,
  type CwrpoTrainingInput,
  type CwrpoTrainingProgress,
  type CwrpoTrainingResult,
  type TrainingSample,
} from '@flowsteer/contracts';
import { SCRIPT_TURNS } from '../support/scripted-session';
import { startTrainingHarness, trainingConfig as config, waitForProgress, type TrainingHarness } from '../support/training-harness';

jest.setTimeout(180_000);

describe('cwrpoTraining workflow (real server, scripted sessions, fake learner)', () => {
  let h: TrainingHarness;
  beforeAll(async () => {
    h = await startTrainingHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs 2 steps of G=2 rollouts: rewards, advantages, batch files, one learner step each, continue-as-new between steps', async () => {
    const name = `e2e${Date.now().toString(36)}`;
    const workflowId = `train-${name}`;
    const input: CwrpoTrainingInput = { name, config: config(h) };
    const handle = await h.client.workflow.start(CWRPO_TRAINING_WORKFLOW, { taskQueue: h.taskQueue, workflowId, args: [input] });
    const result = (await handle.result()) as CwrpoTrainingResult;

    expect(result.status).toBe('finished');
    expect(result.step).toBe(2);
    expect(result.policyVersion).toBe(`${workflowId}-step-2`);
    expect(result.checkpointPath).toBe(join(h.artifactsDir, 'runs', workflowId, 'step-2'));
    expect(result.history.map((s) => s.step)).toEqual([1, 2]);
    // each step applied exactly once, in order, each starting from the previous checkpoint
    expect([...h.learner.applied.entries()].filter(([k]) => k.startsWith(workflowId))).toEqual([
      [`${workflowId}/1`, 1],
      [`${workflowId}/2`, 1],
    ]);
    const inputs = h.learner.inputs.filter((i) => i.runId === workflowId);
    expect(inputs.map((i) => i.step)).toEqual([1, 2]);
    expect(inputs[0]?.startCheckpoint).toBeUndefined();
    expect(inputs[1]?.startCheckpoint).toBe(join(h.artifactsDir, 'runs', workflowId, 'step-1'));
    expect(inputs[0]?.hyperparameters).toMatchObject({ learningRate: 2e-5, maxSteps: 2 });
    expect(inputs[0]?.baseModel).toBe('/models/tiny'); // the server's resolution of the name "tiny"
    expect(inputs[0]?.batchPath).toBe(join('runs', workflowId, 'batches', 'step-1.json'));

    for (const entry of result.history) {
      const m = entry.metrics;
      // scripted sessions: the long script earns R = 1 (structure complete, correct), the short one -0.2
      expect([1, -0.2]).toContainEqual(expect.closeTo(m.rewardMean as number, 9));
      expect(m.rollouts).toBe(2);
      expect(m.usableRollouts).toBe(2);
      expect(m.rewardStd).toBe(0); // both rollouts of the problem answer alike: one zero-variance group
      expect(m.zeroVarianceGroups).toBe(1);
      expect([SCRIPT_TURNS.long, SCRIPT_TURNS.short]).toContain(m.turnsMean);
      expect(m.correctnessMean).toBe(1);
      expect(m.directorTokens).toBeGreaterThan(0);
      expect(m.loss).toBeCloseTo(0.5 / entry.step);
      expect(m.clippedFraction).toBe(0.25);
      expect(m.learnerReused).toBe(0);
      expect(m.published).toBe(0);
      expect(m.batchSamples).toBe(2);
      expect(entry.policyVersion).toBe(`${workflowId}-step-${entry.step}`);
      // the batch the learner read: one sample per rollout, director tokens masked in, feedback out
      const samples = h.learner.batches.get(entry.step) as TrainingSample[];
      expect(samples).toHaveLength(2);
      for (const s of samples) {
        expect(s.tokenIds).toHaveLength(s.mask.length);
        expect(s.mask).toContain(1);
        expect(s.mask).toContain(0);
        expect(s.advantage).toBe(0);
        expect(s.policyVersion).toBe(entry.step === 1 ? 'base' : `${workflowId}-step-1`);
      }
      expect(existsSync(join(h.artifactsDir, 'runs', workflowId, 'steps', `step-${entry.step}.json`))).toBe(true);
    }
    // the embedded-free fake server has no adapter endpoint: recorded as not published, with the reason
    expect(result.publication).toMatchObject({ policyVersion: `${workflowId}-step-2`, published: false });
    expect(result.publication?.reason).toMatch(/no adapter endpoint .*HTTP 404/);
    expect(h.director.requests.filter((r) => r.path === '/v1/load_lora_adapter')).not.toHaveLength(0);

    // rollouts are children with deterministic ids, run under the policy version of their step
    const child = await h.client.workflow.getHandle(`${workflowId}-s2-p0-g1`).describe();
    expect(child.status.name).toBe('COMPLETED');
    expect(child.typedSearchAttributes.get({ name: 'FlowSteerPolicyVersion', type: 'KEYWORD' } as never)).toBe(`${workflowId}-step-1`);
    expect(child.typedSearchAttributes.get({ name: 'FlowSteerRun', type: 'KEYWORD' } as never)).toBe(workflowId);
    // continue-as-new after each step: the last run is the third execution of the chain
    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
    expect(description.typedSearchAttributes.get({ name: 'FlowSteerPolicyVersion', type: 'KEYWORD' } as never)).toBe(
      `${workflowId}-step-2`,
    );
    const progress = (await handle.query(trainingProgressQuery)) as CwrpoTrainingProgress;
    expect(progress).toMatchObject({ phase: 'finished', step: 2, totalSteps: 2, policyVersion: `${workflowId}-step-2` });
    expect(progress.history).toHaveLength(2);
  });

  it('survives a learner killed mid-step (twice: after committing, and before) with each step applied exactly once', async () => {
    const name = `crash${Date.now().toString(36)}`;
    const workflowId = `train-${name}`;
    h.learner.crash.set(1, 'after-commit');
    h.learner.crash.set(2, 'hang');
    try {
      const handle = await h.client.workflow.start(CWRPO_TRAINING_WORKFLOW, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [{ name, config: config(h) }],
      });
      const result = (await handle.result()) as CwrpoTrainingResult;
      expect(result.status).toBe('finished');
      expect(result.step).toBe(2);
      expect(h.learner.applied.get(`${workflowId}/1`)).toBe(1);
      expect(h.learner.applied.get(`${workflowId}/2`)).toBe(1);
      expect(h.learner.calls.get(1)).toBeGreaterThanOrEqual(2); // the retry of step 1 found its checkpoint
      expect(result.history[0]?.metrics.learnerReused).toBe(1);
      expect(result.history[1]?.metrics.learnerReused).toBe(0);
      expect(result.policyVersion).toBe(`${workflowId}-step-2`);
    } finally {
      h.learner.crash.clear();
    }
  });

  it('a restarted run resumes a step without redoing its finished rollouts or its applied learner step', async () => {
    const name = `resume${Date.now().toString(36)}`;
    const workflowId = `train-${name}`;
    const first = await h.client.workflow.start(CWRPO_TRAINING_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ name, config: config(h, { steps: 1 }) }],
    });
    await first.result();
    const chatCalls = h.director.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    // the same step again under the same id (e.g. after the run was terminated and started over)
    const again = await h.client.workflow.start(CWRPO_TRAINING_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ name, config: config(h, { steps: 1 }), startStep: 1 }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
    const result = (await again.result()) as CwrpoTrainingResult;
    expect(result.status).toBe('finished');
    expect(h.director.requests.filter((r) => r.path.endsWith('/chat/completions')).length).toBe(chatCalls); // no rollout ran again
    expect(h.learner.applied.get(`${workflowId}/1`)).toBe(1);
    expect(result.history[0]?.metrics.learnerReused).toBe(1);
    expect(result.history[0]?.metrics.usableRollouts).toBe(2);
  });

  it('pauses before any rollout, resumes, and stops after the current step', async () => {
    const name = `signals${Date.now().toString(36)}`;
    const workflowId = `train-${name}`;
    const handle = await h.client.workflow.signalWithStart(CWRPO_TRAINING_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ name, config: config(h, { steps: 5 }, { continueAsNewEvery: 10 }) }],
      signal: pauseSignal,
    });
    const paused = await waitForProgress(h, workflowId, (p) => p.phase === 'paused');
    expect(paused).toMatchObject({ step: 0, currentStep: 0, stage: 'idle', rollouts: { done: 0 } });
    expect(h.learner.inputs.filter((i) => i.runId === workflowId)).toHaveLength(0);

    await handle.signal(resumeSignal);
    await waitForProgress(h, workflowId, (p) => p.currentStep >= 1 && p.phase === 'running');
    await handle.signal(stopSignal, 'enough for the test');
    const result = (await handle.result()) as CwrpoTrainingResult;
    expect(result.status).toBe('stopped');
    expect(result.stopReason).toBe('enough for the test');
    expect(result.step).toBeGreaterThanOrEqual(1);
    expect(result.step).toBeLessThan(5);
    expect(result.history).toHaveLength(result.step);
    expect(h.learner.inputs.filter((i) => i.runId === workflowId).map((i) => i.step)).toEqual(result.history.map((s) => s.step));
    const progress = (await handle.query(trainingProgressQuery)) as CwrpoTrainingProgress;
    expect(progress.phase).toBe('stopped');
  });

  it('rejects a config without a base model, naming the key', async () => {
    const name = `bad${Date.now().toString(36)}`;
    const handle = await h.client.workflow.start(CWRPO_TRAINING_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `train-${name}`,
      args: [{ name, config: { ...config(h), baseModel: undefined } }],
    });
    await expect(handle.result()).rejects.toMatchObject({ cause: { message: expect.stringMatching(/baseModel: /) } });
  });

  it('refuses a path where a model name belongs, and an unknown model, without showing a server path', async () => {
    const asPath = `path${Date.now().toString(36)}`;
    const byPath = await h.client.workflow.start(CWRPO_TRAINING_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `train-${asPath}`,
      args: [{ name: asPath, config: { ...config(h), baseModel: '/tmp/planted/model.gguf' } }],
    });
    await expect(byPath.result()).rejects.toMatchObject({
      cause: { type: 'InvalidTrainingInput', message: expect.stringMatching(/baseModel: a model is a name .*never a path/) },
    });

    const unknown = `unknown${Date.now().toString(36)}`;
    const handle = await h.client.workflow.start(CWRPO_TRAINING_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `train-${unknown}`,
      args: [{ name: unknown, config: { ...config(h), baseModel: 'no-such-model' } }],
    });
    const failure = await handle.result().catch((err: { cause?: { cause?: { type?: string; message?: string } } }) => err.cause?.cause);
    expect(failure).toMatchObject({ type: 'UnknownModel', message: 'unknown model "no-such-model": configured models are local, tiny' });
  });
});
