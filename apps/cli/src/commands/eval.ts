import { WorkflowFailedError } from '@temporalio/client';
import { EVAL_RUN_WORKFLOW, evalProgressQuery, runStartOptions, type EvalRunResult } from '@flowsteer/contracts';
import { evalRunInput, type EvalOptions } from '../eval/run-input';
import { progressLine } from '../eval/progress-line';
import { canvasTaskQueue, cliOwner } from '../paths';
import { CliError } from '../processes';
import { connectClient } from '../temporal';
import { uiLink } from './solve';

export type { EvalOptions };

/**
 * `flowsteer eval`: starts an `evalRun` workflow (`eval-<name>-<suffix>`), prints its progress
 * every few seconds while it runs, and ends with the results table in the paper's layout and the
 * paths of the report files. Ctrl-C leaves the run going (it is durable); `--json` prints the result.
 */
export async function evalCommand(opts: EvalOptions): Promise<number> {
  const input = evalRunInput(opts);
  const workflowId = `eval-${input.name}-${Date.now().toString(36)}`;
  const { client, connection } = await connectClient();
  try {
    const handle = await client.workflow.start(EVAL_RUN_WORKFLOW, {
      taskQueue: canvasTaskQueue(),
      ...runStartOptions(workflowId, input, cliOwner()),
    });
    if (!opts.json) {
      console.log(
        `started ${workflowId}: ${input.datasets.join(', ')} × ${input.perDataset} (seed ${input.seed})${input.baselines ? ' with baselines' : ''}`,
      );
      console.log(`  ${uiLink(workflowId)}`);
    }
    const stop = opts.json ? () => undefined : watchProgress(() => handle.query(evalProgressQuery));
    let result: EvalRunResult;
    try {
      result = (await handle.result()) as EvalRunResult;
    } catch (err) {
      const cause = err instanceof WorkflowFailedError && err.cause ? err.cause.message : (err as Error).message;
      throw new CliError(`evaluation run ${workflowId} failed: ${cause}`);
    } finally {
      stop();
    }
    if (opts.json) {
      console.log(JSON.stringify(result, null, 2));
    } else {
      console.log(`\n${result.report.markdown}\n`);
      const failures = result.report.failures ?? [];
      if (failures.length) {
        console.log(`${failures.length} failed unit(s):`);
        for (const f of failures.slice(0, 10)) console.log(`  ${f.key}: ${f.error.split('\n')[0]}`);
      }
      if (result.report.files) {
        console.log(`report: ${result.report.files.markdown}\n        ${result.report.files.json}\n        ${result.report.files.svg}`);
      }
      console.log(`run ${result.status}: ${workflowId}`);
    }
    return result.status === 'finished' ? 0 : 1;
  } finally {
    await connection.close();
  }
}

/** Queries progress every 3 s and prints a line when it changes. */
function watchProgress(query: () => Promise<Parameters<typeof progressLine>[0]>): () => void {
  let last = '';
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const line = progressLine(await query());
      if (line !== last) console.log(line);
      last = line;
    } catch {
      // the run may not answer queries yet (starting) or the worker is busy: try again next tick
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), 3000);
  return () => clearInterval(timer);
}
