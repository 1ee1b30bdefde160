import { pluginsFromEnv } from '@flowsteer/operators';
import type { PluginOperator } from '@flowsteer/contracts';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { TASK_QUEUES } from '@flowsteer/contracts';
import { temporalTlsFromEnv } from '@flowsteer/temporal-runtime';
import { checkPrincipalRoles, parseTokenSpec, type TokenEntry } from '../auth/tokens';
import { loadResourceNames, type ResourceNames } from './resources';

export const API_CONFIG = Symbol('API_CONFIG');

export interface StreamLimits {
  /** Concurrent SSE streams one principal may hold (429 beyond). */
  perPrincipal: number;
  /** Concurrent SSE streams of the whole process (429 beyond). */
  total: number;
  /** First poll interval of a session's state; doubles while nothing changes, up to `maxPollMs`. */
  pollMs: number;
  maxPollMs: number;
  /** Lifetime of a browser stream token, seconds. */
  tokenTtlSec: number;
}

export interface ApiConfig {
  host: string;
  port: number;
  /** Accepted bearer tokens with their principals and roles. Empty: every route but health is refused (no open mode). */
  tokens: TokenEntry[];
  /** Key of the signed stream and page tokens; random per process unless configured. */
  signingKey: Buffer;
  signingKeyConfigured: boolean;
  temporalAddress: string;
  temporalNamespace: string;
  /** mTLS to the Temporal frontend (TEMPORAL_TLS_CERT/_KEY/_CA); absent = plain connection. */
  temporalTls?: TLSConfig;
  temporalUiUrl: string;
  /** Task queue new sessions and runs are started on. */
  taskQueue: string;
  /** JSON body limit, in the body-parser syntax ("256kb"). */
  bodyLimit: string;
  /** Deepest JSON nesting a body may have (400 beyond). */
  maxJsonDepth: number;
  streams: StreamLimits;
  /** How long a query may wait for a worker before the API answers 504. */
  queryTimeoutMs: number;
  /** Replays (determinism checks) running at once; 429 beyond. */
  replayConcurrency: number;
  /** Pre-built workflow bundle for replays (`FLOWSTEER_WORKFLOW_BUNDLE`); default: bundle the sources once. */
  workflowBundlePath?: string;
  /** HTTPS served by the API itself. */
  tls?: { cert: Buffer; key: Buffer };
  /** TLS is terminated in front of the API (ingress, proxy): no plain-HTTP warning. */
  tlsUpstream: boolean;
  /** Backend, model and dataset names clients may use (unknown ones are a 400 at the edge). */
  resources: ResourceNames;
  /** Plug-in operators of this deployment (FLOWSTEER_PLUGINS), put into every session it starts. */
  plugins: PluginOperator[];
}

export class ConfigError extends Error {}

