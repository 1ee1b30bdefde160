/**
 * The embedded model: a GGUF file run in this process by node-llama-cpp on the CPU.
 *
 * - One `Llama` runtime and one loaded model per model file per process, created on first use
 *   and shared by every local backend that names the same file.
 * - Each local backend owns one context with `concurrency` sequences (default 1: calls are
 *   serialised, which is what 2 CPU cores do best); a call takes a free sequence, starts it from
 *   an empty state (deterministic: the answer does not depend on earlier calls) and gives it back.
 * - Chat formatting comes from the model's own chat template (ChatML for SmolLM2); sampling,
 *   max tokens, stop strings, GBNF and JSON-schema grammars and per-token probabilities are
 *   applied token by token.
 * - A request may name a LoRA adapter published to the backend (see adapters.ts) as its `model`:
 *   it runs on a context of its own with the adapter applied (the CWRPO policy being trained). The
 *   MAX_ADAPTER_POOLS most recently used adapter contexts are kept; older idle ones are freed.
 *
 * `getLlama({ gpu: false, build: 'never' })` only loads the prebuilt CPU binaries of
 * `@node-llama-cpp/linux-x64`: nothing is built or downloaded, and node-llama-cpp's postinstall
 * (which only pre-checks those binaries) is not needed.
 */
import { existsSync } from 'node:fs';
import type * as Nlc from 'node-llama-cpp';
import type { ChatMessage, ChatRequest, OutputConstraint, TokenLogprob } from '@flowsteer/contracts';
import { FETCH_MODEL_COMMAND, type LocalBackend } from '../config';
import { LlmError, clip } from '../errors';
import type { AttemptResult } from '../types';
import { localAdapterPath } from './adapters';
import { importEsm } from './esm-import';

type NlcModule = typeof Nlc;

interface LoadedModel {
  nlc: NlcModule;
  llama: Nlc.Llama;
  model: Nlc.LlamaModel;
  wrapper: Nlc.ChatWrapper;
}

interface SequencePool {
  adapterPath?: string;
  size: number;
  lastUsed: number;
  context: Nlc.LlamaContext;
  free: Nlc.LlamaContextSequence[];
  waiters: Array<(seq: Nlc.LlamaContextSequence) => void>;
}

let nlcPromise: Promise<NlcModule> | undefined;
let llamaPromise: Promise<Nlc.Llama> | undefined;
const models = new Map<string, Promise<LoadedModel>>();
const pools = new Map<string, Promise<SequencePool>>();
const grammars = new Map<string, Promise<Nlc.LlamaGrammar>>();
const MAX_CACHED_GRAMMARS = 32;
const MAX_ADAPTER_POOLS = 2;

const DEFAULT_MAX_TOKENS = 512;

function loadNlc(): Promise<NlcModule> {
  nlcPromise ??= importEsm<NlcModule>('node-llama-cpp').catch((err) => {
    nlcPromise = undefined;
    throw err;
  });
  return nlcPromise;
}

async function getLlamaRuntime(backendName: string): Promise<Nlc.Llama> {
  llamaPromise ??= (async () => {
    const nlc = await loadNlc();
    return nlc.getLlama({
      gpu: false,
      build: 'never',
      progressLogs: false,
      logLevel: nlc.LlamaLogLevel.error,
      logger: (level, message) => {
        if (level === nlc.LlamaLogLevel.error || level === nlc.LlamaLogLevel.fatal) process.stderr.write(`[node-llama-cpp] ${message}\n`);
      },
    });
  })().catch((err) => {
    llamaPromise = undefined;
    throw new LlmError(
      `backend "${backendName}": cannot start node-llama-cpp's prebuilt CPU runtime (@node-llama-cpp/linux-x64 must be installed): ${clip(String((err as Error)?.message ?? err), 300)}`,
      { backend: backendName, kind: 'local', retryable: false },
    );
  });
  return llamaPromise;
}

