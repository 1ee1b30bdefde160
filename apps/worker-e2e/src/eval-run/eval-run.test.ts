import { existsSync, readFileSync } from 'node:fs';
import { loadDataset, sampleTasks } from '@flowsteer/bench';
import {
  EVAL_RUN_WORKFLOW,
  evalProgressQuery,
  pauseSignal,
  resumeSignal,
  stopSignal,
  type BenchTask,
  type EvalRunInput,
  type EvalRunProgress,
  type EvalRunResult,
} from '@flowsteer/contracts';
import { evalSessionId, runSuffix } from '../../../../libs/workflows/src/eval-run/ids';
import { evalDirectorReply, goldExecutorReply, requestsFor, startEvalHarness, type EvalHarness } from '../support/eval-harness';
import { maybeRecordChain } from '../support/session-harness';

jest.setTimeout(180_000);

function sample(dataset: string, n: number): BenchTask[] {
  return sampleTasks(loadDataset(dataset).tasks, { perDataset: n, seed: 42 });
}

function input(name: string, extra: Partial<EvalRunInput>): EvalRunInput {
  return {
    name,
    datasets: ['gsm8k'],
    perDataset: 2,
    seed: 42,
    director: 'director',
    executor: 'executor',
    maxTurns: 3,
    promptMode: 'compact',
    baselines: false,
    concurrency: 2,
    ...extra,
  };
}

const row = (r: EvalRunResult, dataset: string, method: string) => r.report.rows.find((x) => x.dataset === dataset && x.method === method);

