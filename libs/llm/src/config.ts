/**
 * The backend registry: which OpenAI-compatible endpoints (and the embedded model) this process
 * may call, under which names, with which defaults, prices and limits.
 *
 * Sources, in order: an explicit `config` object or `path` option, the file named by
 * `FLOWSTEER_BACKENDS`, `flowsteer.backends.yaml|yml|json` in the cwd. Without any of them the
 * registry holds only `local` (the embedded model), which is then the director and executor.
 * API keys are never part of the config: a backend names the environment variable that holds
 * its key (`apiKeyEnv`), read at call time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DIRECTOR_BACKEND_ALIAS, EXECUTOR_BACKEND_ALIAS } from '@flowsteer/contracts';
import { flowsteerHome } from '@flowsteer/artifacts';
import { LlmError } from './errors';
import { ModelCatalog, type ModelEntry } from './models';

export const LOCAL_BACKEND_NAME = 'local';
export const LOCAL_MODEL_FILE = 'SmolLM2-135M-Instruct.Q4_1.gguf';
export const LOCAL_MODEL_NAME = 'SmolLM2-135M-Instruct-Q4_1';
export const FETCH_MODEL_COMMAND = 'bash libs/llm/setup/fetch-model.sh';
export const DEFAULT_CONFIG_FILES = ['flowsteer.backends.yaml', 'flowsteer.backends.yml', 'flowsteer.backends.json'];

// ---------------------------------------------------------------------------------------------
// Schema

const backendName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'backend names use letters, digits, ".", "_" and "-" (max 64 characters)');

const envVarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the NAME of an environment variable (e.g. OPENAI_API_KEY), not a key');

const samplingSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().gt(0).max(1).optional(),
    maxTokens: z.number().int().positive().optional(),
  })
  .strict();

const priceSchema = z
  .object({
    /** USD per million prompt tokens. */
    inputPerMTok: z.number().min(0).default(0),
    /** USD per million completion tokens. */
    outputPerMTok: z.number().min(0).default(0),
  })
  .strict();

const retrySchema = (defaults: { maxRetries: number }) =>
  z
    .object({
      maxRetries: z.number().int().min(0).max(20).default(defaults.maxRetries),
      baseDelayMs: z.number().int().min(0).max(600_000).default(500),
      maxDelayMs: z.number().int().min(0).max(600_000).default(10_000),
    })
    .strict();

const capabilitiesSchema = z
  .object({
    /** The endpoint honours `response_format: {type: "json_schema"}`. */
    jsonSchema: z.boolean().default(true),
    /**
     * How the endpoint takes a GBNF grammar: `llama-cpp` (`grammar` field of llama.cpp's server),
     * `vllm` (`structured_outputs.grammar`, vLLM >= 0.10.2), `vllm-legacy` (`guided_grammar`), or `none`.
     */
    grammar: z.enum(['none', 'llama-cpp', 'vllm', 'vllm-legacy']).default('none'),
    /** The endpoint returns per-token logprobs when asked. */
    logprobs: z.boolean().default(true),
    /**
     * The endpoint returns the prompt's token ids (after its chat template) and the completion's
     * when asked with `return_token_ids: true` (vLLM >= 0.10.2, the learner's policy server): what
     * training needs to learn exactly what was sampled. Off: such a backend is refused for training.
     */
    tokenIds: z.boolean().default(false),
    /** Request field for the completion budget: OpenAI's newer (reasoning) models only take `max_completion_tokens`. */
    maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).default('max_tokens'),
  })
  .strict();

const openAICompatibleSchema = z
  .object({
    kind: z.literal('openai-compatible'),
    baseURL: z.string().url('must be a URL such as https://api.openai.com/v1'),
    model: z.string().min(1),
    apiKeyEnv: envVarName.optional(),
    sampling: samplingSchema.default({}),
    price: priceSchema.default({}),
    concurrency: z.number().int().min(1).max(1024).default(4),
    timeoutMs: z.number().int().min(1).max(3_600_000).default(60_000),
    retry: retrySchema({ maxRetries: 3 }).default({}),
    capabilities: capabilitiesSchema.default({}),
    description: z.string().optional(),
  })
  .strict();

