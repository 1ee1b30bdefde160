import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVAL_RUN_WORKFLOW, TASK_QUEUES, type EvalRunResult } from '@flowsteer/contracts';
import { defaultLocalModelPath } from '@flowsteer/llm';
import { createCanvasWorker } from '../../../worker/src/worker';
import { startSandboxWorkerFor } from '../../../worker/src/test-support/sandbox-worker';

jest.setTimeout(900_000);

const MODEL = defaultLocalModelPath();
const maybe = existsSync(MODEL) ? describe : describe.skip;
if (!existsSync(MODEL))
  console.log(`skipping the embedded-defaults evaluation: no model at ${MODEL} (run bash libs/llm/setup/fetch-model.sh)`);

/**
 * The evaluation run on the embedded defaults, nothing scripted: the SmolLM2 model directs and
 * executes, code runs in the real sandbox, answers are scored by the canonical scorers. One item
 * of three task families (math, QA, code) keeps it to a few minutes on 2 cores; the 135M model's
 * scores mean nothing, so the test checks that everything ran and was accounted for.
 */
maybe('evalRun on the embedded defaults (real model, real sandbox)', () => {
  it('runs gsm8k, hotpotqa and mbpp end to end and reports every row', async () => {
    const address = process.env.TEMPORAL_ADDRESS as string;
    const native = await NativeConnection.connect({ address });
    const connection = await Connection.connect({ address });
    const taskQueue = `${TASK_QUEUES.canvas}-embedded-eval-${Date.now().toString(36)}`;
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-embedded-eval-'));
    const worker = await createCanvasWorker(
      native,
      { address, namespace: 'default', taskQueue, identity: `embedded-eval@${process.pid}` },
      { artifactsDir: join(dir, 'artifacts'), reportsDir: join(dir, 'reports') },
    );
    // code runs and scoring on the paired sandbox queue, in the real sandbox
    const sandbox = await startSandboxWorkerFor(native, taskQueue, join(dir, 'artifacts'), undefined);
    try {
      const result = (await worker.runUntil(
        new Client({ connection }).workflow.execute(EVAL_RUN_WORKFLOW, {
          taskQueue,
          workflowId: `eval-embedded-${Date.now().toString(36)}`,
          args: [
            {
              name: 'embedded',
              datasets: ['gsm8k', 'hotpotqa', 'mbpp'],
              perDataset: 1,
              seed: 42,
              director: 'local',
              executor: 'local',
              maxTurns: 3,
              baselines: false,
              concurrency: 2,
            },
          ],
        }),
      )) as EvalRunResult;
      expect(result.status).toBe('finished');
      const rows = result.report.rows.filter((r) => r.method === 'flowsteer');
      expect(rows.map((r) => r.dataset).sort()).toEqual(['gsm8k', 'hotpotqa', 'mbpp']);
      for (const r of rows) {
        expect(r.n).toBe(1);
        expect(r.metrics.directorTokens).toBeGreaterThan(0); // the local model really directed
        expect((r.metrics.meanTurns ?? 0) + (r.metrics.failures ?? 0)).toBeGreaterThan(0);
      }
      // code is scored on MBPP's own tests in the sandbox (0 or 100), never left unscored
      expect([0, 100]).toContain(rows.find((r) => r.dataset === 'mbpp')?.metrics['pass@1']);
      expect(result.report.markdown).toContain('FlowSteer (paper, Qwen3-8B director)');
      expect(result.report.files && existsSync(result.report.files.markdown)).toBe(true);
      console.log(`embedded evaluation:\n${result.report.markdown}`);
    } finally {
      await sandbox.stop();
      await native.close();
      await connection.close();
    }
  });
});
