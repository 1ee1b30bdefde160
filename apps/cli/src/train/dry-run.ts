import { existsSync } from 'node:fs';
import { TASK_QUEUES, type TrainingConfig } from '@flowsteer/contracts';
import type { Backend, BackendRegistry } from '@flowsteer/llm';

/**
 * `flowsteer train --config FILE --dry-run`: everything a run needs, checked before it starts, each
 * problem on its own line: the base model's name is in the `models:` configuration; the director and
 * executor backends exist and answer (an OpenAI-compatible server lists the model it is asked for; the
 * embedded model's file is present); the token ids can be had (`sampled`: the director reports them;
 * `llama-cpp`: a GGUF to tokenise with); a workflow worker polls the canvas queue and a learner polls
 * the model's learner queue. Warnings (the run can start, but…) do not fail the dry run.
 */
export interface DryRunProbes {
  /** The worker's backends and models as this machine reads the configuration. */
  registry: BackendRegistry;
  /** null when the backend answers and serves `model`; else what is wrong. */
  reachable(backend: Backend, model: string): Promise<string | null>;
  /** How many workers poll the queue (workflow or activity tasks). */
  pollers(queue: string, type: 'workflow' | 'activity'): Promise<number>;
  fileExists?(path: string): boolean;
  canvasQueue: string;
  env?: NodeJS.ProcessEnv;
}

export interface DryRunReport {
  ok: boolean;
  lines: string[];
}

export async function dryRunChecks(config: TrainingConfig, probes: DryRunProbes): Promise<DryRunReport> {
  const lines: string[] = [];
  let ok = true;
  const pass = (line: string) => lines.push(`ok    ${line}`);
  const fail = (line: string) => {
    ok = false;
    lines.push(`FAIL  ${line}`);
  };
  const warn = (line: string) => lines.push(`warn  ${line}`);
  const exists = probes.fileExists ?? existsSync;
  const env = probes.env ?? process.env;

  let learnerQueue = env.FLOWSTEER_LEARNER_TASK_QUEUE || TASK_QUEUES.learner;
  let tokenizerFile: string | undefined;
  try {
    const entry = probes.registry.models.get(config.baseModel);
    if (entry.learnerTaskQueue) learnerQueue = entry.learnerTaskQueue;
    tokenizerFile = probes.registry.models.tokenizerFile(config.baseModel);
    pass(`model "${config.baseModel}" is configured`);
  } catch (err) {
    fail(`model "${config.baseModel}": ${(err as Error).message}`);
  }

  const backend = (name: string, role: string): Backend | undefined => {
    try {
      return probes.registry.get(name);
    } catch (err) {
      fail(`${role} backend "${name}": ${(err as Error).message}`);
      return undefined;
    }
  };
  const director = backend(config.director, 'director');
  const executor = backend(config.executor, 'executor');
  const directorModel = config.adapterName ?? director?.model;
  for (const [role, b, model] of [
    ['director', director, directorModel],
    ['executor', executor, executor?.model],
  ] as const) {
    if (!b || !model) continue;
    const problem = await probes.reachable(b, model);
    if (problem) fail(`${role} backend "${b.name}": ${problem}`);
    else pass(`${role} backend "${b.name}" answers and serves "${model}"`);
  }
  if (director && executor && director.name === executor.name && director.kind !== 'local') {
    warn(
      `executor "${executor.name}" is the director's backend: the executor then samples the adapter being trained (give it its own backend, e.g. the base model)`,
    );
  }

  const tokenizer = config.tokenizer ?? 'sampled';
  if (tokenizer === 'sampled') {
    if (director && (director.kind === 'local' || director.capabilities.tokenIds))
      pass(`token ids: sampled (backend "${director.name}" reports prompt and completion ids)`);
    else if (director)
      fail(
        `token ids: tokenizer sampled needs a director that reports token ids; backend "${director.name}" has no capabilities.tokenIds (vLLM >= 0.10.2: set it true) — or choose a re-tokenising tokenizer`,
      );
  } else if (tokenizer === 'llama-cpp' || (tokenizer === 'auto' && director?.kind === 'local')) {
    const file = tokenizerFile ?? (director?.kind === 'local' ? director.modelPath : undefined);
    if (file && file.endsWith('.gguf') && exists(file)) pass(`token ids: re-tokenised with ${file} (inexact)`);
    else
      fail(
        `token ids: tokenizer llama-cpp needs a GGUF file; model "${config.baseModel}" has ${file ? `${file}, which is missing or no .gguf` : 'none'}`,
      );
  } else if (tokenizer === 'utf8-bytes') {
    warn('token ids: utf8-bytes is not a model tokenizer (tests and smoke runs only)');
  } else {
    warn(`token ids: re-tokenised by the director server's POST /tokenize (inexact; tokenizer sampled is exact)`);
  }

  const workflowPollers = await probes.pollers(probes.canvasQueue, 'workflow');
  if (workflowPollers > 0) pass(`a worker polls the workflow queue "${probes.canvasQueue}" (${workflowPollers})`);
  else fail(`no worker polls the workflow queue "${probes.canvasQueue}": start one (flowsteer up, or the worker deployment)`);
  const learnerPollers = await probes.pollers(learnerQueue, 'activity');
  if (learnerPollers > 0) pass(`a learner polls "${learnerQueue}" (${learnerPollers})`);
  else fail(`no learner polls "${learnerQueue}": start one (.venv/bin/python -m flowsteer_learner.worker --task-queue ${learnerQueue})`);
  return { ok, lines };
}

/** Whether an OpenAI-compatible server answers `GET /models` and lists `model`; the embedded model's file exists. */
export async function reachableOverHttp(backend: Backend, model: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (backend.kind === 'local')
    return existsSync(backend.modelPath) ? null : `the model file ${backend.modelPath} is missing (bash libs/llm/setup/fetch-model.sh)`;
  const url = `${backend.baseURL.replace(/\/+$/, '')}/models`;
  const key = backend.apiKeyEnv ? env[backend.apiKeyEnv] : undefined;
  try {
    const res = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {}, signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return `GET ${url} answered HTTP ${res.status}`;
    const body = (await res.json()) as { data?: { id?: string }[] };
    const ids = (body.data ?? []).map((m) => m.id);
    return ids.includes(model) ? null : `${url} does not list "${model}" (it serves ${ids.join(', ') || 'nothing'})`;
  } catch (err) {
    return `GET ${url} failed: ${(err as Error).message}`;
  }
}