/** Throws a `model-missing` LlmError naming the setup command when the GGUF file is absent. */
export function assertLocalModelPresent(backend: LocalBackend): void {
  if (!existsSync(backend.modelPath)) {
    throw new LlmError(
      `backend "${backend.name}": the embedded model file ${backend.modelPath} is missing. Fetch it with: ${FETCH_MODEL_COMMAND} ` +
        `(or point FLOWSTEER_LOCAL_MODEL / the backend's modelPath at a GGUF file)`,
      { backend: backend.name, kind: 'model-missing', retryable: false },
    );
  }
}

async function loadModel(backend: LocalBackend): Promise<LoadedModel> {
  assertLocalModelPresent(backend);
  let p = models.get(backend.modelPath);
  if (!p) {
    p = (async () => {
      const nlc = await loadNlc();
      const llama = await getLlamaRuntime(backend.name);
      const model = await llama.loadModel({ modelPath: backend.modelPath });
      const wrapper = nlc.resolveChatWrapper(model);
      return { nlc, llama, model, wrapper };
    })();
    models.set(backend.modelPath, p);
    p.catch(() => models.delete(backend.modelPath));
  }
  try {
    return await p;
  } catch (err) {
    if (err instanceof LlmError) throw err;
    throw new LlmError(
      `backend "${backend.name}": cannot load the model ${backend.modelPath}: ${clip(String((err as Error)?.message ?? err), 300)}`,
      {
        backend: backend.name,
        kind: 'local',
        retryable: false,
      },
    );
  }
}

function poolKey(backend: LocalBackend, adapterPath?: string): string {
  return `${backend.name}\u0000${backend.modelPath}\u0000${backend.contextSize}\u0000${backend.concurrency}\u0000${backend.threads ?? ''}\u0000${adapterPath ?? ''}`;
}

async function getPool(backend: LocalBackend, loaded: LoadedModel, adapterPath?: string): Promise<SequencePool> {
  const key = poolKey(backend, adapterPath);
  let p = pools.get(key);
  if (!p) {
    if (adapterPath) await freeIdleAdapterPools();
    p = (async () => {
      const context = await loaded.model.createContext({
        contextSize: backend.contextSize,
        sequences: backend.concurrency,
        threads: backend.threads ?? defaultThreads(loaded.llama.cpuMathCores),
        ...(adapterPath ? { lora: { adapters: [{ filePath: adapterPath }] } } : {}),
      });
      const free: Nlc.LlamaContextSequence[] = [];
      for (let i = 0; i < backend.concurrency; i++) free.push(context.getSequence());
      return { adapterPath, size: backend.concurrency, lastUsed: Date.now(), context, free, waiters: [] };
    })();
    pools.set(key, p);
    p.catch(() => pools.delete(key));
  }
  try {
    const pool = await p;
    pool.lastUsed = Date.now();
    return pool;
  } catch (err) {
    const what = adapterPath ? `with the LoRA adapter ${adapterPath}` : 'for the model';
    throw new LlmError(
      `backend "${backend.name}": cannot create a ${backend.contextSize}-token context ${what}: ${clip(String((err as Error)?.message ?? err), 300)}`,
      { backend: backend.name, kind: 'local', retryable: false },
    );
  }
}

/** Keeps at most MAX_ADAPTER_POOLS - 1 adapter contexts before a new one is made; busy ones stay. */
async function freeIdleAdapterPools(): Promise<void> {
  const settled = await Promise.all([...pools.entries()].map(async ([k, p]) => [k, await p.catch(() => undefined)] as const));
  const adapterPools = settled.filter(([, pool]) => pool?.adapterPath).sort(([, a], [, b]) => (a?.lastUsed ?? 0) - (b?.lastUsed ?? 0));
  for (const [k, pool] of adapterPools.slice(0, Math.max(0, adapterPools.length - (MAX_ADAPTER_POOLS - 1)))) {
    if (!pool || pool.free.length !== pool.size || pool.waiters.length) continue;
    pools.delete(k);
    await pool.context.dispose().catch(() => {});
  }
}

