/**
 * Runs the real embedded model (SmolLM2-135M-Instruct, GGUF) in this process. Skipped, with the
 * reason printed, only when the model file is absent (`bash libs/llm/setup/fetch-model.sh`).
 */
import { existsSync } from 'node:fs';
import OpenAI from 'openai';
import type { ChatMessage } from '@flowsteer/contracts';
import { LlmClient } from '../client';
import { backendRegistryFromConfig, defaultLocalModelPath } from '../config';
import { LlmError } from '../errors';
import { forgetLocalAdapters, setLocalAdapterResolver } from './adapters';
import { disposeLocalModels } from './local-model';
import { startLocalOpenAIServer } from './server';

const modelPath = defaultLocalModelPath();
const present = existsSync(modelPath);
if (!present) {
  console.warn(`SKIPPED embedded-model tests: model file ${modelPath} is absent; run: bash libs/llm/setup/fetch-model.sh`);
}
const itWithModel = present ? it : it.skip;

const ask: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
  { role: 'user', content: 'What is the capital of France?' },
];

jest.setTimeout(120_000);

afterAll(async () => {
  await disposeLocalModels();
});

describe('the embedded local model', () => {
  it('a missing model file fails with the setup command (no model needed)', async () => {
    const registry = backendRegistryFromConfig({}, { env: { FLOWSTEER_LOCAL_MODEL: '/nonexistent/model.gguf' } });
    const err = await new LlmClient(registry).chat({ backend: 'local', messages: ask }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ kind: 'model-missing', retryable: false, backend: 'local' });
    expect((err as Error).message).toContain('/nonexistent/model.gguf is missing');
    expect((err as Error).message).toContain('bash libs/llm/setup/fetch-model.sh');
  });

  it('a request naming an adapter nobody published, or whose file is gone, is a clear bad-request', async () => {
    const client = new LlmClient(backendRegistryFromConfig({}, { env: process.env }));
    const unknown = await client.chat({ backend: 'local', model: 'train-x-step-1', messages: ask, maxTokens: 4 }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ kind: 'bad-request', retryable: false, backend: 'local' });
    expect((unknown as Error).message).toContain('no LoRA adapter named "train-x-step-1" was published to it');
    setLocalAdapterResolver((backend, name) =>
      backend === 'local' && name === 'train-x-step-2' ? '/nonexistent/adapter.gguf' : undefined,
    );
    try {
      const gone = await client.chat({ backend: 'local', model: 'train-x-step-2', messages: ask, maxTokens: 4 }).catch((e: unknown) => e);
      expect((gone as Error).message).toContain('was published as /nonexistent/adapter.gguf, which no longer exists');
    } finally {
      forgetLocalAdapters();
    }
  });

  describe('with the model file', () => {
    const client = new LlmClient(backendRegistryFromConfig({}, { env: process.env }));

    itWithModel('answers a short chat completion, with exact token counts, deterministically at temperature 0', async () => {
      const res = await client.chat({ backend: 'local', messages: ask, maxTokens: 24, temperature: 0, purpose: 'smoke' });
      console.log(
        `local model said: ${JSON.stringify(res.text)} (${res.ledger.promptTokens}+${res.ledger.completionTokens} tokens, ${res.ledger.latencyMs} ms)`,
      );
      expect(res.text.trim().length).toBeGreaterThan(0);
      expect(['stop', 'length']).toContain(res.finishReason);
      expect(res.ledger).toMatchObject({
        backend: 'local',
        model: 'SmolLM2-135M-Instruct-Q4_1',
        purpose: 'smoke',
        costUsd: 0,
        attempts: 1,
      });
      expect(res.ledger.promptTokens).toBeGreaterThan(10);
      expect(res.ledger.completionTokens).toBeGreaterThan(0);
      expect(res.ledger.completionTokens).toBeLessThanOrEqual(24);
      expect(res.ledger.usageEstimated).toBeUndefined();
      const again = await client.chat({ backend: 'local', messages: ask, maxTokens: 24, temperature: 0 });
      expect(again.text).toBe(res.text);
    });

    itWithModel('honours a GBNF grammar (a director-style action) and returns logprobs', async () => {
      const grammar = 'root ::= "<action>" ("add" | "delete" | "finish") "</action>"';
      const res = await client.chat({
        backend: 'local',
        messages: [
          { role: 'system', content: 'Reply with one action tag.' },
          { role: 'user', content: 'The workflow is complete. What do you do?' },
        ],
        constraint: { kind: 'gbnf', grammar },
        logprobs: true,
        temperature: 0.7,
        seed: 42,
        maxTokens: 20,
      });
      expect(res.text).toMatch(/^<action>(add|delete|finish)<\/action>$/);
      expect(res.constrained).toBe(true);
      expect(res.logprobs?.length).toBe(res.ledger.completionTokens);
      expect(res.logprobs?.map((t) => t.token).join('')).toBe(res.text);
      for (const t of res.logprobs ?? []) {
        expect(Number.isFinite(t.logprob)).toBe(true);
        expect(t.logprob).toBeLessThanOrEqual(0);
      }
    });

    itWithModel('honours a JSON schema and a stop string', async () => {
      const schema = {
        type: 'object',
        properties: { answer: { type: 'string' }, confidence: { type: 'number' } },
        required: ['answer', 'confidence'],
      };
      const res = await client.chat({ backend: 'local', messages: ask, constraint: { kind: 'json-schema', schema }, maxTokens: 60 });
      const parsed = JSON.parse(res.text) as { answer: unknown; confidence: unknown };
      expect(typeof parsed.answer).toBe('string');
      expect(typeof parsed.confidence).toBe('number');
      expect(res.text).toBe(res.text.trimEnd());

      const counting = await client.chat({
        backend: 'local',
        messages: [{ role: 'user', content: 'Count from 1 to 10, separated by commas.' }],
        stop: ['5'],
        maxTokens: 40,
      });
      expect(counting.text).not.toContain('5');
      expect(counting.finishReason).toBe('stop');
    });

    itWithModel('refuses a prompt longer than the context and an invalid grammar, clearly', async () => {
      const small = new LlmClient(
        backendRegistryFromConfig({ backends: { local: { kind: 'local', contextSize: 256 } } }, { env: process.env }),
      );
      const long = await small
        .chat({ backend: 'local', messages: [{ role: 'user', content: 'word '.repeat(600) }] })
        .catch((e: unknown) => e);
      expect(long).toMatchObject({ kind: 'bad-request', retryable: false });
      expect((long as Error).message).toContain('more than the context size 256');
      const badGrammar = await client
        .chat({ backend: 'local', messages: ask, constraint: { kind: 'gbnf', grammar: 'root ::= (' } })
        .catch((e: unknown) => e);
      expect(badGrammar).toMatchObject({ kind: 'bad-request', retryable: false });
      expect((badGrammar as Error).message).toContain('invalid GBNF grammar');
    });

    itWithModel('serialises concurrent calls on one shared model and times out cleanly', async () => {
      const [a, b] = await Promise.all([
        client.chat({ backend: 'local', messages: ask, maxTokens: 8 }),
        client.chat({ backend: 'local', messages: [{ role: 'user', content: 'Say hello.' }], maxTokens: 8 }),
      ]);
      expect(a.text.length + b.text.length).toBeGreaterThan(0);
      const timeout = await client.chat({ backend: 'local', messages: ask, maxTokens: 400, timeoutMs: 30 }).catch((e: unknown) => e);
      expect(timeout).toMatchObject({ kind: 'timeout', backend: 'local' });
      // the sequence is free again afterwards
      const after = await client.chat({ backend: 'local', messages: ask, maxTokens: 4 });
      expect(after.ledger.completionTokens).toBeGreaterThan(0);
    });

    itWithModel('is served on 127.0.0.1 as an OpenAI-compatible endpoint', async () => {
      const server = await startLocalOpenAIServer({ client });
      try {
        expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
        const sdk = new OpenAI({ baseURL: server.baseURL, apiKey: 'unused', maxRetries: 0 });
        const models = await sdk.models.list();
        expect(models.data.map((m) => m.id)).toEqual(['SmolLM2-135M-Instruct-Q4_1']);
        const res = await sdk.chat.completions.create({ model: 'anything', messages: ask, max_tokens: 12, temperature: 0, logprobs: true });
        expect(res.choices[0]?.message.content?.length).toBeGreaterThan(0);
        expect(res.usage?.completion_tokens).toBeGreaterThan(0);
        expect(res.choices[0]?.logprobs?.content?.length).toBe(res.usage?.completion_tokens);
        const yes = await sdk.chat.completions.create({
          model: 'x',
          messages: [{ role: 'user', content: 'Is Paris in France?' }],
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'a', schema: { type: 'object', properties: { yes: { type: 'boolean' } }, required: ['yes'] } },
          },
          max_tokens: 20,
        });
        expect(typeof (JSON.parse(yes.choices[0]?.message.content ?? '') as { yes: unknown }).yes).toBe('boolean');
      } finally {
        await server.close();
      }
    });
  });
});