const localSchema = z
  .object({
    kind: z.literal('local'),
    model: z.string().min(1).default(LOCAL_MODEL_NAME),
    /** GGUF file; default `$FLOWSTEER_LOCAL_MODEL` or `${FLOWSTEER_HOME:-<repo>/.flowsteer}/models/<file>`. */
    modelPath: z.string().min(1).optional(),
    /** Tokens per context sequence (prompt + completion). */
    contextSize: z.number().int().min(256).max(131_072).default(4096),
    /** CPU threads for evaluation; default: math cores - 1 (at least 1, at most 8), see defaultThreads. */
    threads: z.number().int().min(1).max(256).optional(),
    /**
     * Ceiling on completion tokens per call, whatever the caller asks: the small embedded model
     * seldom stops by itself, so long completions only cost CPU time. Raise it for larger models.
     */
    maxCompletionTokens: z.number().int().min(1).max(131_072).default(512),
    sampling: samplingSchema.default({}),
    price: priceSchema.default({}),
    /** Parallel sequences in the shared context; 1 serialises calls (best on 2 cores). */
    concurrency: z.number().int().min(1).max(16).default(1),
    timeoutMs: z.number().int().min(1).max(3_600_000).default(300_000),
    retry: retrySchema({ maxRetries: 0 }).default({}),
    description: z.string().optional(),
  })
  .strict();

const backendSchema = z.preprocess(
  // `kind` defaults to openai-compatible: most entries are endpoints.
  (v) =>
    v && typeof v === 'object' && !Array.isArray(v) && (v as { kind?: unknown }).kind === undefined
      ? { ...v, kind: 'openai-compatible' }
      : v,
  z.discriminatedUnion('kind', [openAICompatibleSchema, localSchema]),
);

const modelSchema = z
  .object({
    /** What the learner opens: HF folder, `.gguf` file or `<folder>::<file.gguf>`; relative paths are relative to this file. */
    path: z.string().min(1),
    /** GGUF the worker tokenises with (`llama-cpp` tokenizer); default: `path` when it is a .gguf. */
    tokenizerFile: z.string().min(1).optional(),
    learnerTaskQueue: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'a task queue name')
      .optional(),
    description: z.string().optional(),
  })
  .strict();

const configFileSchema = z
  .object({
    defaults: z.object({ director: backendName.optional(), executor: backendName.optional() }).strict().default({}),
    backends: z.record(backendName, backendSchema).default({}),
    /** Base models training runs may name (`baseModel`); `local` (the embedded GGUF) always exists. */
    models: z.record(backendName, modelSchema).default({}),
  })
  .strict();

export type BackendConfigFile = z.input<typeof configFileSchema>;

// ---------------------------------------------------------------------------------------------
// Resolved types

export type Sampling = z.output<typeof samplingSchema>;
export type Price = z.output<typeof priceSchema>;
export type RetryPolicy = z.output<ReturnType<typeof retrySchema>>;
type ConfiguredCapabilities = z.output<typeof capabilitiesSchema>;
/**
 * What a backend can do: as configured for an endpoint (`capabilities:`), plus `native` grammar for
 * the embedded model; `tokenIds` and `maxTokensField` may be left out where a backend is built in code.
 */
export type Capabilities = Omit<ConfiguredCapabilities, 'grammar' | 'tokenIds' | 'maxTokensField'> & {
  grammar: ConfiguredCapabilities['grammar'] | 'native';
} & Partial<Pick<ConfiguredCapabilities, 'tokenIds' | 'maxTokensField'>>;

/** An endpoint: its config entry with defaults applied, and its name. */
export type OpenAICompatibleBackend = Omit<z.output<typeof openAICompatibleSchema>, 'capabilities'> & {
  name: string;
  capabilities: Capabilities;
};

