import fc from 'fast-check';
import { TASK_QUEUES } from '@flowsteer/contracts';
import { roleWarnings, workerConfigFromEnv } from './config';

describe('workerConfigFromEnv', () => {
  it('has local defaults: the canvas role only, no slots override, unversioned, no metrics, no TLS', () => {
    const c = workerConfigFromEnv({});
    expect(c.address).toBe('127.0.0.1:7233');
    expect(c.taskQueue).toBe(TASK_QUEUES.canvas);
    expect(c.sandboxTaskQueue).toBe(TASK_QUEUES.sandbox);
    expect(c.roles).toEqual(['canvas']); // candidate code runs only in a sandbox worker process of its own
    expect(c.identity).toMatch(new RegExp(`^flowsteer-canvas@.+:${process.pid}$`));
    expect(workerConfigFromEnv({ FLOWSTEER_WORKER_ROLES: 'sandbox' }).identity).toMatch(/^flowsteer-sandbox@/);
    expect(c.slots).toEqual({});
    expect(c.deployment).toBeUndefined();
    expect(c.metricsBindAddress).toBeUndefined();
    expect(c.tls).toBeUndefined();
  });

  it('pairs the sandbox queue with the canvas queue unless it is set', () => {
    expect(workerConfigFromEnv({ FLOWSTEER_TASK_QUEUE: 'flowsteer-canvas-dev' }).sandboxTaskQueue).toBe('flowsteer-sandbox-dev');
    expect(workerConfigFromEnv({ FLOWSTEER_TASK_QUEUE: 'other' }).sandboxTaskQueue).toBe(TASK_QUEUES.sandbox);
    expect(workerConfigFromEnv({ FLOWSTEER_SANDBOX_TASK_QUEUE: 'mine', FLOWSTEER_WORKER_ROLES: 'sandbox' })).toMatchObject({
      sandboxTaskQueue: 'mine',
      roles: ['sandbox'],
    });
  });

  it('warns when candidate code would share a process with the backends', () => {
    expect(roleWarnings({ roles: ['canvas'] }, { OPENAI_API_KEY: 'k' })).toEqual([]);
    expect(roleWarnings({ roles: ['sandbox'] }, { PATH: '/usr/bin' })).toEqual([]);
    expect(roleWarnings({ roles: ['canvas', 'sandbox'] }, {})).toEqual([expect.stringMatching(/canvas and the sandbox roles/)]);
    expect(roleWarnings({ roles: ['sandbox'] }, { OPENAI_API_KEY: 'k', FLOWSTEER_BACKENDS: 'b.yaml' })).toEqual([
      expect.stringMatching(/OPENAI_API_KEY, FLOWSTEER_BACKENDS/),
    ]);
  });

  it('reads what the Helm chart sets for a canvas pod', () => {
    const c = workerConfigFromEnv({
      TEMPORAL_ADDRESS: 'temporal-frontend:7233',
      TEMPORAL_NAMESPACE: 'flowsteer',
      FLOWSTEER_WORKER_ROLES: 'canvas',
      FLOWSTEER_MAX_CONCURRENT_WORKFLOW_TASKS: '160',
      FLOWSTEER_MAX_CONCURRENT_ACTIVITIES: '200',
      FLOWSTEER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '320',
      FLOWSTEER_MAX_CACHED_WORKFLOWS: '1000',
      FLOWSTEER_WORKFLOW_THREADS: '3',
      FLOWSTEER_WORKER_VERSIONING: 'true',
      FLOWSTEER_WORKER_DEPLOYMENT_NAME: 'flowsteer',
      FLOWSTEER_WORKER_BUILD_ID: '0.4.2',
      FLOWSTEER_WORKER_DEFAULT_VERSIONING_BEHAVIOR: 'PINNED',
      FLOWSTEER_METRICS_PROMETHEUS_BIND: '0.0.0.0:9464',
    });
    expect(c.roles).toEqual(['canvas']);
    expect(c.slots).toEqual({
      maxConcurrentWorkflowTaskExecutions: 160,
      maxConcurrentActivityTaskExecutions: 200,
      maxConcurrentLocalActivityExecutions: 320,
      maxCachedWorkflows: 1000,
      workflowThreadPoolSize: 3,
    });
    expect(c.deployment).toEqual({
      version: { deploymentName: 'flowsteer', buildId: '0.4.2' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'PINNED',
    });
    expect(c.metricsBindAddress).toBe('0.0.0.0:9464');
  });

  it('versioning: off spellings, defaults for name and behaviour, AUTO_UPGRADE in any case', () => {
    for (const off of ['false', '0', 'off', '', ' FALSE '])
      expect(workerConfigFromEnv({ FLOWSTEER_WORKER_VERSIONING: off }).deployment).toBeUndefined();
    expect(workerConfigFromEnv({ FLOWSTEER_WORKER_VERSIONING: 'on', FLOWSTEER_WORKER_BUILD_ID: 'b1' }).deployment).toEqual({
      version: { deploymentName: 'flowsteer', buildId: 'b1' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'PINNED',
    });
    expect(
      workerConfigFromEnv({
        FLOWSTEER_WORKER_VERSIONING: '1',
        FLOWSTEER_WORKER_BUILD_ID: 'b1',
        FLOWSTEER_WORKER_DEFAULT_VERSIONING_BEHAVIOR: 'auto_upgrade',
      }).deployment?.defaultVersioningBehavior,
    ).toBe('AUTO_UPGRADE');
  });

  it.each([
    [{ FLOWSTEER_WORKER_ROLES: 'canvas,gpu' }, /FLOWSTEER_WORKER_ROLES="canvas,gpu": unknown role gpu/],
    [{ FLOWSTEER_WORKER_ROLES: ' , ' }, /FLOWSTEER_WORKER_ROLES=" , ": no role/],
    [{ FLOWSTEER_MAX_CONCURRENT_ACTIVITIES: '0' }, /FLOWSTEER_MAX_CONCURRENT_ACTIVITIES="0" must be a whole number >= 1/],
    [{ FLOWSTEER_MAX_CONCURRENT_WORKFLOW_TASKS: '2.5' }, /FLOWSTEER_MAX_CONCURRENT_WORKFLOW_TASKS="2.5"/],
    [{ FLOWSTEER_MAX_CACHED_WORKFLOWS: 'lots' }, /FLOWSTEER_MAX_CACHED_WORKFLOWS="lots" must be a whole number >= 0/],
    [{ FLOWSTEER_WORKER_VERSIONING: 'maybe' }, /FLOWSTEER_WORKER_VERSIONING="maybe" must be true or false/],
    [{ FLOWSTEER_WORKER_VERSIONING: 'true' }, /FLOWSTEER_WORKER_BUILD_ID is empty/],
    [
      { FLOWSTEER_WORKER_VERSIONING: 'true', FLOWSTEER_WORKER_BUILD_ID: 'b', FLOWSTEER_WORKER_DEFAULT_VERSIONING_BEHAVIOR: 'STICKY' },
      /must be PINNED or AUTO_UPGRADE/,
    ],
    [{ FLOWSTEER_METRICS_PROMETHEUS_BIND: '9464' }, /FLOWSTEER_METRICS_PROMETHEUS_BIND="9464" must be host:port/],
    [{ FLOWSTEER_METRICS_PROMETHEUS_BIND: 'localhost:70000' }, /must be host:port/],
    [{ TEMPORAL_TLS_CERT: '/nonexistent/tls.crt' }, /TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/],
  ])('refuses %j with an error naming the variable', (env, message) => {
    expect(() => workerConfigFromEnv(env)).toThrow(message);
  });

  it('slot sizes round-trip for any whole number and never accept anything else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (n) => {
        expect(workerConfigFromEnv({ FLOWSTEER_MAX_CONCURRENT_ACTIVITIES: ` ${n} ` }).slots.maxConcurrentActivityTaskExecutions).toBe(n);
      }),
    );
    fc.assert(
      fc.property(
        fc.string().filter((s) => s.trim() !== '' && !/^\d+$/.test(s.trim())),
        (s) => {
          expect(() => workerConfigFromEnv({ FLOWSTEER_MAX_CACHED_WORKFLOWS: s })).toThrow(/FLOWSTEER_MAX_CACHED_WORKFLOWS/);
        },
      ),
    );
  });
});