/**
 * ggml's worker threads spin at every barrier, so a thread that loses its core to another process
 * (the Temporal worker, a sandboxed test, the other jest worker) stalls every token: on 2 cores,
 * 2 threads are 2-3x slower than 1 as soon as anything else runs, while 1 thread costs ~30 % when
 * idle. node-llama-cpp's own default (more threads than cores) is far worse. So: leave one core free.
 */
export function defaultThreads(cpuMathCores: number): number {
  return Math.max(1, Math.min(cpuMathCores - 1, 8));
}

function takeSequence(pool: SequencePool, signal: AbortSignal, backend: string): Promise<Nlc.LlamaContextSequence> {
  const seq = pool.free.pop();
  if (seq) return Promise.resolve(seq);
  return new Promise((resolve, reject) => {
    const waiter = (s: Nlc.LlamaContextSequence) => {
      signal.removeEventListener('abort', onAbort);
      resolve(s);
    };
    const onAbort = () => {
      const i = pool.waiters.indexOf(waiter);
      if (i >= 0) pool.waiters.splice(i, 1);
      reject(new LlmError(`backend "${backend}": aborted while waiting for a free model context`, { backend, kind: 'cancelled' }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pool.waiters.push(waiter);
  });
}

function returnSequence(pool: SequencePool, seq: Nlc.LlamaContextSequence): void {
  const next = pool.waiters.shift();
  if (next) next(seq);
  else pool.free.push(seq);
}

async function getGrammar(loaded: LoadedModel, constraint: OutputConstraint, backend: string): Promise<Nlc.LlamaGrammar> {
  const key = constraint.kind === 'gbnf' ? `gbnf:${constraint.grammar}` : `json:${JSON.stringify(constraint.schema)}`;
  let p = grammars.get(key);
  if (!p) {
    p =
      constraint.kind === 'gbnf'
        ? loaded.llama.createGrammar({ grammar: constraint.grammar })
        : // The schema is data from the caller; node-llama-cpp validates what it supports.
          (loaded.llama.createGrammarForJsonSchema as (schema: unknown) => Promise<Nlc.LlamaGrammar>).call(loaded.llama, constraint.schema);
    grammars.set(key, p);
    if (grammars.size > MAX_CACHED_GRAMMARS) grammars.delete(grammars.keys().next().value as string);
    p.catch(() => grammars.delete(key));
  }
  try {
    return await p;
  } catch (err) {
    const what = constraint.kind === 'gbnf' ? 'GBNF grammar' : 'JSON schema (for a grammar)';
    throw new LlmError(`backend "${backend}": invalid ${what}: ${clip(String((err as Error)?.message ?? err), 300)}`, {
      backend,
      kind: 'bad-request',
    });
  }
}

function toHistory(messages: readonly ChatMessage[]): Nlc.ChatHistoryItem[] {
  return messages.map((m): Nlc.ChatHistoryItem => {
    if (m.role === 'system') return { type: 'system', text: m.content };
    if (m.role === 'user') return { type: 'user', text: m.content };
    return { type: 'model', response: [m.content] };
  });
}

/** Plain-string stop triggers (special-token triggers such as <|im_end|> are EOG tokens already). */
function stringTriggers(triggers: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const t of triggers) {
    if (typeof t === 'string') {
      if (t) out.push(t);
      continue;
    }
    const values = (t as { values?: unknown })?.values ?? t;
    if (Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string')) out.push(values.join(''));
  }
  return out.filter((s) => s.length > 0);
}

/**
 * Loads the runtime, the model and the backend's context now instead of on the first call; with
 * `adapter` (a published adapter's name), also the context with that adapter, so that a file
 * llama.cpp cannot apply is refused when it is published rather than in a rollout.
 */
export async function preloadLocalBackend(backend: LocalBackend, adapter?: string): Promise<void> {
  const loaded = await loadModel(backend);
  await getPool(backend, loaded, adapter ? adapterPathFor(backend, adapter) : undefined);
}

function adapterPathFor(backend: LocalBackend, name: string): string {
  const path = localAdapterPath(backend.name, name);
  if (!path) {
    throw new LlmError(
      `backend "${backend.name}" runs the embedded model (${backend.model}) and no LoRA adapter named "${name}" was published to it; publish one (cwrpoTraining does) or serve adapters with vLLM or the learner's policy server`,
      { backend: backend.name, kind: 'bad-request' },
    );
  }
  if (!existsSync(path)) {
    throw new LlmError(`backend "${backend.name}": the LoRA adapter "${name}" was published as ${path}, which no longer exists`, {
      backend: backend.name,
      kind: 'bad-request',
    });
  }
  return path;
}

/** One chat completion on the embedded model. */
export async function localChatAttempt(backend: LocalBackend, req: ChatRequest, opts: { signal: AbortSignal }): Promise<AttemptResult> {
  const { signal } = opts;
  const adapterPath = req.model && req.model !== backend.model ? adapterPathFor(backend, req.model) : undefined;
  const loaded = await loadModel(backend);
  const pool = await getPool(backend, loaded, adapterPath);
  const grammar = req.constraint ? await getGrammar(loaded, req.constraint, backend.name) : undefined;
  const { nlc, model, wrapper } = loaded;

  const state = wrapper.generateContextState({ chatHistory: toHistory(req.messages) });
  const promptTokens = state.contextText.tokenize(model.tokenizer);
  const room = backend.contextSize - promptTokens.length;
  if (room < 1) {
    throw new LlmError(
      `backend "${backend.name}": the prompt has ${promptTokens.length} tokens, more than the context size ${backend.contextSize}; raise contextSize in the backend config or shorten the prompt`,
      { backend: backend.name, kind: 'bad-request' },
    );
  }
  const maxTokens = Math.min(req.maxTokens ?? backend.sampling.maxTokens ?? DEFAULT_MAX_TOKENS, backend.maxCompletionTokens, room);
  const stops = [
    ...(req.stop ?? []),
    ...stringTriggers(state.stopGenerationTriggers),
    ...(grammar ? stringTriggers(grammar.stopGenerationTriggers) : []),
  ].filter((s) => s.length > 0);
  const temperature = req.temperature ?? backend.sampling.temperature ?? 0;
  const topP = req.topP ?? backend.sampling.topP;

  const seq = await takeSequence(pool, signal, backend.name);
  const generated: Nlc.Token[] = [];
  const probabilities: number[] = [];
  const supports: (number[] | null)[] = [];
  let finishReason = 'stop';
  let text = '';
  try {
    await seq.clearHistory();
    const iterator = seq.evaluateWithMetadata(
      promptTokens,
      // with logprobs also the sampling distribution's support: the reported probability is renormalised over it
      { confidence: Boolean(req.logprobs), probabilities: Boolean(req.logprobs) },
      {
        temperature,
        ...(topP !== undefined ? { topP } : {}),
        ...(req.seed !== undefined ? { seed: req.seed } : {}),
        ...(grammar ? { grammarEvaluationState: new nlc.LlamaGrammarEvaluationState({ model, grammar }) } : {}),
      },
    );
    let stoppedAt: number | undefined;
    for await (const out of iterator) {
      if (signal.aborted) break;
      generated.push(out.token);
      if (req.logprobs) {
        probabilities.push((out as { confidence?: number }).confidence ?? Number.NaN);
        supports.push(samplingSupport((out as { probabilities?: Map<Nlc.Token, number> }).probabilities));
      }
      if (stops.length > 0) {
        const sofar = model.detokenize(generated);
        const hit = firstStop(sofar, stops);
        if (hit !== undefined) {
          stoppedAt = hit;
          text = sofar.slice(0, hit);
          break;
        }
      }
      if (generated.length >= maxTokens) {
        finishReason = 'length';
        break;
      }
    }
    if (signal.aborted) {
      throw new LlmError(`backend "${backend.name}": generation aborted`, { backend: backend.name, kind: 'cancelled' });
    }
    if (stoppedAt === undefined) text = model.detokenize(generated);
    if (grammar?.trimWhitespaceSuffix) text = text.trimEnd();

    const result: AttemptResult = {
      text,
      finishReason,
      promptTokens: promptTokens.length,
      completionTokens: generated.length,
    };
    if (req.constraint) result.constrained = true;
    if (req.logprobs) {
      result.logprobs = tokenLogprobs(model, generated, probabilities, stoppedAt);
      // the exact ids: the prompt as evaluated (chat template applied) and the sampled tokens kept
      result.promptTokenIds = promptTokens.map(Number);
      result.completionTokenIds = generated.slice(0, result.logprobs.length).map(Number);
      if (supports.some((x) => x !== null)) result.completionSupport = supports.slice(0, result.logprobs.length);
    }
    return result;
  } catch (err) {
    if (err instanceof LlmError) throw err;
    throw new LlmError(`backend "${backend.name}": generation failed: ${clip(String((err as Error)?.message ?? err), 300)}`, {
      backend: backend.name,
      kind: 'local',
      retryable: false,
    });
  } finally {
    returnSequence(pool, seq);
  }
}

/** Above this many candidates a position is reported as unrestricted (null): the sampler's top-k (40 by default) keeps it far below. */
const MAX_SUPPORT = 256;

/** The token ids the sampler chose among at one position (probability > 0), sorted; null when unknown or too many. */
function samplingSupport(probs: Map<Nlc.Token, number> | undefined): number[] | null {
  if (!probs || probs.size === 0 || probs.size > MAX_SUPPORT) return null;
  const ids: number[] = [];
  for (const [token, p] of probs) if (p > 0) ids.push(Number(token));
  return ids.length > 0 ? ids.sort((a, b) => a - b) : null;
}

function firstStop(text: string, stops: readonly string[]): number | undefined {
  let best: number | undefined;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (best === undefined || i < best)) best = i;
  }
  return best;
}

/** Per-token logprobs; when a stop string cut the text, only tokens wholly before the cut. */
function tokenLogprobs(
  model: Nlc.LlamaModel,
  tokens: readonly Nlc.Token[],
  probs: readonly number[],
  cutAt: number | undefined,
): TokenLogprob[] {
  const out: TokenLogprob[] = [];
  let length = 0;
  for (let i = 0; i < tokens.length; i++) {
    const piece = model.detokenize(tokens.slice(i, i + 1), false, tokens.slice(Math.max(0, i - 4), i));
    if (cutAt !== undefined && length + piece.length > cutAt) break;
    length += piece.length;
    // Clamped so that the value stays a finite number through JSON (Temporal payloads).
    const p = probs[i] ?? 0;
    out.push({ token: piece, logprob: Math.log(Number.isFinite(p) && p > 1e-30 ? p : 1e-30) });
  }
  return out;
}

/** Frees every context, model and the runtime (tests, graceful shutdown). Safe to call twice. */
export async function disposeLocalModels(): Promise<void> {
  const poolList = [...pools.values()];
  const modelList = [...models.values()];
  const llama = llamaPromise;
  pools.clear();
  models.clear();
  grammars.clear();
  llamaPromise = undefined;
  for (const p of poolList) await p.then((pool) => pool.context.dispose()).catch(() => {});
  for (const p of modelList) await p.then((m) => m.model.dispose()).catch(() => {});
  if (llama) await llama.then((l) => l.dispose()).catch(() => {});
}
