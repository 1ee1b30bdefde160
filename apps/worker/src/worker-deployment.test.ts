import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CWRPO_TRAINING_WORKFLOW, HEALTH_CHECK_WORKFLOW, type HealthCheckResult } from '@flowsteer/contracts';
import { WORKSPACE_ROOT } from '@flowsteer/temporal-runtime';
import { freePort } from '../../../jest/test-server';

jest.setTimeout(180_000);

/**
 * The worker process with the settings the Helm chart gives a canvas pod: a Worker Deployment
 * version, slot sizes and the Prometheus endpoint, against the real test server.
 */
describe('worker process with deployment settings (versioning, slots, metrics)', () => {
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const deploymentName = `flowsteer-test-${tag}`;
  const buildId = `build-${tag}`;
  const taskQueue = `flowsteer-canvas-versioned-${tag}`;
  let worker: ChildProcess;
  let output = '';
  let metricsUrl = '';
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    worker = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(WORKSPACE_ROOT, 'apps/worker/src/main.ts')], {
      cwd: WORKSPACE_ROOT,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(WORKSPACE_ROOT, 'tsconfig.json'),
        FLOWSTEER_WORKER_IDENTITY: `versioned-${tag}`,
        FLOWSTEER_WORKER_ROLES: 'canvas',
        FLOWSTEER_TASK_QUEUE: taskQueue,
        FLOWSTEER_WORKER_VERSIONING: 'true',
        FLOWSTEER_WORKER_DEPLOYMENT_NAME: deploymentName,
        FLOWSTEER_WORKER_BUILD_ID: buildId,
        FLOWSTEER_WORKER_DEFAULT_VERSIONING_BEHAVIOR: 'PINNED',
        FLOWSTEER_MAX_CONCURRENT_WORKFLOW_TASKS: '4',
        FLOWSTEER_MAX_CONCURRENT_ACTIVITIES: '8',
        FLOWSTEER_MAX_CACHED_WORKFLOWS: '50',
        FLOWSTEER_METRICS_PROMETHEUS_BIND: `127.0.0.1:${metricsPort}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout?.on('data', (d) => (output += d));
    worker.stderr?.on('data', (d) => (output += d));
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    client = new Client({ connection });
    await until(() => output.includes('serving'), 90_000, 'the worker to start');
  });

  afterAll(async () => {
    await connection?.close();
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  });

  it('says what it serves: its version and metrics address', () => {
    expect(output).toContain(`version ${deploymentName}.${buildId} (PINNED)`);
    expect(output).toContain(`metrics ${metricsUrl}`);
  });

  it('registers its version; once made current, a session-style workflow runs on it, pinned', async () => {
    const service = client.workflowService;
    // The version appears once the worker has polled; making it current routes the queue to it.
    await until(
      async () => {
        try {
          const d = await service.describeWorkerDeployment({ namespace: 'default', deploymentName });
          return (d.workerDeploymentInfo?.versionSummaries ?? []).some((v) => v.deploymentVersion?.buildId === buildId);
        } catch {
          return false;
        }
      },
      60_000,
      'the worker deployment version to be registered',
    );
    await service.setWorkerDeploymentCurrentVersion({ namespace: 'default', deploymentName, buildId, identity: 'worker-deployment-test' });
    const workflowId = `health-versioned-${tag}`;
    const result = (await client.workflow.execute(HEALTH_CHECK_WORKFLOW, {
      taskQueue,
      workflowId,
      args: [{ message: 'pinned?' }],
      workflowExecutionTimeout: '90 seconds',
    })) as HealthCheckResult;
    expect(result.echoed).toBe('pinned?');
    const { raw } = await client.workflow.getHandle(workflowId).describe();
    const versioning = raw.workflowExecutionInfo?.versioningInfo;
    expect(versioning?.behavior).toBe(temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
    expect(versioning?.deploymentVersion).toMatchObject({ deploymentName, buildId });
  });

  it('a training run declares AUTO_UPGRADE, so a run of days follows new versions', async () => {
    const workflowId = `train-versioned-${tag}`;
    const handle = await client.workflow.start(CWRPO_TRAINING_WORKFLOW, {
      taskQueue,
      workflowId,
      args: [{ name: `versioned-${tag}`, config: {} }],
    });
    await expect(handle.result()).rejects.toThrow(); // an empty config is refused in its first workflow task
    const { raw } = await handle.describe();
    expect(raw.workflowExecutionInfo?.versioningInfo?.behavior).toBe(
      temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE,
    );
  });

  it('serves the SDK metrics for Prometheus, including the slots it was given', async () => {
    let text = '';
    await until(
      async () => {
        text = await fetch(metricsUrl)
          .then((r) => r.text())
          .catch(() => '');
        return /temporal_workflow_completed\{[^}]*task_queue="flowsteer-canvas-versioned/.test(text);
      },
      30_000,
      'the completed workflow to show in the metrics',
    );
    // Free workflow-task slots of this queue never exceed the 4 configured.
    const slots = [...text.matchAll(/temporal_worker_task_slots_available\{([^}]*)\} (\d+)/g)]
      .filter(([, labels = '']) => labels.includes(`task_queue="${taskQueue}"`) && labels.includes(`worker_type="WorkflowWorker"`))
      .map(([, , n]) => Number(n));
    expect(slots.length).toBeGreaterThan(0);
    expect(Math.max(...slots)).toBeLessThanOrEqual(4);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped gracefully');
  });

  async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (worker.exitCode !== null)
        throw new Error(`the worker exited (${worker.exitCode}) while waiting for ${what}:\n${output.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; worker output:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
});

describe('worker process refuses a bad deployment setting', () => {
  it('exits 1 at start, naming the variable', async () => {
    const proc = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(WORKSPACE_ROOT, 'apps/worker/src/main.ts')], {
      cwd: WORKSPACE_ROOT,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(WORKSPACE_ROOT, 'tsconfig.json'),
        FLOWSTEER_WORKER_VERSIONING: 'true',
        FLOWSTEER_WORKER_BUILD_ID: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    proc.stderr?.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('FLOWSTEER_WORKER_BUILD_ID is empty');
  });
});