describe('evalRun workflow (real server, scripted LLMs)', () => {
  let h: EvalHarness;
  beforeAll(async () => {
    h = await startEvalHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs 2 datasets × 2 items with baselines, tolerates a failing session, continues as new and writes the report', async () => {
    const gsm8k = sample('gsm8k', 2);
    const hotpot = sample('hotpotqa', 2);
    const failing = hotpot[1] as BenchTask;
    h.director.setFallback(evalDirectorReply((text) => text.includes(failing.problem.slice(0, 120))));
    h.executor.setFallback(goldExecutorReply([...gsm8k, ...hotpot]));
    // a recorded run keeps a fixed id: the run derives its sessions' ids from it, and replay needs the same
    const recording = process.env.FLOWSTEER_RECORD_HISTORIES === '1';
    const workflowId = recording ? 'eval-e2e-recorded' : `eval-e2e-${Date.now().toString(36)}`;
    const handle = await h.client.workflow.start(EVAL_RUN_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [input('e2e', { datasets: ['gsm8k', 'hotpotqa'], baselines: true, concurrency: 3, continueAsNewAfterEvents: 40 })],
    });
    const result = (await handle.result()) as EvalRunResult;

    expect(result.status).toBe('finished');
    // FlowSteer sessions: gold answers from the executor; the failing session counts as 0 and as a failure
    expect(row(result, 'gsm8k', 'flowsteer')?.metrics).toMatchObject({ accuracy: 100, primary: 100, meanTurns: 3, failures: 0 });
    expect(row(result, 'hotpotqa', 'flowsteer')?.metrics).toMatchObject({ em: 50, f1: 50, failures: 1, meanTurns: 3 });
    expect(row(result, 'hotpotqa', 'flowsteer')?.metrics.flowsteer_f1).toBe(50);
    expect(row(result, 'gsm8k', 'flowsteer')?.metrics.directorTokens).toBeGreaterThan(0);
    // baselines: the fixed workflow takes no director turn; the direct answer is one executor call
    for (const d of ['gsm8k', 'hotpotqa']) {
      expect(row(result, d, 'fixed')).toMatchObject({
        n: 2,
        metrics: expect.objectContaining({ meanTurns: 0, directorTokens: 0, failures: 0 }),
      });
      expect(row(result, d, 'fixed')?.metrics.executorTokens).toBeGreaterThan(0);
      expect(row(result, d, 'direct')).toMatchObject({ n: 2, metrics: expect.objectContaining({ meanTurns: 0, failures: 0 }) });
    }
    expect(row(result, 'gsm8k', 'fixed')?.metrics.accuracy).toBe(100);
    expect(row(result, 'gsm8k', 'direct')?.metrics.accuracy).toBe(100);
    expect(result.report.failures).toEqual([{ key: `flowsteer/hotpotqa/${failing.id}`, error: expect.stringMatching(/failed at turn 0/) }]);
    expect(result.report.byTaskType?.map((r) => `${r.dataset}/${r.method}`)).toEqual([
      'math/direct',
      'math/fixed',
      'math/flowsteer',
      'qa/direct',
      'qa/fixed',
      'qa/flowsteer',
    ]);
    expect(result.report.paper).toEqual({ gsm8k: { accuracy: 96.09 }, hotpotqa: { em: 78.12, f1: 84.98 } });
    expect(result.report.markdown).toContain('| FlowSteer (this run) | 100.00 | 50.00 / 50.00 |');
    expect(result.report.markdown).toContain('| FlowSteer (paper, Qwen3-8B director) | 96.09 | 78.12 / 84.98 |');

    // every director call is accounted for: 3 per finished session, 1 for the failing one — nothing
    // was re-run across continue-as-new
    for (const t of [...gsm8k, hotpot[0] as BenchTask]) expect(requestsFor(h.director, t)).toBe(3);
    expect(requestsFor(h.director, failing)).toBe(1);
    expect(h.director.requests).toHaveLength(10);
    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId); // it continued as new at least once
    expect(await handle.query(evalProgressQuery)).toMatchObject({ phase: 'finished', step: 12, total: 12, failed: 1 });

    // sessions carry the run in FlowSteerRun and ids derived from the run id
    const sessionId = evalSessionId('gsm8k', (gsm8k[0] as BenchTask).id, runSuffix(workflowId, 'e2e'), 'flowsteer');
    const session = await h.client.workflow.getHandle(sessionId).describe();
    expect(session.typedSearchAttributes.get({ name: 'FlowSteerRun', type: 'KEYWORD' } as never)).toBe(workflowId);
    expect(description.typedSearchAttributes.get({ name: 'FlowSteerRun', type: 'KEYWORD' } as never)).toBe(workflowId);

    // report files
    const files = result.report.files;
    expect(files && existsSync(files.markdown) && existsSync(files.json) && existsSync(files.svg)).toBe(true);
    const json = JSON.parse(readFileSync(files?.json as string, 'utf8')) as { items: unknown[]; rows: unknown[] };
    expect(json.items).toHaveLength(12);
    expect(readFileSync(files?.markdown as string, 'utf8')).toContain('## Failures (1)');
    expect(readFileSync(files?.svg as string, 'utf8')).toMatch(/^<svg[\s\S]*>FlowSteer \(paper\)<[\s\S]*<\/svg>$/);
    await maybeRecordChain(h.client, workflowId, workflowId);
  });

  it('pauses (no new sessions), resumes, and stops gracefully with a report of what finished', async () => {
    const tasks = sample('gsm8k', 3);
    h.director.requests.length = 0;
    const director = evalDirectorReply(() => false);
    h.director.setFallback((req) => ({ ...director(req), delayMs: 150 }) as never); // a session lasts ~0.5 s
    h.executor.setFallback(goldExecutorReply(tasks));
    const handle = await h.client.workflow.start(EVAL_RUN_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `eval-signals-${Date.now().toString(36)}`,
      args: [input('signals', { perDataset: 3, concurrency: 1 })],
    });
    await handle.signal(pauseSignal);
    const waitFor = async (ok: (p: EvalRunProgress) => boolean) => {
      for (;;) {
        const p = await handle.query(evalProgressQuery).catch(() => undefined);
        if (p && ok(p)) return p;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const paused = await waitFor((p) => p.phase === 'paused');
    expect(paused.total).toBe(3);
    await handle.signal(resumeSignal);
    await waitFor((p) => p.step >= 1);
    await handle.signal(stopSignal, 'enough for now');
    const result = (await handle.result()) as EvalRunResult;
    expect(result.status).toBe('stopped');
    expect(result.error).toBe('enough for now');
    const n = row(result, 'gsm8k', 'flowsteer')?.n ?? 0;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThan(3);
    expect(await handle.query(evalProgressQuery)).toMatchObject({ phase: 'stopped', step: n, total: 3 });
  });

  it('resumes after its worker is replaced mid-run without re-running finished sessions', async () => {
    const tasks = sample('gsm8k', 3);
    h.director.requests.length = 0;
    const director = evalDirectorReply(() => false);
    h.director.setFallback((req) => ({ ...director(req), delayMs: 150 }) as never);
    h.executor.setFallback(goldExecutorReply(tasks));
    const workflowId = `eval-resume-${Date.now().toString(36)}`;
    const handle = await h.client.workflow.start(EVAL_RUN_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [input('resume', { perDataset: 3, concurrency: 1 })],
    });
    // wait (by polling, no timing assertion) until the first session has finished
    for (;;) {
      const p = await handle.query(evalProgressQuery).catch(() => undefined);
      if (p && p.step >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const suffix = runSuffix(workflowId, 'resume');
    const statusOf = async (t: BenchTask) =>
      (
        await h.client.workflow
          .getHandle(evalSessionId('gsm8k', t.id, suffix, 'flowsteer'))
          .describe()
          .catch(() => undefined)
      )?.status.name;
    await h.stopWorker();
    const finishedBefore = [];
    for (const t of tasks) if ((await statusOf(t)) === 'COMPLETED') finishedBefore.push(t);
    const callsBefore = new Map(finishedBefore.map((t) => [t.id, requestsFor(h.director, t)]));
    await h.restartWorker();
    const result = (await handle.result()) as EvalRunResult;

    expect(finishedBefore.length).toBeGreaterThanOrEqual(1);
    expect(finishedBefore.length).toBeLessThan(3); // the worker really went away mid-run
    expect(result.status).toBe('finished');
    expect(row(result, 'gsm8k', 'flowsteer')).toMatchObject({ n: 3, metrics: expect.objectContaining({ accuracy: 100, failures: 0 }) });
    for (const t of finishedBefore) {
      expect(callsBefore.get(t.id)).toBe(3);
      expect(requestsFor(h.director, t)).toBe(3); // not one director call more after the restart
    }
  });
});
