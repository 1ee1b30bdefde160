import type { Client } from '@temporalio/client';
import { Worker, bundleWorkflowCode, type ReplayWorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundleOptions } from './bundle-options';

type History = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;

export interface ChainRun {
  runId: string;
  /** Events in this run's history. */
  events: number;
}

export type ReplayChainResult =
  | { ok: true; workflowId: string; runs: ChainRun[] }
  | { ok: false; workflowId: string; runs: ChainRun[]; divergence: { runId: string; message: string } };

export interface ReplayChainOptions {
  /** A pre-built workflow bundle (`FLOWSTEER_WORKFLOW_BUNDLE`); default: the workflow sources, bundled once per process. */
  workflowBundle?: { codePath: string } | { code: string };
  replayName?: string;
  /** Refuse chains longer than this many runs (default 1000). */
  maxRuns?: number;
}

/**
 * Every run of a workflow's continue-as-new chain, oldest first: the latest run names the first one
 * (`firstExecutionRunId` of its start event); each run that continued as new names the next
 * (`WorkflowExecutionContinuedAsNew.newExecutionRunId`).
 */
export async function workflowChainHistories(
  client: Client,
  workflowId: string,
  maxRuns = 1000,
): Promise<{ runId: string; history: History }[]> {
  const latest = await client.workflow.getHandle(workflowId).fetchHistory();
  const started = latest.events?.[0]?.workflowExecutionStartedEventAttributes;
  const latestRunId = started?.originalExecutionRunId ?? '';
  const firstRunId = started?.firstExecutionRunId || latestRunId;
  if (!started?.continuedExecutionRunId || firstRunId === latestRunId) return [{ runId: latestRunId, history: latest }];
  const chain: { runId: string; history: History }[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    if (chain.length >= maxRuns) throw new Error(`${workflowId} has more than ${maxRuns} runs in its continue-as-new chain`);
    const history: History = runId === latestRunId ? latest : await client.workflow.getHandle(workflowId, runId).fetchHistory();
    chain.push({ runId, history });
    const last = history.events?.at(-1);
    runId = runId === latestRunId ? undefined : (last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined);
  }
  return chain;
}

let sourceBundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The current workflow sources, bundled once per process (webpack takes seconds). */
function currentBundle(): Promise<WorkflowBundleWithSourceMap> {
  sourceBundle ??= bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietLogger }).catch((err: unknown) => {
    sourceBundle = undefined;
    throw err;
  });
  return sourceBundle;
}

const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
  log: () => undefined,
};

/**
 * The determinism check of one workflow (the CLI's `flowsteer replay`, the API's
 * `POST /v1/sessions/{id}/replay`): fetches the history of every run of its continue-as-new chain
 * and replays each on the current workflow code with `Worker.runReplayHistories`; answers ok, or the
 * first run that diverges and why. No activity runs, so nothing is called or written.
 */
export async function replayWorkflowChain(
  client: Client,
  workflowId: string,
  options: ReplayChainOptions = {},
): Promise<ReplayChainResult> {
  const chain = await workflowChainHistories(client, workflowId, options.maxRuns);
  const runs = chain.map(({ runId, history }) => ({ runId, events: history.events?.length ?? 0 }));
  const workflowBundle = options.workflowBundle ?? (await currentBundle());
  const replayOptions: ReplayWorkerOptions = { workflowBundle, replayName: options.replayName ?? 'flowsteer-replay' };
  const byRunId = new Map(chain.map((c, i) => [c.runId, i]));
  let index = 0;
  for await (const result of Worker.runReplayHistories(
    replayOptions,
    chain.map(({ history }) => ({ workflowId, history })),
  )) {
    const run = chain[byRunId.get(result.runId) ?? index]?.runId ?? result.runId;
    index += 1;
    if (result.error) return { ok: false, workflowId, runs, divergence: { runId: run, message: result.error.message } };
  }
  return { ok: true, workflowId, runs };
}
