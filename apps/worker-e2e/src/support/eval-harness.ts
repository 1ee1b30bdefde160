import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TASK_QUEUES, type BenchTask } from '@flowsteer/contracts';
import { BackendRegistry, LlmClient, defaultLocalBackend } from '@flowsteer/llm';
import { reply, startFakeOpenAIServer, type FakeOpenAIServer, type FakeReply, type RecordedRequest } from '@flowsteer/llm/test-support';
import type { SandboxRunner } from '@flowsteer/sandbox';
import { createCanvasWorker } from '../../../worker/src/worker';
import { startSandboxWorkerFor, type RunningSandboxWorker } from '../../../worker/src/test-support/sandbox-worker';
import { fakeBackend } from './session-harness';
import { writeWorkflowBundle } from './worker-process';

export function requestText(req: RecordedRequest): string {
  const body = req.body as { messages?: Array<{ content?: unknown }> } | undefined;
  return (body?.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
}

/**
 * A stateless director for eval tests: round 1 adds Custom, its prompt turn writes a prompt, every
 * later round asks to finish (refused: the workflow is too small), so a session with maxTurns 3
 * takes exactly 3 director calls and ends at the turn limit with the Custom node's answer.
 * `failOn(text)` answers HTTP 400 (not retryable): that session fails at turn 0.
 */
export function evalDirectorReply(failOn: (text: string) => boolean) {
  return (req: RecordedRequest): FakeReply => {
    const text = requestText(req);
    if (failOn(text)) return reply.status(400, 'scripted failure for this item');
    if (/Write the prompt for (\w+)/.test(text)) return reply.text('Solve the problem and state the final answer.');
    const round = Number(/Round (\d+)/.exec(text)?.[1] ?? NaN);
    return reply.text(round === 1 ? '<action>add</action><operator>Custom</operator>' : '<action>finish</action>');
  };
}

/**
 * An executor that knows the gold answers: it finds the task's problem in the request and answers its
 * gold in every tag the operators read. Asked directly (the "executor alone" baseline) it follows the
 * stated answer convention, as a capable model would: code in a fence, "#### n", or a \boxed{} answer.
 */
export function goldExecutorReply(tasks: readonly BenchTask[]) {
  return (req: RecordedRequest): FakeReply => {
    const text = requestText(req);
    const task = tasks.find((t) => text.includes(t.problem.slice(0, 120)));
    const answer = task?.answers[0] ?? 'unknown';
    if (/Reply with the code only/.test(text)) return reply.text(`\`\`\`python\n${answer}\n\`\`\``);
    const convention = /"#### <number>"/.test(text)
      ? `\n#### ${answer}`
      : /End with the final answer in \\boxed\{\}/.test(text)
        ? `\n\\boxed{${answer}}`
        : '';
    return reply.text(
      [
        '<thought>Read the problem.</thought>',
        `<response>${answer}</response>`,
        `<solution>${answer}</solution>`,
        '<review_result>true</review_result>',
        '<feedback>Consistent.</feedback>',
        '<is_correct>true</is_correct><confidence>high</confidence>',
        '<plan>1. Read. 2. Answer.</plan>',
        `<result>${answer}</result>`,
        `<final>${answer}</final>`,
        `<answer>${answer}</answer>`,
      ].join('\n') + convention,
    );
  };
}

/** Director requests that carry this task's problem (its session's calls). */
export function requestsFor(fake: FakeOpenAIServer, task: BenchTask): number {
  return fake.requests.filter((r) => requestText(r).includes(task.problem.slice(0, 120))).length;
}

export interface EvalHarness {
  client: Client;
  director: FakeOpenAIServer;
  executor: FakeOpenAIServer;
  taskQueue: string;
  reportsDir: string;
  /** Stops the current worker (the run's work stays in Temporal) and starts a fresh one on the same queue. */
  restartWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Real in-process workers (one at a time, same task queue, one bundle) against the test server,
 * with the fake "director" and "executor" backends; reports go to a temporary folder. No sandbox
 * unless one is passed (then code and the symbolic check are scored).
 */
export async function startEvalHarness(options: { sandbox?: SandboxRunner | null } = {}): Promise<EvalHarness> {
  const director = await startFakeOpenAIServer();
  const executor = await startFakeOpenAIServer();
  const registry = new BackendRegistry(
    [defaultLocalBackend(), fakeBackend('director', director, 8), fakeBackend('executor', executor, 8)],
    { director: 'director', executor: 'executor' },
    'eval test registry',
  );
  const address = process.env.TEMPORAL_ADDRESS as string;
  const work = mkdtempSync(join(tmpdir(), 'flowsteer-eval-'));
  const bundle = await writeWorkflowBundle(work);
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const taskQueue = `${TASK_QUEUES.canvas}-eval-${Math.random().toString(36).slice(2, 8)}`;
  const reportsDir = join(work, 'reports');
  const artifactsDir = join(work, 'artifacts');
  let current: { worker: Worker; running: Promise<void> } | null = null;
  // code runs and scoring go to the sandbox queue: one sandbox worker for the harness's life
  let sandboxWorker: RunningSandboxWorker | undefined;
  let generation = 0;

  async function startWorker() {
    generation += 1;
    const worker = await createCanvasWorker(
      nativeConnection,
      { address, namespace: 'default', taskQueue, identity: `eval-test-${generation}@${process.pid}`, workflowBundlePath: bundle },
      { llm: new LlmClient(registry), artifactsDir, reportsDir },
    );
    current = { worker, running: worker.run() };
    sandboxWorker ??= await startSandboxWorkerFor(nativeConnection, taskQueue, artifactsDir, options.sandbox ?? null);
  }
  async function stopWorker() {
    if (!current) return;
    const { worker, running } = current;
    current = null;
    worker.shutdown();
    await running;
  }
  await startWorker();
  return {
    client: new Client({ connection }),
    director,
    executor,
    taskQueue,
    reportsDir,
    async restartWorker() {
      await stopWorker();
      await startWorker();
    },
    stopWorker,
    async close() {
      await stopWorker();
      await sandboxWorker?.stop();
      await nativeConnection.close();
      await connection.close();
      await director.close();
      await executor.close();
    },
  };
}
