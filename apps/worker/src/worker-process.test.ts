import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { HEALTH_CHECK_WORKFLOW, TASK_QUEUES, type HealthCheckResult } from '@flowsteer/contracts';
import { WORKSPACE_ROOT } from '@flowsteer/temporal-runtime';

jest.setTimeout(120_000);

/** The worker as users run it: a separate process against the real test server. */
describe('worker process', () => {
  let worker: ChildProcess;
  let output = '';
  let connection: Connection;
  const identity = `worker-e2e-${process.pid}`;

  beforeAll(async () => {
    worker = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(WORKSPACE_ROOT, 'apps/worker/src/main.ts')], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, FLOWSTEER_WORKER_IDENTITY: identity, TSX_TSCONFIG_PATH: join(WORKSPACE_ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout?.on('data', (d) => (output += d));
    worker.stderr?.on('data', (d) => (output += d));
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  });

  afterAll(async () => {
    await connection.close();
    if (worker.exitCode === null) worker.kill('SIGKILL');
  });

  it('serves the health-check workflow', async () => {
    const client = new Client({ connection });
    const result = (await client.workflow.execute(HEALTH_CHECK_WORKFLOW, {
      taskQueue: TASK_QUEUES.canvas,
      workflowId: `health-worker-e2e-${Date.now()}`,
      args: [{ message: 'ping' }],
      workflowExecutionTimeout: '90 seconds',
    })) as HealthCheckResult;
    expect(result.echoed).toBe('ping');
    expect(result.workerIdentity).toBe(identity);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped gracefully');
  });
});
