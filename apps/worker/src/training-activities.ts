import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { BenchDataMissingError, deriveSeed, loadDataset, mulberry32, seededShuffle } from '@flowsteer/bench';
import { CwrpoError, rolloutOutcomeOf, sampledTurnSamples, trajectoryToSample } from '@flowsteer/cwrpo';
import { ArtifactRefError, ArtifactStore } from '@flowsteer/artifacts';
import {
  FAILURE,
  TASK_QUEUES,
  type BenchTask,
  type PolicyPublication,
  type RolloutOutcome,
  type SessionResult,
  type TrainingActivities,
  type Trajectory,
  type TrainingSample,
  type BuildTrainingBatchInput,
  type BuildTrainingBatchResult,
} from '@flowsteer/contracts';
import { UnknownModelError, preloadLocalBackend, registerLocalAdapter, type LlmClient, type ModelEntry } from '@flowsteer/llm';
import { createTokenizer, type TextTokenizer } from './tokenizers';
import { awaitWorkflowResult } from './await-result';

export interface TrainingActivityDeps {
  artifactsDir: string;
  llm: LlmClient;
  /** Tokenizer factory (tests may inject one); default: `createTokenizer`. */
  tokenizer?: typeof createTokenizer;
  /** Dataset loader (tests inject scripted problems); default: the bench loader. */
  loadTasks?: (dataset: string) => BenchTask[];
  /** The learner queue of models that name none: `FLOWSTEER_LEARNER_TASK_QUEUE`, else `cwrpo-learner`. */
  learnerTaskQueue?: string;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/** The adapter file the learner writes for llama.cpp (apps/learner/flowsteer_learner/gguf_lora.py). */
export const LLAMA_CPP_ADAPTER_FILE = 'adapter.gguf';

/** Where a publication to an embedded backend is recorded, so a restarted worker still serves it. */
export function publishedAdapterRecord(artifactsDir: string, backend: string, name: string): string {
  return join(artifactsDir, 'published-adapters', safe(backend), `${safe(name)}.json`);
}

/** Resolves adapter names published by an earlier worker process (see setLocalAdapterResolver). */
export function publishedAdapterResolver(artifactsDir: string): (backend: string, name: string) => string | undefined {
  return (backend, name) => {
    try {
      const record = JSON.parse(readFileSync(publishedAdapterRecord(artifactsDir, backend, name), 'utf8')) as {
        name?: string;
        path?: string;
      };
      return record.name === name && typeof record.path === 'string' ? record.path : undefined;
    } catch {
      return undefined;
    }
  };
}

/** Writes JSON next to its final name and renames it: a retried activity never leaves half a file. */
function writeJsonAtomic(file: string, content: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(content));
  renameSync(tmp, file);
}

/** The file of a trajectory reference, inside the artifact store (any other reference is refused). */
export function trajectoryFile(store: ArtifactStore, ref: string): string {
  try {
    return store.resolve(ref);
  } catch (err) {
    if (err instanceof ArtifactRefError) throw ApplicationFailure.nonRetryable(`trajectory ${err.message}`, FAILURE.trajectoryMissing);
    throw err;
  }
}

/** True when `file` (links resolved) lies inside `root`: the worker only publishes adapters from its own store. */
function insideRoot(root: string, file: string): boolean {
  try {
    const real = realpathSync(file);
    const base = realpathSync(root);
    return real === base || real.startsWith(base + sep);
  } catch {
    return false;
  }
}

function unknownModel(err: unknown): never {
  if (err instanceof UnknownModelError) throw ApplicationFailure.nonRetryable(err.message, FAILURE.unknownModel);
  throw err;
}

function beat(detail: unknown): void {
  try {
    Context.current().heartbeat(detail);
  } catch {
    // outside an activity (unit use)
  }
}

/**
 * The training run's activities on the TypeScript worker: problem sampling, outcomes of earlier
 * rollouts, the batch file, policy publication and the per-step record.
 *
 * Tokenisation choice (issue 9): the batch is tokenised here with the policy's own tokenizer —
 * node-llama-cpp on the GGUF for the embedded model, the serving engine's `/tokenize` for vLLM —
 * so the learner receives ids it can train on as they are. See `tokenizers.ts`.
 */
