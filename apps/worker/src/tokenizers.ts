import { pathToFileURL } from 'node:url';
import * as vm from 'node:vm';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE, type TrainingTokenizer } from '@flowsteer/contracts';
import type { Backend } from '@flowsteer/llm';

/**
 * Tokenisers for training batches (see `TrainingTokenizer` in @flowsteer/contracts): the learner
 * trains on token ids, so they must come from the policy model's own tokenizer.
 * - `llama-cpp`: node-llama-cpp loads the GGUF's vocabulary only (`vocabOnly`) and tokenises without
 *   special tokens. Exact for the embedded SmolLM2: the learner loads the same file.
 * - `vllm`: `POST <server>/tokenize {model, prompt, add_special_tokens: false}` on the director's
 *   server (vLLM's endpoint); exact for whatever the server serves.
 * - `utf8-bytes`: one id per UTF-8 byte; for tests and smoke runs only.
 */
export type RetokenizingTokenizer = Exclude<TrainingTokenizer, 'sampled'>;

export interface TextTokenizer {
  kind: Exclude<TrainingTokenizer, 'auto' | 'sampled'>;
  tokenize(text: string): Promise<number[]>;
}

export function resolveTokenizerKind(kind: RetokenizingTokenizer, director: Backend): Exclude<TrainingTokenizer, 'auto' | 'sampled'> {
  if (kind !== 'auto') return kind;
  return director.kind === 'local' ? 'llama-cpp' : 'vllm';
}

function unavailable(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, FAILURE.tokenizerUnavailable);
}

export async function createTokenizer(
  kind: RetokenizingTokenizer,
  director: Backend,
  modelFile?: string,
  env: NodeJS.ProcessEnv = process.env,
  modelName?: string,
): Promise<TextTokenizer> {
  const resolved = resolveTokenizerKind(kind, director);
  if (resolved === 'utf8-bytes') return { kind: resolved, tokenize: async (text) => Array.from(Buffer.from(text, 'utf8')) };
  if (resolved === 'llama-cpp') {
    const file = modelFile ?? (director.kind === 'local' ? director.modelPath : undefined);
    if (!file || !file.endsWith('.gguf')) {
      throw unavailable(
        `tokenizer llama-cpp needs a GGUF file: model "${modelName ?? '?'}" is no .gguf and names no tokenizerFile in the worker's models configuration; add one there, or use tokenizer vllm`,
      );
    }
    const model = await loadVocabulary(file);
    return { kind: resolved, tokenize: async (text) => Array.from(model.tokenize(text, false)) };
  }
  if (director.kind !== 'openai-compatible')
    throw unavailable(`tokenizer vllm needs an OpenAI-compatible director backend; "${director.name}" is ${director.kind}`);
  const root = director.baseURL.replace(/\/+$/, '').replace(/\/v1$/, '');
  const key = director.apiKeyEnv ? env[director.apiKeyEnv] : undefined;
  return {
    kind: resolved,
    async tokenize(text) {
      const res = await fetch(`${root}/tokenize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ model: director.model, prompt: text, add_special_tokens: false }),
      });
      if (res.status === 404 || res.status === 405) {
        throw unavailable(
          `the director's server (backend "${director.name}") has no POST /tokenize (vLLM has one; the learner's CPU policy server has not): ` +
            "set the config's tokenizer to llama-cpp (a model with a GGUF), or serve the policy with vLLM",
        );
      }
      if (!res.ok) throw new Error(`POST ${root}/tokenize answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
      const body = (await res.json()) as { tokens?: unknown };
      if (!Array.isArray(body.tokens) || !body.tokens.every((t) => Number.isInteger(t)))
        throw new Error(`POST ${root}/tokenize returned no token list`);
      return body.tokens as number[];
    },
  };
}

interface VocabModel {
  tokenize(text: string, specialTokens?: boolean): readonly number[];
}
const vocabularies = new Map<string, Promise<VocabModel>>();

async function loadVocabulary(file: string): Promise<VocabModel> {
  let p = vocabularies.get(file);
  if (!p) {
    p = (async () => {
      const nlc = await importEsm<{ getLlama(o: object): Promise<{ loadModel(o: object): Promise<VocabModel> }> }>('node-llama-cpp');
      const llama = await nlc.getLlama({ gpu: false, build: 'never' });
      return llama.loadModel({ modelPath: file, vocabOnly: true });
    })();
    vocabularies.set(file, p);
    p.catch(() => vocabularies.delete(file));
  }
  try {
    return await p;
  } catch (err) {
    throw unavailable(`cannot load the tokenizer of ${file}: ${(err as Error).message}`);
  }
}

/** node-llama-cpp is ESM with top-level await: a real dynamic import (and jest's main-context loader). */
async function importEsm<T>(name: string): Promise<T> {
  const url = pathToFileURL(require.resolve(name)).href;
  const native = new Function('s', 'return import(s)') as (s: string) => Promise<unknown>;
  try {
    return (await native(url)) as T;
  } catch (err) {
    if (!String((err as { code?: unknown })?.code ?? '').startsWith('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING')) throw err;
    const constant = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants
      ?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
    const script = new vm.Script('(s) => import(s)', {
      importModuleDynamically: constant as unknown as vm.ScriptOptions['importModuleDynamically'],
    });
    return (await (script.runInThisContext() as (s: string) => Promise<unknown>)(url)) as T;
  }
}