function readFile(env: NodeJS.ProcessEnv, name: string): string {
  try {
    return readFileSync(env[name] as string, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${name} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function tokensFrom(env: NodeJS.ProcessEnv): TokenEntry[] {
  const raw: string[] = [];
  if (env.FLOWSTEER_API_TOKENS) raw.push(...env.FLOWSTEER_API_TOKENS.split(','));
  if (env.FLOWSTEER_API_TOKENS_FILE) raw.push(...readFile(env, 'FLOWSTEER_API_TOKENS_FILE').split(/[\n,]/));
  const specs = raw.map((t) => t.trim()).filter((t) => t && !t.startsWith('#'));
  try {
    const entries = specs.map((spec, i) => parseTokenSpec(spec, i + 1));
    checkPrincipalRoles(entries);
    return entries;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

function signingKeyFrom(env: NodeJS.ProcessEnv): { signingKey: Buffer; signingKeyConfigured: boolean } {
  const text = env.FLOWSTEER_API_SIGNING_KEY_FILE
    ? readFile(env, 'FLOWSTEER_API_SIGNING_KEY_FILE').trim()
    : env.FLOWSTEER_API_SIGNING_KEY?.trim();
  if (!text) return { signingKey: randomBytes(32), signingKeyConfigured: false };
  if (text.length < 32) throw new ConfigError('FLOWSTEER_API_SIGNING_KEY must have at least 32 characters (e.g. `openssl rand -hex 32`)');
  return { signingKey: Buffer.from(text, 'utf8'), signingKeyConfigured: true };
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, not "${value}"`);
  return n;
}

function tlsFrom(env: NodeJS.ProcessEnv): TLSConfig | undefined {
  try {
    return temporalTlsFromEnv(env);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

function httpsFrom(env: NodeJS.ProcessEnv): { cert: Buffer; key: Buffer } | undefined {
  const { FLOWSTEER_API_TLS_CERT: cert, FLOWSTEER_API_TLS_KEY: key } = env;
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new ConfigError('FLOWSTEER_API_TLS_CERT and FLOWSTEER_API_TLS_KEY go together (PEM files)');
  return { cert: Buffer.from(readFile(env, 'FLOWSTEER_API_TLS_CERT')), key: Buffer.from(readFile(env, 'FLOWSTEER_API_TLS_KEY')) };
}

function resourcesFrom(env: NodeJS.ProcessEnv): ResourceNames {
  try {
    return loadResourceNames(env);
  } catch (err) {
    throw new ConfigError(`cannot read the backend configuration (FLOWSTEER_BACKENDS): ${(err as Error).message}`);
  }
}

/** Reads the configuration from the environment; throws {@link ConfigError} with what to fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const temporalHost = env.FLOWSTEER_TEMPORAL_HOST ?? '127.0.0.1';
  return {
    host: env.FLOWSTEER_API_HOST ?? '127.0.0.1',
    port: intFrom(env, 'FLOWSTEER_API_PORT', 8080),
    tokens: tokensFrom(env),
    ...signingKeyFrom(env),
    temporalAddress: env.TEMPORAL_ADDRESS ?? `${temporalHost}:${env.FLOWSTEER_TEMPORAL_PORT ?? '7233'}`,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? env.FLOWSTEER_TEMPORAL_NAMESPACE ?? 'default',
    temporalTls: tlsFrom(env),
    temporalUiUrl: env.FLOWSTEER_TEMPORAL_UI_URL ?? `http://${temporalHost}:${env.FLOWSTEER_TEMPORAL_UI_PORT ?? '8233'}`,
    taskQueue: env.FLOWSTEER_API_TASK_QUEUE ?? TASK_QUEUES.canvas,
    bodyLimit: env.FLOWSTEER_API_BODY_LIMIT ?? '256kb',
    maxJsonDepth: intFrom(env, 'FLOWSTEER_API_MAX_JSON_DEPTH', 32, 2),
    streams: {
      perPrincipal: intFrom(env, 'FLOWSTEER_API_STREAMS_PER_PRINCIPAL', 4, 1),
      total: intFrom(env, 'FLOWSTEER_API_STREAMS_TOTAL', 64, 1),
      pollMs: intFrom(env, 'FLOWSTEER_API_STREAM_POLL_MS', 1000, 10),
      maxPollMs: intFrom(env, 'FLOWSTEER_API_STREAM_MAX_POLL_MS', 10_000, 10),
      tokenTtlSec: intFrom(env, 'FLOWSTEER_API_STREAM_TOKEN_TTL_S', 300, 1),
    },
    queryTimeoutMs: intFrom(env, 'FLOWSTEER_API_QUERY_TIMEOUT_MS', 5000),
    replayConcurrency: intFrom(env, 'FLOWSTEER_API_REPLAY_CONCURRENCY', 1, 1),
    ...(env.FLOWSTEER_WORKFLOW_BUNDLE ? { workflowBundlePath: env.FLOWSTEER_WORKFLOW_BUNDLE } : {}),
    tls: httpsFrom(env),
    tlsUpstream: ['1', 'true', 'yes', 'on'].includes((env.FLOWSTEER_API_TLS_UPSTREAM ?? '').toLowerCase()),
    resources: resourcesFrom(env),
    plugins: pluginsFrom(env),
  };
}

function pluginsFrom(env: NodeJS.ProcessEnv): PluginOperator[] {
  try {
    return pluginsFromEnv(env);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}
