import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import {
  TASK_QUEUES,
  trainingProgressQuery,
  type BenchTask,
  type CwrpoTrainingProgress,
  type LearnerStepInput,
  type LearnerStepOutput,
  type TrainingConfig,
  type TrainingSample,
} from '@flowsteer/contracts';
import { BackendRegistry, LlmClient, defaultLocalBackend, defaultLocalModelEntry, type ModelEntry } from '@flowsteer/llm';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '@flowsteer/llm/test-support';
import { createCanvasWorker } from '../../../worker/src/worker';
import { startSandboxWorkerFor } from '../../../worker/src/test-support/sandbox-worker';
import { fakeBackend } from './session-harness';
import { scriptedDirectorReply, scriptedExecutorReply, scriptedSessionInput } from './scripted-session';

/**
 * Test harness of the training workflow: a real in-process worker (workflows + activities) on its
 * own task queue, scripted director/executor fake servers, and a TypeScript fake of the Python
 * learner on a test learner queue (or none, when a real learner worker serves that queue).
 */
/** Problems of the scripted dataset: "What is A times B?", long (R = 1) and short (R = -0.2) director scripts. */
export const PROBLEMS: BenchTask[] = [0, 1, 2, 3].map((i) => scriptedSessionInput(i).task);

export interface FakeLearner {
  /** learnerStep calls per step (attempts included). */
  calls: Map<number, number>;
  /** Steps applied (each must be applied exactly once). */
  applied: Map<string, number>;
  inputs: LearnerStepInput[];
  batches: Map<number, TrainingSample[]>;
  /** Failure to inject, per step, on the first attempt only. */
  crash: Map<number, 'after-commit' | 'hang'>;
}

/**
 * A TypeScript stand-in for the Python learner with its contract: idempotent by (run, step) —
 * a step whose checkpoint exists is returned with `reused: true` and not applied again — and the
 * checkpoint is "committed" atomically (the `applied` map) before the result is returned.
 */
export function fakeLearnerActivities(artifactsDir: string, state: FakeLearner) {
  return {
    async learnerStep(input: LearnerStepInput): Promise<LearnerStepOutput> {
      const ctx = Context.current();
      state.calls.set(input.step, (state.calls.get(input.step) ?? 0) + 1);
      state.inputs.push(input);
      const key = `${input.runId}/${input.step}`;
      const checkpointPath = join(artifactsDir, 'runs', input.runId, `step-${input.step}`);
      const output = (reused: boolean): LearnerStepOutput => ({
        runId: input.runId,
        step: input.step,
        policyVersion: `${input.runId}-step-${input.step}`,
        adapterPath: join(checkpointPath, 'adapter'),
        checkpointPath,
        startCheckpoint: input.startCheckpoint ?? null,
        reused,
        metrics: {
          loss: 0.5 / input.step,
          surrogate: 0.1,
          kl: 0.01 * input.step,
          clippedFraction: 0.25,
          gradNorm: 1,
          samples: 2,
          tokens: 100,
          maskedTokens: 40,
          tokensPerSecond: 1000,
          lr: 1e-5,
          trainSeconds: 0.1,
        },
      });
      if (state.applied.has(key)) return output(true);
      if (!input.baseModel) throw ApplicationFailure.nonRetryable('baseModel missing', 'LearnerInputError');
      const batch = JSON.parse(readFileSync(join(artifactsDir, input.batchPath), 'utf8')) as { samples: TrainingSample[] };
      const crash = ctx.info.attempt === 1 ? state.crash.get(input.step) : undefined;
      if (crash === 'hang') {
        // killed before committing: no heartbeat, the heartbeat timeout fires and Temporal retries
        await Promise.race([ctx.cancelled.catch(() => undefined), new Promise((r) => setTimeout(r, 8_000))]);
        throw new Error('learner attempt abandoned');
      }
      state.batches.set(input.step, batch.samples);
      state.applied.set(key, (state.applied.get(key) ?? 0) + 1);
      if (crash === 'after-commit') throw new Error('learner killed after writing its checkpoint, before answering');
      return output(false);
    },
  };
}

