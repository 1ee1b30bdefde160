import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NativeConnection, Worker } from '@temporalio/worker';
import { AppModule } from '../app/app.module';
import { loadConfig, type ApiConfig } from '../app/config';
import { configureApp } from '../app/configure';
import { workerWorkflowOptions } from '@flowsteer/temporal-runtime';

export const TOKEN = 'e2e-token-0123456789abcdef';
export const auth = { Authorization: `Bearer ${TOKEN}` };

/** The API under test, exactly as main.ts builds it, on its own task queue against the test server. */
export async function createTestApp(overrides: Partial<ApiConfig> = {}): Promise<{ app: NestExpressApplication; config: ApiConfig }> {
  const config: ApiConfig = {
    ...loadConfig({ TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS }),
    tokens: [TOKEN],
    taskQueue: `api-e2e-${Math.random().toString(36).slice(2, 8)}`,
    streamPollMs: 100,
    queryTimeoutMs: 5000,
    ...overrides,
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureApp(app, config);
  await app.init();
  return { app, config };
}

/** An in-process worker running the stub workflows of fixtures/stub-workflows.ts. */
export async function startStubWorker(taskQueue: string): Promise<{ worker: Worker; stop(): Promise<void> }> {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS as string });
  const worker = await Worker.create({ connection, taskQueue, ...workerWorkflowOptions(require.resolve('./fixtures/stub-workflows')) });
  const running = worker.run();
  return {
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** Polls until `check` returns a value (visibility is eventually consistent). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