/** The embedded model: its config entry with defaults applied, its name, and the GGUF path resolved. */
export type LocalBackend = Omit<z.output<typeof localSchema>, 'modelPath'> & {
  name: string;
  modelPath: string;
  capabilities: Capabilities;
};

export type Backend = OpenAICompatibleBackend | LocalBackend;

// ---------------------------------------------------------------------------------------------
// Registry

export class BackendRegistry {
  private readonly backends: ReadonlyMap<string, Backend>;
  readonly defaults: { readonly director: string; readonly executor: string };
  /** Where the configuration came from (a file path, "inline config" or "built-in default"). */
  readonly source: string;
  /** Named base models for training (`models:`); by default just `local`, the embedded GGUF. */
  readonly models: ModelCatalog;

  constructor(
    backends: Iterable<Backend>,
    defaults: { director: string; executor: string },
    source: string,
    models?: Iterable<ModelEntry>,
  ) {
    this.backends = new Map([...backends].map((b) => [b.name, b]));
    this.models = new ModelCatalog(models ?? [defaultLocalModelEntry()]);
    this.defaults = { ...defaults };
    this.source = source;
    for (const [role, name] of Object.entries(this.defaults)) {
      if (!this.backends.has(name)) {
        throw new LlmError(
          `backend config (${source}): defaults.${role} names "${name}", which is not configured; known: ${this.names().join(', ')}`,
          {
            backend: name,
            kind: 'config',
          },
        );
      }
    }
  }

  names(): string[] {
    return [...this.backends.keys()];
  }

  list(): Backend[] {
    return [...this.backends.values()];
  }

  /** Resolves `@director` / `@executor` to the configured defaults; other names pass through. */
  resolveName(name: string): string {
    if (name === DIRECTOR_BACKEND_ALIAS) return this.defaults.director;
    if (name === EXECUTOR_BACKEND_ALIAS) return this.defaults.executor;
    return name;
  }

  has(name: string): boolean {
    return this.backends.has(this.resolveName(name));
  }

  /** The backend called `name` (or an alias); throws a non-retryable `unknown-backend` LlmError. */
  get(name: string): Backend {
    const resolved = this.resolveName(name);
    const backend = this.backends.get(resolved);
    if (!backend) {
      throw new LlmError(`unknown backend "${name}": configured backends are ${this.names().join(', ')} (from ${this.source})`, {
        backend: name,
        kind: 'unknown-backend',
      });
    }
    return backend;
  }

  /** One line per backend, safe to log: no keys, no URL credentials. */
  describe(): string {
    return this.list()
      .map((b) => {
        const where =
          b.kind === 'local' ? `local ${b.modelPath}` : `${safeOrigin(b.baseURL)}${b.apiKeyEnv ? ` key from $${b.apiKeyEnv}` : ''}`;
        const roles = [b.name === this.defaults.director ? 'director' : '', b.name === this.defaults.executor ? 'executor' : ''].filter(
          Boolean,
        );
        return `${b.name}${roles.length ? ` [${roles.join(', ')}]` : ''}: ${b.model} @ ${where}`;
      })
      .join('\n');
  }
}

export function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export interface LoadBackendRegistryOptions {
  /** Config file (YAML or JSON). Overrides `FLOWSTEER_BACKENDS` and the cwd default. */
  path?: string;
  /** An already parsed config object (same shape as the file); wins over `path`. */
  config?: unknown;
  /** Environment for `${VAR}` interpolation and overrides; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where to look for `flowsteer.backends.yaml`; default `process.cwd()`. */
  cwd?: string;
}

/**
 * Builds the registry. Environment variables read:
 * - `FLOWSTEER_BACKENDS`: config file path (when no `path`/`config` option is given);
 * - `FLOWSTEER_DIRECTOR_BACKEND`, `FLOWSTEER_EXECUTOR_BACKEND`: override `defaults`;
 * - `FLOWSTEER_LOCAL_MODEL`, `FLOWSTEER_HOME`: where the embedded model lives;
 * - any `${VAR}` / `${VAR:-default}` used inside string values of the file.
 * Throws a non-retryable `LlmError` of kind `config` naming every bad key.
 */