export interface TrainingHarness {
  client: Client;
  director: FakeOpenAIServer;
  executor: FakeOpenAIServer;
  taskQueue: string;
  learnerQueue: string;
  artifactsDir: string;
  learner: FakeLearner;
  close(): Promise<void>;
}

/** The base model the fake learner "trains": a name, as clients give it; the harness's `models:` maps it. */
export const TINY_MODEL = 'tiny';

export async function startTrainingHarness(options: { fakeLearner?: boolean; models?: ModelEntry[] } = {}): Promise<TrainingHarness> {
  const director = await startFakeOpenAIServer({ fallback: (req) => scriptedDirectorReply(req) });
  const executor = await startFakeOpenAIServer({ fallback: (req) => scriptedExecutorReply(req) });
  const models = [defaultLocalModelEntry(), { name: TINY_MODEL, path: '/models/tiny' }, ...(options.models ?? [])];
  const registry = new BackendRegistry(
    [defaultLocalBackend(), fakeBackend('director', director, 16), fakeBackend('executor', executor, 16)],
    { director: 'director', executor: 'executor' },
    'training test registry',
    models,
  );
  const address = process.env.TEMPORAL_ADDRESS as string;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const suffix = Math.random().toString(36).slice(2, 8);
  const taskQueue = `${TASK_QUEUES.canvas}-train-test-${suffix}`;
  const learnerQueue = `${TASK_QUEUES.learner}-test-${suffix}`;
  const artifactsDir = mkdtempSync(join(tmpdir(), 'flowsteer-train-'));
  const learner: FakeLearner = { calls: new Map(), applied: new Map(), inputs: [], batches: new Map(), crash: new Map() };
  const worker = await createCanvasWorker(
    nativeConnection,
    { address, namespace: 'default', taskQueue, identity: `train-test@${process.pid}` },
    {
      llm: new LlmClient(registry),
      artifactsDir,
      training: { loadTasks: (name) => (name === 'scripted' ? PROBLEMS : []), learnerTaskQueue: learnerQueue },
    },
  );
  const learnerWorker =
    options.fakeLearner === false
      ? null
      : await Worker.create({
          connection: nativeConnection,
          namespace: 'default',
          taskQueue: learnerQueue,
          activities: fakeLearnerActivities(artifactsDir, learner),
        });
  const sandboxWorker = await startSandboxWorkerFor(nativeConnection, taskQueue, artifactsDir, null);
  const running = [worker.run(), ...(learnerWorker ? [learnerWorker.run()] : [])];
  return {
    client: new Client({ connection }),
    director,
    executor,
    taskQueue,
    learnerQueue,
    artifactsDir,
    learner,
    async close() {
      worker.shutdown();
      learnerWorker?.shutdown();
      await Promise.all(running);
      await sandboxWorker.stop();
      await nativeConnection.close();
      await connection.close();
      await director.close();
      await executor.close();
    },
  };
}

export function trainingConfig(
  _h: TrainingHarness,
  overrides: Partial<TrainingConfig> = {},
  more: Partial<TrainingConfig> = {},
): TrainingConfig {
  return {
    datasets: ['scripted'],
    groupSize: 2,
    problemsPerStep: 1,
    steps: 2,
    seed: 7,
    director: 'director',
    executor: 'executor',
    maxTurns: 20,
    baseModel: TINY_MODEL,
    temperature: 0.8,
    learningRate: 2e-5,
    tokenizer: 'utf8-bytes',
    continueAsNewEvery: 1,
    learnerHeartbeatSeconds: 2,
    ...overrides,
    ...more,
  };
}

export async function waitForProgress(
  h: TrainingHarness,
  workflowId: string,
  ok: (p: CwrpoTrainingProgress) => boolean,
): Promise<CwrpoTrainingProgress> {
  const handle = h.client.workflow.getHandle(workflowId);
  for (;;) {
    try {
      const p = (await handle.query(trainingProgressQuery)) as CwrpoTrainingProgress;
      if (ok(p)) return p;
    } catch {
      // not started yet, or between continue-as-new runs
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
