import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DATASET_NAMES } from '@flowsteer/bench';
import { TASK_QUEUES } from '@flowsteer/contracts';
import { BackendRegistry, LlmClient, defaultLocalBackend, defaultLocalModelEntry } from '@flowsteer/llm';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '@flowsteer/llm/test-support';
import { AppModule } from '../../app/app.module';
import { loadConfig, type ApiConfig } from '../../app/config';
import { configureApp } from '../../app/configure';
import { parseTokenSpec } from '../../auth/tokens';
import type { Role } from '../../auth/principal';
import { createCanvasWorker } from '../../../../worker/src/worker';
import { startSandboxWorkerFor } from '../../../../worker/src/test-support/sandbox-worker';
import { fakeBackend } from '../../../../worker-e2e/src/support/session-harness';
import { scriptedDirectorReply, scriptedExecutorReply } from '../../../../worker-e2e/src/support/scripted-session';
import { PROBLEMS, fakeLearnerActivities, type FakeLearner } from '../../../../worker-e2e/src/support/training-harness';

/** The test principals: two operators, a viewer and an admin. */
export const PRINCIPALS: Record<'alice' | 'bob' | 'vera' | 'root', { role: Role; token: string }> = {
  alice: { role: 'operator', token: 'alice-4c1f0e9d7b2a86e35f1d0c9b8a7e6d5c' },
  bob: { role: 'operator', token: 'bob-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2' },
  vera: { role: 'viewer', token: 'vera-0a1b2c3d4e5f60718293a4b5c6d7e8f9fa' },
  root: { role: 'admin', token: 'root-f0e1d2c3b4a5968778695a4b3c2d1e0ff1' },
};
export type PrincipalName = keyof typeof PRINCIPALS;

/** The Authorization header of a test principal. */
export const as = (name: PrincipalName) => ({ Authorization: `Bearer ${PRINCIPALS[name].token}` });
/** The default caller of tests that are not about roles: an operator. */
export const auth = as('alice');

/** The names the test worker serves (the API checks requests against the same ones). */
export const TEST_RESOURCES = { backends: ['local', 'director', 'executor'], models: ['local', 'tiny'], datasets: [...DATASET_NAMES] };

/** The API under test, exactly as main.ts builds it, on its own task queue against the test server. */
export async function createTestApp(overrides: Partial<ApiConfig> = {}): Promise<{ app: NestExpressApplication; config: ApiConfig }> {
  const config: ApiConfig = {
    ...loadConfig({ TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, FLOWSTEER_BACKENDS: '' }),
    tokens: Object.entries(PRINCIPALS).map(([name, p], i) => parseTokenSpec(`${name}:${p.role}:${p.token}`, i + 1)),
    taskQueue: `api-e2e-${Math.random().toString(36).slice(2, 8)}`,
    streams: { perPrincipal: 4, total: 64, pollMs: 100, maxPollMs: 400, tokenTtlSec: 60 },
    queryTimeoutMs: 10_000,
    resources: TEST_RESOURCES,
    ...overrides,
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureApp(app, config);
  await app.init();
  return { app, config };
}

export interface RealWorker {
  director: FakeOpenAIServer;
  executor: FakeOpenAIServer;
  learner: FakeLearner;
  artifactsDir: string;
  stop(): Promise<void>;
}

/**
 * The production canvas worker (real `canvasSession`, `evalRun`, `cwrpoTraining` and activities) on
 * the API's task queue, with scripted OpenAI-compatible servers as the "director" and "executor"
 * backends, the model "tiny" for training, gsm8k's training problems replaced by the scripted ones
 * (evaluations read the real gsm8k), and the TypeScript stand-in of the Python learner.
 * A problem containing `[slow]` gets director answers after 300 ms, so a test can act between turns.
 */
export async function startRealWorker(taskQueue: string): Promise<RealWorker> {
  const director = await startFakeOpenAIServer({
    fallback: (req) => scriptedDirectorReply(req, { delayMs: JSON.stringify(req.body).includes('[slow]') ? 300 : 0 }),
  });
  const executor = await startFakeOpenAIServer({ fallback: (req) => scriptedExecutorReply(req) });
  const registry = new BackendRegistry(
    [defaultLocalBackend(), fakeBackend('director', director, 8), fakeBackend('executor', executor, 8)],
    { director: 'director', executor: 'executor' },
    'api e2e registry',
    [defaultLocalModelEntry(), { name: 'tiny', path: '/models/tiny' }],
  );
  const address = process.env.TEMPORAL_ADDRESS as string;
  const connection = await NativeConnection.connect({ address });
  const artifactsDir = mkdtempSync(join(tmpdir(), 'flowsteer-api-e2e-'));
  const learnerQueue = `${TASK_QUEUES.learner}-api-e2e-${Math.random().toString(36).slice(2, 8)}`;
  const learner: FakeLearner = { calls: new Map(), applied: new Map(), inputs: [], batches: new Map(), crash: new Map() };
  const worker = await createCanvasWorker(
    connection,
    { address, namespace: 'default', taskQueue, identity: `api-e2e@${process.pid}` },
    {
      llm: new LlmClient(registry),
      artifactsDir,
      reportsDir: join(artifactsDir, 'reports'),
      training: { loadTasks: (name) => (name === 'gsm8k' ? PROBLEMS : []), learnerTaskQueue: learnerQueue },
    },
  );
  const learnerWorker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: learnerQueue,
    activities: fakeLearnerActivities(artifactsDir, learner),
  });
  const sandboxWorker = await startSandboxWorkerFor(connection, taskQueue, artifactsDir, null);
  const running = [worker.run(), learnerWorker.run()];
  return {
    director,
    executor,
    learner,
    artifactsDir,
    async stop() {
      worker.shutdown();
      learnerWorker.shutdown();
      await Promise.all(running);
      await sandboxWorker.stop();
      await connection.close();
      await director.close();
      await executor.close();
    },
  };
}

/** Polls until `check` returns a value (visibility is eventually consistent). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
