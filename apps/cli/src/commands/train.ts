import { join, resolve } from 'node:path';
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import {
  CWRPO_TRAINING_WORKFLOW,
  runStartOptions,
  trainingProgressQuery,
  type CwrpoTrainingInput,
  type CwrpoTrainingProgress,
  type CwrpoTrainingResult,
} from '@flowsteer/contracts';
import { canvasTaskQueue, cliOwner, flowsteerHome } from '../paths';
import { CliError } from '../processes';
import { loadBackendRegistry } from '@flowsteer/llm';
import { connectClient, pollersOf } from '../temporal';
import { loadTrainConfig } from '../train/config';
import { dryRunChecks, reachableOverHttp } from '../train/dry-run';
import { publicationLine, stageLine, stepLine } from '../train/progress-line';
import { RunFiles } from '../train/run-files';
import { uiLink } from './solve';

export interface TrainOptions {
  config: string;
  name?: string;
  out?: string;
  detach?: boolean;
  dryRun?: boolean;
  interval: string;
}

/**
 * `flowsteer train --config FILE`: starts (or attaches to) the `cwrpoTraining` run `train-<name>`,
 * prints a line per finished step and keeps `metrics.jsonl`, `plot.svg` and a TensorBoard event
 * file up to date in `.flowsteer/runs/<name>/` after every step and at the end.
 */
export async function train(opts: TrainOptions): Promise<number> {
  const file = loadTrainConfig(opts.config);
  const name = opts.name ?? file.name;
  const intervalMs = Math.max(200, Number(opts.interval) * 1000 || 2000);
  const workflowId = `train-${name}`;
  const files = new RunFiles(resolve(opts.out ?? join(flowsteerHome(), 'runs', name)), `CWRPO ${workflowId}`);
  const input: CwrpoTrainingInput = { name, config: file.config };
  const { client, connection } = await connectClient();
  try {
    if (opts.dryRun) {
      let registry;
      try {
        registry = loadBackendRegistry();
      } catch (err) {
        throw new CliError(`dry run: cannot read the backends configuration: ${(err as Error).message}`);
      }
      const report = await dryRunChecks(file.config, {
        registry,
        reachable: (b, model) => reachableOverHttp(b, model),
        pollers: async (queue, type) => (await pollersOf(client, queue, type)).length,
        canvasQueue: canvasTaskQueue(),
      });
      console.log(`dry run of ${workflowId} (${opts.config}):\n${report.lines.map((l) => `  ${l}`).join('\n')}`);
      if (!report.ok)
        throw new CliError(`dry run: ${report.lines.filter((l) => l.startsWith('FAIL')).length} problem(s); the run was not started`);
      console.log('dry run passed: `flowsteer train --config ...` without --dry-run starts it');
      return 0;
    }
    let handle: WorkflowHandle;
    try {
      handle = await client.workflow.start(CWRPO_TRAINING_WORKFLOW, {
        taskQueue: canvasTaskQueue(),
        ...runStartOptions(workflowId, input, cliOwner()),
      });
      console.log(
        `started ${workflowId}: ${file.config.steps} step(s), ${file.config.problemsPerStep} problem(s) × G=${file.config.groupSize} rollouts per step`,
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      handle = client.workflow.getHandle(workflowId);
      console.log(`${workflowId} is already running: following it (its config is the one it was started with)`);
    }
    console.log(`  ${uiLink(workflowId)}\n  metrics, plot and TensorBoard logs: ${files.dir}`);
    if (opts.detach) return 0;

    let done = false;
    const outcome = handle.result().then(
      (r) => ({ ok: true as const, result: r as CwrpoTrainingResult }),
      (e: unknown) => ({ ok: false as const, error: e as Error }),
    );
    void outcome.finally(() => {
      done = true;
    });
    let lastStage = '';
    let lastPublication = '';
    const show = async (history: CwrpoTrainingProgress['history'], total: number) => {
      for (const s of await files.merge(history)) console.log(stepLine(s, total));
    };
    while (!done) {
      try {
        const p = (await handle.query(trainingProgressQuery)) as CwrpoTrainingProgress;
        await show(p.history, p.totalSteps);
        const stage = stageLine(p);
        if (stage !== lastStage) console.log(`  ${stage}`);
        lastStage = stage;
        const pub = p.publication ? publicationLine(p.publication) : '';
        if (pub && pub.replace(/policy \S+ /, '') !== lastPublication.replace(/policy \S+ /, '')) console.log(`  ${pub}`);
        lastPublication = pub || lastPublication;
      } catch {
        // between continue-as-new executions, or the worker is restarting: ask again
      }
      await Promise.race([outcome, new Promise((r) => setTimeout(r, intervalMs))]);
    }
    const end = await outcome;
    if (!end.ok) {
      await files.merge([]);
      throw new CliError(
        `${workflowId} failed: ${(end.error as { cause?: Error }).cause?.message ?? end.error.message}\n  see ${uiLink(workflowId)}`,
      );
    }
    await show(end.result.history, file.config.steps);
    console.log(
      `\n${workflowId} ${end.result.status} after step ${end.result.step}${end.result.stopReason ? ` (${end.result.stopReason})` : ''}; policy ${end.result.policyVersion}` +
        `${end.result.checkpointPath ? `, checkpoint ${end.result.checkpointPath}` : ''}`,
    );
    if (end.result.publication) console.log(publicationLine(end.result.publication));
    console.log(`metrics ${files.metrics}\nplot    ${files.plot}\nTensorBoard: tensorboard --logdir ${files.dir}`);
    return 0;
  } finally {
    await connection.close();
  }
}
