import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { TASK_QUEUES } from '@flowsteer/contracts';
import { temporalTlsFromEnv } from '@flowsteer/temporal-runtime';

export const API_CONFIG = Symbol('API_CONFIG');

export interface ApiConfig {
  host: string;
  port: number;
  /** Accepted bearer tokens. Empty means every request but health is refused (no open mode). */
  tokens: string[];
  temporalAddress: string;
  temporalNamespace: string;
  /** mTLS to the Temporal frontend (TEMPORAL_TLS_CERT/_KEY/_CA); absent = plain connection. */
  temporalTls?: TLSConfig;
  temporalUiUrl: string;
  /** Task queue new sessions and runs are started on. */
  taskQueue: string;
  /** JSON body limit, in the body-parser syntax ("256kb"). */
  bodyLimit: string;
  /** How often the SSE stream polls the canvas query. */
  streamPollMs: number;
  /** How long a query may wait for a worker before the API answers 504. */
  queryTimeoutMs: number;
}

export class ConfigError extends Error {}

function tokensFrom(env: NodeJS.ProcessEnv): string[] {
  const raw: string[] = [];
  if (env.FLOWSTEER_API_TOKENS) raw.push(...env.FLOWSTEER_API_TOKENS.split(','));
  if (env.FLOWSTEER_API_TOKENS_FILE) {
    try {
      raw.push(...readFileSync(env.FLOWSTEER_API_TOKENS_FILE, 'utf8').split(/[\n,]/));
    } catch (err) {
      throw new ConfigError(`cannot read FLOWSTEER_API_TOKENS_FILE (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const tokens = raw.map((t) => t.trim()).filter((t) => t && !t.startsWith('#'));
  const short = tokens.filter((t) => t.length < 16).length;
  if (short) throw new ConfigError(`${short} API token(s) shorter than 16 characters; use long random tokens (e.g. \`openssl rand -hex 24\`)`);
  return tokens;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer, not "${value}"`);
  return n;
}

function tlsFrom(env: NodeJS.ProcessEnv): TLSConfig | undefined {
  try {
    return temporalTlsFromEnv(env);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

/** Reads the configuration from the environment; throws {@link ConfigError} with what to fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const temporalHost = env.FLOWSTEER_TEMPORAL_HOST ?? '127.0.0.1';
  return {
    host: env.FLOWSTEER_API_HOST ?? '127.0.0.1',
    port: intFrom(env, 'FLOWSTEER_API_PORT', 8080),
    tokens: tokensFrom(env),
    temporalAddress: env.TEMPORAL_ADDRESS ?? `${temporalHost}:${env.FLOWSTEER_TEMPORAL_PORT ?? '7233'}`,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? env.FLOWSTEER_TEMPORAL_NAMESPACE ?? 'default',
    temporalTls: tlsFrom(env),
    temporalUiUrl: env.FLOWSTEER_TEMPORAL_UI_URL ?? `http://${temporalHost}:${env.FLOWSTEER_TEMPORAL_UI_PORT ?? '8233'}`,
    taskQueue: env.FLOWSTEER_API_TASK_QUEUE ?? TASK_QUEUES.canvas,
    bodyLimit: env.FLOWSTEER_API_BODY_LIMIT ?? '256kb',
    streamPollMs: intFrom(env, 'FLOWSTEER_API_STREAM_POLL_MS', 1000),
    queryTimeoutMs: intFrom(env, 'FLOWSTEER_API_QUERY_TIMEOUT_MS', 5000),
  };
}