export function loadBackendRegistry(options: LoadBackendRegistryOptions = {}): BackendRegistry {
  const env = options.env ?? process.env;
  const { raw, source, baseDir } = readConfigSource(options);
  return backendRegistryFromConfig(raw, { env, source, baseDir });
}

/** The parsed configuration the options point at (explicit object, file, or the built-in default `{}`). */
function readConfigSource(options: LoadBackendRegistryOptions): { raw: unknown; source: string; baseDir: string } {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  if (options.config !== undefined) return { raw: options.config, source: 'inline config', baseDir: cwd };

  let file: string | undefined;
  if (options.path) file = resolve(cwd, options.path);
  else if (env.FLOWSTEER_BACKENDS) file = resolve(cwd, env.FLOWSTEER_BACKENDS);
  if (file && !existsSync(file)) {
    throw new LlmError(`backend config file ${file} does not exist (${options.path ? 'path option' : 'FLOWSTEER_BACKENDS'})`, {
      backend: '(config)',
      kind: 'config',
    });
  }
  file ??= DEFAULT_CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f));
  if (!file) return { raw: {}, source: 'built-in default (no backend config file)', baseDir: cwd };
  try {
    return { raw: parseYaml(readFileSync(file, 'utf8')) ?? {}, source: file, baseDir: dirname(file) };
  } catch (err) {
    throw new LlmError(`backend config ${file} is not valid YAML/JSON: ${(err as Error).message}`, { backend: '(config)', kind: 'config' });
  }
}

/**
 * The backend and model names of the configuration, without building the registry: what a process
 * that only checks names needs (the REST API), which need not have the workers' environment (the
 * `${VAR}`s of URLs, the key variables). The workers validate everything else when they load it.
 */
export function configuredNames(options: LoadBackendRegistryOptions = {}): { backends: string[]; models: string[] } {
  const { raw } = readConfigSource(options);
  const section = (key: string) => {
    const value = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? Object.keys(value).filter((name) => backendName.safeParse(name).success)
      : [];
  };
  const withLocal = (names: string[], local: string) => (names.includes(local) ? names : [local, ...names]);
  return { backends: withLocal(section('backends'), LOCAL_BACKEND_NAME), models: withLocal(section('models'), LOCAL_MODEL_ENTRY_NAME) };
}

/** Validates a parsed config object (the file's shape) and builds the registry. */
export function backendRegistryFromConfig(
  raw: unknown,
  {
    env = process.env,
    source = 'inline config',
    baseDir = process.cwd(),
  }: { env?: NodeJS.ProcessEnv; source?: string; baseDir?: string } = {},
): BackendRegistry {
  const problems: string[] = [];
  checkForLiteralKeys(raw, problems);
  const interpolated = interpolateEnv(raw, env, [], problems);
  const parsed = configFileSchema.safeParse(interpolated);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${formatPath(issue.path)}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) {
    throw new LlmError(`invalid backend config (${source}):\n${[...new Set(problems)].map((p) => `  - ${p}`).join('\n')}`, {
      backend: '(config)',
      kind: 'config',
    });
  }
  const cfg = parsed.data;
  const backends: Backend[] = [];
  for (const [name, b] of Object.entries(cfg.backends)) {
    if (b.kind === 'local') {
      backends.push(
        localBackend(
          name,
          b,
          b.modelPath ? (isAbsolute(b.modelPath) ? b.modelPath : resolve(baseDir, b.modelPath)) : defaultLocalModelPath(env),
        ),
      );
    } else {
      backends.push({ name, ...b });
    }
  }
  if (!backends.some((b) => b.name === LOCAL_BACKEND_NAME)) backends.unshift(defaultLocalBackend(env));

  const director = env.FLOWSTEER_DIRECTOR_BACKEND || cfg.defaults.director || LOCAL_BACKEND_NAME;
  const executor = env.FLOWSTEER_EXECUTOR_BACKEND || cfg.defaults.executor || LOCAL_BACKEND_NAME;
  const local = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const models: ModelEntry[] = Object.entries(cfg.models).map(([name, m]) => ({
    name,
    path: m.path.includes('::') ? `${local(m.path.split('::')[0] as string)}::${m.path.split('::').slice(1).join('::')}` : local(m.path),
    ...(m.tokenizerFile ? { tokenizerFile: local(m.tokenizerFile) } : {}),
    ...(m.learnerTaskQueue ? { learnerTaskQueue: m.learnerTaskQueue } : {}),
    ...(m.description ? { description: m.description } : {}),
  }));
  if (!models.some((m) => m.name === LOCAL_MODEL_ENTRY_NAME)) models.unshift(defaultLocalModelEntry(env));
  return new BackendRegistry(backends, { director, executor }, source, models);
}