export function createTrainingActivities(deps: TrainingActivityDeps): TrainingActivities {
  const store = new ArtifactStore(deps.artifactsDir);
  const learnerQueue = deps.learnerTaskQueue ?? (process.env.FLOWSTEER_LEARNER_TASK_QUEUE || TASK_QUEUES.learner);
  const model = (name: string): ModelEntry => {
    try {
      return deps.llm.registry.models.get(name);
    } catch (err) {
      return unknownModel(err);
    }
  };
  const datasets = new Map<string, BenchTask[]>();
  const tokenizers = new Map<string, Promise<TextTokenizer>>();
  const load =
    deps.loadTasks ??
    ((name: string) => {
      try {
        return loadDataset(name).tasks;
      } catch (err) {
        const type = err instanceof BenchDataMissingError ? FAILURE.benchDataMissing : FAILURE.invalidTrainingInput;
        throw ApplicationFailure.nonRetryable(`dataset "${name}": ${(err as Error).message}`, type);
      }
    });
  const tasksOf = (name: string) => {
    let tasks = datasets.get(name);
    if (!tasks) {
      tasks = load(name);
      if (!tasks.length) throw ApplicationFailure.nonRetryable(`dataset "${name}" has no problems`, FAILURE.invalidTrainingInput);
      datasets.set(name, tasks);
    }
    return tasks;
  };

  function readTrajectory(item: BuildTrainingBatchInput['items'][number]): Trajectory {
    const file = trajectoryFile(store, item.trajectoryRef);
    if (!existsSync(file))
      throw ApplicationFailure.nonRetryable(`trajectory ${item.trajectoryRef} is not in the artifact store`, FAILURE.trajectoryMissing);
    return { ...(JSON.parse(readFileSync(file, 'utf8')) as Trajectory), reward: item.reward };
  }

  function writeBatch(
    input: BuildTrainingBatchInput,
    samples: TrainingSample[],
    tokenizer: BuildTrainingBatchResult['tokenizer'],
  ): BuildTrainingBatchResult {
    const batchPath = join('runs', safe(input.runId), 'batches', `step-${input.step}.json`);
    writeJsonAtomic(join(deps.artifactsDir, batchPath), { runId: input.runId, step: input.step, tokenizer, samples });
    return {
      batchPath,
      samples: samples.length,
      tokens: samples.reduce((a, s) => a + s.tokenIds.length, 0),
      maskedTokens: samples.reduce((a, s) => a + s.mask.reduce<number>((m, v) => m + v, 0), 0),
      truncatedTokens: samples.reduce((a, s) => a + s.truncatedTokens, 0),
      tokenizer,
    };
  }

  /** The exact batch: one sample per director turn from the ids the backend sampled (no tokenizer). */
  function sampledBatch(input: BuildTrainingBatchInput): BuildTrainingBatchResult {
    const samples: TrainingSample[] = [];
    for (const item of input.items) {
      try {
        samples.push(
          ...sampledTurnSamples(
            readTrajectory(item),
            { advantage: item.advantage, groupKey: item.groupKey, reward: item.reward.total },
            input.maxSampleTokens ? { maxTokens: input.maxSampleTokens } : {},
          ),
        );
      } catch (err) {
        if (!(err instanceof CwrpoError)) throw err;
        throw ApplicationFailure.nonRetryable(
          `${err.message}. Backend "${input.directorBackend}" cannot be trained on exactly; set tokenizer to llama-cpp, vllm or utf8-bytes in the run's config to re-tokenise the text instead (inexact)`,
          FAILURE.rolloutsWithoutTokenIds,
        );
      }
    }
    return writeBatch(input, samples, 'sampled');
  }

  return {
    async resolveTrainingResources({ baseModel }) {
      const entry = model(baseModel);
      return { model: entry.name, learnerModel: entry.path, learnerTaskQueue: entry.learnerTaskQueue ?? learnerQueue };
    },

    async trainingProblems({ datasets: names, seed, step, count }) {
      // problem i comes from dataset i mod n; each dataset's order for this step is a shuffle seeded by (seed, step, dataset)
      const perDataset = names.map((name) => seededShuffle(tasksOf(name), mulberry32(deriveSeed(seed, `train/${name}/step-${step}`))));
      const out: BenchTask[] = [];
      for (let i = 0; i < count; i += 1) {
        const list = perDataset[i % names.length] as BenchTask[];
        out.push(list[Math.floor(i / names.length) % list.length] as BenchTask);
      }
      return out;
    },

    async rolloutOutcome({ workflowId }): Promise<RolloutOutcome> {
      return rolloutOutcomeOf(await awaitWorkflowResult<SessionResult>(workflowId));
    },

    async buildTrainingBatch(input) {
      const director = deps.llm.registry.get(input.directorBackend);
      model(input.baseModel);
      if (input.tokenizer === 'sampled') return sampledBatch(input);
      const log = Context.current().log;
      log.warn(
        `buildTrainingBatch: re-tokenising trajectory text with tokenizer ${input.tokenizer} (inexact: not the ids the director sampled; tokenizer: sampled is exact)`,
      );
      const tokenizerFile = deps.llm.registry.models.tokenizerFile(input.baseModel);
      const key = `${input.tokenizer}|${director.name}|${input.baseModel}`;
      let tp = tokenizers.get(key);
      if (!tp) {
        tp = (deps.tokenizer ?? createTokenizer)(input.tokenizer, director, tokenizerFile, process.env, input.baseModel);
        tokenizers.set(key, tp);
        tp.catch(() => tokenizers.delete(key));
      }
      const tokenizer = await tp;
      const samples: TrainingSample[] = [];
      for (const [i, item] of input.items.entries()) {
        const trajectory = readTrajectory(item);
        // the cwrpo conversion takes a synchronous tokenizer: tokenise every text first
        const texts = new Map<string, number[]>();
        for (const t of trajectory.turns)
          for (const s of [t.prompt, t.completion, t.feedback]) if (!texts.has(s)) texts.set(s, s ? await tokenizer.tokenize(s) : []);
        const sample = trajectoryToSample(
          trajectory,
          { advantage: item.advantage, groupKey: item.groupKey, reward: item.reward.total },
          (s) => texts.get(s) ?? [],
          {
            ...(input.prompts ? { prompts: input.prompts } : {}),
            ...(input.maxSampleTokens ? { maxTokens: input.maxSampleTokens } : {}),
          },
        );
        samples.push(sample);
        beat({ tokenised: i + 1, of: input.items.length });
      }
      return writeBatch(input, samples, tokenizer.kind);
    },

    async publishPolicy({ directorBackend, policyVersion, adapterPath, adapterName }): Promise<PolicyPublication> {
      const director = deps.llm.registry.get(directorBackend);
      if (director.kind === 'local') {
        // The embedded model applies llama.cpp adapter files; the learner writes one next to the
        // peft adapter when the base is a llama GGUF. Each version gets its own name, so sessions
        // of a resumed step still find the adapter they were started with.
        const ggufAdapter = join(adapterPath, LLAMA_CPP_ADAPTER_FILE);
        const name = adapterName ?? policyVersion;
        if (!existsSync(ggufAdapter)) {
          return {
            policyVersion,
            published: false,
            reason: `no llama.cpp adapter ${ggufAdapter} (the learner writes one only for a llama-architecture GGUF base): rollouts keep the embedded model's weights`,
          };
        }
        if (!insideRoot(store.root, ggufAdapter)) {
          return {
            policyVersion,
            published: false,
            reason: `the adapter ${ggufAdapter} is outside this worker's artifact store: the embedded model loads adapters from the store only`,
          };
        }
        registerLocalAdapter(director.name, name, ggufAdapter);
        writeJsonAtomic(publishedAdapterRecord(deps.artifactsDir, director.name, name), {
          backend: director.name,
          name,
          path: ggufAdapter,
          policyVersion,
        });
        await preloadLocalBackend(director, name); // a file llama.cpp refuses fails here, not in a rollout
        return { policyVersion, published: true, adapterName: name, url: `local:${ggufAdapter}` };
      }
      const name = adapterName ?? director.model;
      const url = `${director.baseURL.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/load_lora_adapter`;
      const key = director.apiKeyEnv ? process.env[director.apiKeyEnv] : undefined;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ lora_name: name, lora_path: adapterPath, load_inplace: true }),
      });
      if (res.status === 404 || res.status === 405 || res.status === 501) {
        return {
          policyVersion,
          published: false,
          adapterName: name,
          url,
          reason: `the director's server has no adapter endpoint (POST ${url} answered HTTP ${res.status}): rollouts keep the weights it serves`,
        };
      }
      // other failures (server down, restarting, overloaded) are retried by Temporal
      if (!res.ok) throw new Error(`POST ${url} answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
      return { policyVersion, published: true, adapterName: name, url };
    },

    async recordTrainingStep({ runId, step }) {
      const rel = join('runs', safe(runId), 'steps', `step-${step.step}.json`);
      writeJsonAtomic(join(deps.artifactsDir, rel), step);
      return relative(deps.artifactsDir, join(deps.artifactsDir, rel));
    },
  };
}
