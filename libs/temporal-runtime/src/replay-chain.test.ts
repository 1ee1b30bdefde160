import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { replayWorkflowChain, workflowChainHistories } from './replay-chain';

jest.setTimeout(180_000);

const silent = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  log: () => undefined,
};
const bundle = (file: string) =>
  bundleWorkflowCode({ workflowsPath: require.resolve(join(__dirname, 'test-support', file)), logger: silent });

describe('replayWorkflowChain (real server)', () => {
  let client: Client;
  let connection: Connection;
  let workflowId: string;
  let original: Awaited<ReturnType<typeof bundle>>;

  beforeAll(async () => {
    const address = process.env.TEMPORAL_ADDRESS as string;
    connection = await Connection.connect({ address });
    client = new Client({ connection });
    original = await bundle('chain-workflow.ts');
    const native = await NativeConnection.connect({ address });
    const taskQueue = `replay-chain-${Math.random().toString(36).slice(2, 8)}`;
    const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: original });
    workflowId = `chain-${Date.now().toString(36)}`;
    await worker.runUntil(client.workflow.execute('chained', { taskQueue, workflowId, args: [3] }));
    await native.close();
  });
  afterAll(async () => {
    await connection.close();
  });

  it('follows the continue-as-new chain from the first run to the latest', async () => {
    const chain = await workflowChainHistories(client, workflowId);
    expect(chain).toHaveLength(3);
    expect(new Set(chain.map((c) => c.runId)).size).toBe(3);
    expect(chain[0]?.history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeFalsy();
    expect(chain.slice(0, 2).every((c) => c.history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
    expect(chain[2]?.history.events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
  });

  it('answers ok when every run replays on the same code', async () => {
    const result = await replayWorkflowChain(client, workflowId, { workflowBundle: original });
    expect(result.ok).toBe(true);
    expect(result.runs).toHaveLength(3);
  });

  it('names the first run that diverges on changed code', async () => {
    const chain = await workflowChainHistories(client, workflowId);
    const result = await replayWorkflowChain(client, workflowId, { workflowBundle: await bundle('changed-chain-workflow.ts') });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.divergence.runId).toBe(chain[1]?.runId);
    expect(result.divergence.message).toMatch(/nondetermin|Nondeterminism|determinism/i);
  });
});