/** A local backend from its parsed entry: the one place its fixed capabilities are set. */
function localBackend(name: string, entry: z.output<typeof localSchema>, modelPath: string): LocalBackend {
  return { ...entry, name, modelPath, capabilities: { jsonSchema: true, grammar: 'native', logprobs: true, tokenIds: true } };
}

/** The embedded model backend as it is when nothing configures it. */
export function defaultLocalBackend(env: NodeJS.ProcessEnv = process.env): LocalBackend {
  const entry = localSchema.parse({
    kind: 'local',
    description: 'embedded SmolLM2-135M-Instruct (GGUF Q4_1) run in-process by node-llama-cpp',
  });
  return localBackend(LOCAL_BACKEND_NAME, entry, defaultLocalModelPath(env));
}

/** The model name of the embedded GGUF in `models:` (always present unless configured otherwise). */
export const LOCAL_MODEL_ENTRY_NAME = 'local';

/** The embedded GGUF as a named base model: the learner dequantises it, the worker tokenises with it. */
export function defaultLocalModelEntry(env: NodeJS.ProcessEnv = process.env): ModelEntry {
  return { name: LOCAL_MODEL_ENTRY_NAME, path: defaultLocalModelPath(env), description: 'the embedded SmolLM2-135M-Instruct GGUF' };
}

/** `$FLOWSTEER_LOCAL_MODEL`, else `${FLOWSTEER_HOME:-<repo>/.flowsteer}/models/SmolLM2-135M-Instruct.Q4_1.gguf`. */
export function defaultLocalModelPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOWSTEER_LOCAL_MODEL) return resolve(env.FLOWSTEER_LOCAL_MODEL);
  return join(flowsteerHome(env), 'models', LOCAL_MODEL_FILE);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const LITERAL_KEY_FIELDS = ['apiKey', 'api_key', 'apikey', 'key', 'token', 'secret', 'authorization'];

function checkForLiteralKeys(raw: unknown, problems: string[]): void {
  if (!raw || typeof raw !== 'object') return;
  const backends = (raw as { backends?: unknown }).backends;
  if (!backends || typeof backends !== 'object') return;
  for (const [name, b] of Object.entries(backends as Record<string, unknown>)) {
    if (!b || typeof b !== 'object') continue;
    for (const field of Object.keys(b)) {
      if (LITERAL_KEY_FIELDS.includes(field)) {
        problems.push(
          `backends.${name}.${field}: API keys are never written into the config; put the key in an environment variable and name it with apiKeyEnv (e.g. apiKeyEnv: OPENAI_API_KEY)`,
        );
      }
    }
  }
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, path: (string | number)[], problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_m, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      problems.push(`${formatPath(path)}: environment variable ${name} is not set (use \${${name}:-default} for a fallback)`);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, [...path, i], problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, [...path, k], problems)]));
  }
  return value;
}
