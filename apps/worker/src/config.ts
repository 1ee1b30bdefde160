import { hostname } from 'node:os';
import type { TLSConfig } from '@temporalio/client';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { TASK_QUEUES, sandboxQueueFor } from '@flowsteer/contracts';
import { temporalTlsFromEnv } from '@flowsteer/temporal-runtime';

export type WorkerRole = 'canvas' | 'sandbox';
const ROLES: readonly WorkerRole[] = ['canvas', 'sandbox'];

/** Slot and cache sizes; unset ones keep the SDK's defaults. */
export interface WorkerSlots {
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  /** LLM calls of sessions with `llmCalls: local` (each also holds a workflow task slot while it runs). */
  maxConcurrentLocalActivityExecutions?: number;
  maxCachedWorkflows?: number;
  /** Threads that run workflow code (the canvas worker's default is DEFAULT_WORKFLOW_THREADS). */
  workflowThreadPoolSize?: number;
}

export interface WorkerConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  sandboxTaskQueue: string;
  roles: WorkerRole[];
  identity: string;
  /** Pre-built workflow bundle; when absent the worker bundles the workflow sources at start. */
  workflowBundlePath?: string;
  tls?: TLSConfig;
  slots: WorkerSlots;
  /** Temporal Worker Deployment versioning; absent = an unversioned worker. */
  deployment?: WorkerDeploymentOptions;
  /** host:port of the SDK's Prometheus endpoint (`/metrics`); absent = no endpoint. */
  metricsBindAddress?: string;
}

/**
 * Reads the worker's settings from the environment; every one has a local default. A malformed
 * value throws an error that names its variable, so a bad deployment fails at start.
 */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const taskQueue = env.FLOWSTEER_TASK_QUEUE ?? TASK_QUEUES.canvas;
  const roles = rolesFrom(env.FLOWSTEER_WORKER_ROLES);
  return {
    address: env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.FLOWSTEER_TEMPORAL_PORT ?? '7233'}`,
    namespace: env.TEMPORAL_NAMESPACE ?? env.FLOWSTEER_TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    // the sandbox queue the sessions of this canvas queue send their code to (sandboxQueueFor)
    sandboxTaskQueue: env.FLOWSTEER_SANDBOX_TASK_QUEUE ?? sandboxQueueFor(taskQueue),
    roles,
    // the role in the identity: the Temporal UI and `flowsteer status` show which process took a task
    identity: env.FLOWSTEER_WORKER_IDENTITY ?? `flowsteer-${roles.join('+')}@${hostname()}:${process.pid}`,
    workflowBundlePath: env.FLOWSTEER_WORKFLOW_BUNDLE || undefined,
    tls: temporalTlsFromEnv(env),
    slots: dropUndefined({
      maxConcurrentWorkflowTaskExecutions: positiveInt(env, 'FLOWSTEER_MAX_CONCURRENT_WORKFLOW_TASKS'),
      maxConcurrentActivityTaskExecutions: positiveInt(env, 'FLOWSTEER_MAX_CONCURRENT_ACTIVITIES'),
      maxConcurrentLocalActivityExecutions: positiveInt(env, 'FLOWSTEER_MAX_CONCURRENT_LOCAL_ACTIVITIES'),
      maxCachedWorkflows: positiveInt(env, 'FLOWSTEER_MAX_CACHED_WORKFLOWS', { allowZero: true }),
      workflowThreadPoolSize: positiveInt(env, 'FLOWSTEER_WORKFLOW_THREADS'),
    }),
    deployment: deploymentFrom(env),
    metricsBindAddress: bindAddress(env, 'FLOWSTEER_METRICS_PROMETHEUS_BIND'),
  };
}

/** What is unsafe about this process's roles: candidate code next to the backends' keys. */
export function roleWarnings(config: Pick<WorkerConfig, 'roles'>, env: NodeJS.ProcessEnv): string[] {
  if (!config.roles.includes('sandbox')) return [];
  const out: string[] = [];
  if (config.roles.includes('canvas'))
    out.push(
      'this process serves the canvas and the sandbox roles: candidate code runs next to the LLM backends; run FLOWSTEER_WORKER_ROLES=sandbox as a process of its own',
    );
  const keys = Object.keys(env).filter((k) => /_API_KEY$/i.test(k) || k === 'FLOWSTEER_BACKENDS');
  if (keys.length) out.push(`the sandbox role runs with backend settings in its environment (${keys.join(', ')}): start it without them`);
  return out;
}

function rolesFrom(value: string | undefined): WorkerRole[] {
  // canvas only by default: candidate code runs in a process of its own (FLOWSTEER_WORKER_ROLES=sandbox)
  const names = (value || 'canvas')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = names.filter((r) => !ROLES.includes(r as WorkerRole));
  if (unknown.length || !names.length) {
    throw new Error(
      `FLOWSTEER_WORKER_ROLES="${value}": ${unknown.length ? `unknown role ${unknown.join(', ')}` : 'no role'}; use canvas, sandbox or both`,
    );
  }
  return [...new Set(names)] as WorkerRole[];
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, opts: { allowZero?: boolean } = {}): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  const min = opts.allowZero ? 0 : 1;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
    throw new Error(`${name}="${raw}" must be a whole number ${opts.allowZero ? '>= 0' : '>= 1'}`);
  }
  return n;
}

const TRUE = ['true', '1', 'on', 'yes'];
const FALSE = ['false', '0', 'off', 'no', ''];

function deploymentFrom(env: NodeJS.ProcessEnv): WorkerDeploymentOptions | undefined {
  const flag = (env.FLOWSTEER_WORKER_VERSIONING ?? '').trim().toLowerCase();
  if (FALSE.includes(flag)) return undefined;
  if (!TRUE.includes(flag)) throw new Error(`FLOWSTEER_WORKER_VERSIONING="${env.FLOWSTEER_WORKER_VERSIONING}" must be true or false`);
  const deploymentName = env.FLOWSTEER_WORKER_DEPLOYMENT_NAME?.trim() || 'flowsteer';
  const buildId = env.FLOWSTEER_WORKER_BUILD_ID?.trim();
  if (!buildId)
    throw new Error(
      'FLOWSTEER_WORKER_VERSIONING is on but FLOWSTEER_WORKER_BUILD_ID is empty: give each release its own build id (for example the image tag)',
    );
  const behavior = (env.FLOWSTEER_WORKER_DEFAULT_VERSIONING_BEHAVIOR?.trim() || 'PINNED').toUpperCase();
  if (behavior !== 'PINNED' && behavior !== 'AUTO_UPGRADE') {
    throw new Error(
      `FLOWSTEER_WORKER_DEFAULT_VERSIONING_BEHAVIOR="${env.FLOWSTEER_WORKER_DEFAULT_VERSIONING_BEHAVIOR}" must be PINNED or AUTO_UPGRADE`,
    );
  }
  return { version: { deploymentName, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: behavior };
}

function bindAddress(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(raw);
  if (!match || Number(match[2]) > 65535) throw new Error(`${name}="${raw}" must be host:port, for example 0.0.0.0:9464`);
  return raw;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
