/**
 * Exact rollout records on the real embedded model (SmolLM2 GGUF): a recorded director turn stores
 * the prompt ids as llama.cpp fed them (chat template applied) and the sampled completion ids; the
 * training sample is built from them unchanged; and the Python learner's own tokenizer for the same
 * GGUF agrees: it renders the same messages with its chat template to exactly those prompt ids (after
 * the BOS llama.cpp adds), and decodes the completion ids to the completion text. Skipped when the model file is absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore } from '@flowsteer/artifacts';
import type { ChatMessage, TokenLogprob } from '@flowsteer/contracts';
import { sampledTurnSamples, computeReward } from '@flowsteer/cwrpo';
import { LlmClient, backendRegistryFromConfig, createLlmActivities, defaultLocalModelPath, disposeLocalModels } from '@flowsteer/llm';
import { WORKSPACE_ROOT } from '@flowsteer/temporal-runtime';

const modelPath = defaultLocalModelPath();
const python = join(WORKSPACE_ROOT, '.venv', 'bin', 'python');
const present = existsSync(modelPath) && existsSync(python);
if (!present)
  console.warn(`SKIPPED sampled-ids test: needs ${modelPath} (bash libs/llm/setup/fetch-model.sh) and ${python} (apps/learner/setup.sh)`);
const itWithModel = present ? it : it.skip;

jest.setTimeout(300_000);
afterAll(async () => {
  await disposeLocalModels();
});

const LEARNER_SIDE = `
import json, sys
sys.path.insert(0, sys.argv[1])
from flowsteer_learner.model import load_tokenizer
req = json.load(sys.stdin)
tok = load_tokenizer(req["model"])
text = tok.apply_chat_template(req["messages"], tokenize=False, add_generation_prompt=True)
print(json.dumps({"promptIds": tok.encode(text, add_special_tokens=False), "bos": tok.bos_token_id, "completion": tok.decode(req["completionIds"])}))
`;

describe('sampled token ids are the learner token ids (embedded model)', () => {
  itWithModel('a recorded director turn trains on exactly the ids llama.cpp fed and sampled', async () => {
    const store = new ArtifactStore(mkdtempSync(join(tmpdir(), 'sampled-ids-')));
    const llm = createLlmActivities(new LlmClient(backendRegistryFromConfig({}, { env: process.env })), { store });
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You build workflows. Reply with one action tag.' },
      { role: 'user', content: 'Problem: what is 6 times 7? The canvas is empty. Your action?' },
    ];
    const turn = await llm.policyTurn({
      backend: 'local',
      messages,
      constraint: { kind: 'gbnf', grammar: 'root ::= "<action>" ("add" | "delete" | "finish") "</action>"' },
      temperature: 0.8,
      seed: 7,
      maxTokens: 24,
      logprobs: true,
      record: true,
    });
    expect(turn.sampleRef).toBeDefined();
    const sample = await store.getJson<{
      completion: string;
      promptTokenIds?: number[];
      completionTokenIds?: number[];
      completionSupport?: (number[] | null)[];
      logprobs?: TokenLogprob[];
    }>(turn.sampleRef as string);
    expect(sample.promptTokenIds?.length).toBe(turn.promptTokens);
    expect(sample.completionTokenIds?.length).toBe(sample.logprobs?.length);
    expect(sample.completionTokenIds?.length).toBe(turn.completionTokens);
    // the set llama.cpp chose each token from (grammar, then top-k): the token is in it, and the
    // grammar keeps the positions inside "<action>...</action>" to a few candidates
    const ids = sample.completionTokenIds as number[];
    const support = sample.completionSupport as (number[] | null)[];
    expect(support).toHaveLength(ids.length);
    support.forEach((set, k) => expect(set).toContain(ids[k]));
    expect(Math.min(...support.map((set) => set?.length ?? Infinity))).toBeLessThanOrEqual(3);

    const [trainingSample] = sampledTurnSamples(
      {
        id: 's',
        problemId: 'p',
        dataset: 'd',
        taskType: 'math',
        policyVersion: 'base',
        finalDsl: '',
        reward: computeReward('', 0),
        turns: [
          {
            prompt: '',
            completion: sample.completion,
            promptTokenIds: sample.promptTokenIds as number[],
            completionTokenIds: sample.completionTokenIds as number[],
            completionLogprobs: (sample.logprobs ?? []).map((l) => l.logprob),
            completionSupport: support,
            feedback: '',
          },
        ],
      },
      { advantage: 1, groupKey: 'p' },
    );
    expect(trainingSample?.tokenIds).toEqual([...(sample.promptTokenIds as number[]), ...(sample.completionTokenIds as number[])]);
    expect(trainingSample?.support).toEqual([...(sample.promptTokenIds as number[]).map(() => null), ...support]);

    const out = spawnSync(python, ['-c', LEARNER_SIDE, join(WORKSPACE_ROOT, 'apps', 'learner')], {
      input: JSON.stringify({ model: modelPath, messages, completionIds: sample.completionTokenIds }),
      env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', OMP_NUM_THREADS: '1' },
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    expect(out.status).toBe(0);
    const learner = JSON.parse(out.stdout.trim().split('\n').at(-1) as string) as { promptIds: number[]; bos: number; completion: string };
    // llama.cpp puts the model's BOS in front of the chat template, whose text begins with the same
    // token (SmolLM2: <|im_start|>, id 1), so the sampler saw it twice. Re-tokenising the template
    // text would have lost that token; the sampled ids keep it. Everything after it is the learner's.
    expect(sample.promptTokenIds).toEqual([learner.bos, ...learner.promptIds]);
    expect(learner.completion).toBe(sample.completion);
  });
});
