import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore } from '@flowsteer/artifacts';
import { workflowChainHistories } from '@flowsteer/temporal-runtime';
import { TASK_QUEUES, sandboxQueueFor, type PluginOperator } from '@flowsteer/contracts';
import { BackendRegistry, LlmClient, defaultLocalBackend, type OpenAICompatibleBackend } from '@flowsteer/llm';
import { reply, startFakeOpenAIServer, type FakeOpenAIServer, type RecordedRequest } from '@flowsteer/llm/test-support';
import type { SandboxRunner } from '@flowsteer/sandbox';
import { createCanvasWorker } from '../../../worker/src/worker';
import { startSandboxWorkerFor, type RunningSandboxWorker } from '../../../worker/src/test-support/sandbox-worker';

/** A scripted executor: answers every operator call with tags most operators read, ending in `answer`. */
export function executorScript(answer: string) {
  return (_req: RecordedRequest) =>
    reply.text(
      [
        `<thought>Work it out: the result is ${answer}.</thought>`,
        `<response>${answer}</response>`,
        `<answer>${answer}</answer>`,
        `<solution>${answer}</solution>`,
        `<review_result>true</review_result>`,
        `<feedback>The solution is consistent.</feedback>`,
        `<is_correct>true</is_correct><confidence>high</confidence>`,
        `<plan>1. Read. 2. Compute.</plan>`,
        `<result>${answer}</result>`,
        `<final>${answer}</final>`,
        `<answer>${answer}</answer>`,
      ].join('\n'),
    );
}

export function fakeBackend(name: string, fake: Pick<FakeOpenAIServer, 'baseURL' | 'model'>, concurrency = 4): OpenAICompatibleBackend {
  return {
    name,
    kind: 'openai-compatible',
    baseURL: fake.baseURL,
    model: fake.model,
    sampling: {},
    price: { inputPerMTok: 1, outputPerMTok: 2 },
    concurrency,
    timeoutMs: 5_000,
    retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 },
    capabilities: { jsonSchema: true, grammar: 'llama-cpp', logprobs: true },
  };
}

export interface SessionHarness {
  client: Client;
  worker: Worker;
  director: FakeOpenAIServer;
  executor: FakeOpenAIServer;
  taskQueue: string;
  /** The sandbox queue of this harness's sessions (`sandboxQueueFor(taskQueue)`). */
  sandboxTaskQueue: string;
  /** The sandbox worker polling it (absent with `sandboxWorker: false`). */
  sandboxWorker?: RunningSandboxWorker;
  /** The worker's artifact store (segments, texts, trajectories). */
  store: ArtifactStore;
  close(): Promise<void>;
}

export interface SessionHarnessOptions {
  /** Temporal server address; default TEMPORAL_ADDRESS (the shared test server). */
  address?: string;
  /** Fake servers owned by the caller (not closed by `close()`); default: new ones. */
  director?: FakeOpenAIServer;
  executor?: FakeOpenAIServer;
  /** Per-backend concurrency of the worker's LLM client (default 4). */
  concurrency?: number;
  /**
   * The sandbox worker's runner: a real one (`createSandbox()`) where code must run; default `null`
   * (no isolation: code runs fail with SandboxUnavailable, code answers are not scored).
   */
  sandbox?: SandboxRunner | null;
  /** `false`: start no sandbox worker at all (a pool that is down). */
  sandboxWorker?: boolean;
  /** Plug-in operators the worker runs (default: FLOWSTEER_PLUGINS, unset in tests). */
  plugins?: PluginOperator[];
}

/**
 * Real workers (in-process) against the test server, with two scripted OpenAI-compatible
 * backends: "director" and "executor" (and "executor-b", a second name for the same executor server, for
 * forks under another executor). Each harness gets its own task queue, and a sandbox worker
 * on the paired sandbox queue (code runs and scoring), sharing the artifact store.
 */
export async function startSessionHarness(executorAnswer = '42', options: SessionHarnessOptions = {}): Promise<SessionHarness> {
  const director = options.director ?? (await startFakeOpenAIServer());
  const executor = options.executor ?? (await startFakeOpenAIServer({ fallback: executorScript(executorAnswer) }));
  const registry = new BackendRegistry(
    [
      defaultLocalBackend(),
      fakeBackend('director', director, options.concurrency),
      fakeBackend('executor', executor, options.concurrency),
      fakeBackend('executor-b', executor, options.concurrency),
    ],
    { director: 'director', executor: 'executor' },
    'session test registry',
  );
  const address = options.address ?? (process.env.TEMPORAL_ADDRESS as string);
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const taskQueue = `${TASK_QUEUES.canvas}-test-${Math.random().toString(36).slice(2, 8)}`;
  const artifactsDir = mkdtempSync(join(tmpdir(), 'flowsteer-artifacts-'));
  const worker = await createCanvasWorker(
    nativeConnection,
    { address, namespace: 'default', taskQueue, identity: `session-test@${process.pid}` },
    { llm: new LlmClient(registry), artifactsDir, ...(options.plugins ? { plugins: options.plugins } : {}) },
  );
  const running = worker.run();
  const sandboxWorker =
    options.sandboxWorker === false
      ? undefined
      : await startSandboxWorkerFor(nativeConnection, taskQueue, artifactsDir, options.sandbox ?? null);
  return {
    client: new Client({ connection }),
    worker,
    director,
    executor,
    taskQueue,
    sandboxTaskQueue: sandboxQueueFor(taskQueue),
    ...(sandboxWorker ? { sandboxWorker } : {}),
    store: new ArtifactStore(artifactsDir),
    async close() {
      worker.shutdown();
      await running;
      await sandboxWorker?.stop();
      await nativeConnection.close();
      await connection.close();
      if (!options.director) await director.close();
      if (!options.executor) await executor.close();
    },
  };
}

/** Saves every run of a continue-as-new chain (`<name>-run-<i>.json`) when FLOWSTEER_RECORD_HISTORIES=1. */
export async function maybeRecordChain(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.FLOWSTEER_RECORD_HISTORIES !== '1') return;
  const runs = await workflowChainHistories(client, workflowId);
  runs.forEach((run, i) =>
    writeFileSync(
      join(__dirname, '..', '..', '..', '..', 'temporal', 'histories', `${name}-run-${i}.json`),
      historyToJSON(run.history) + '\n',
    ),
  );
}

/** Saves a finished workflow's history for the replay suite when FLOWSTEER_RECORD_HISTORIES=1. */
export async function maybeRecordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.FLOWSTEER_RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(join(__dirname, '..', '..', '..', '..', 'temporal', 'histories', `${name}.json`), historyToJSON(history) + '\n');
}
