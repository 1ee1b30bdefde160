/**
 * The OpenAI-compatible serving layer, checked against a scripted upstream (no model needed):
 * the embedded-model test covers the same server in front of the real model.
 */
import OpenAI from 'openai';
import { LlmClient } from '../client';
import { type FakeOpenAIServer, fakeBackendRegistry, reply, startFakeOpenAIServer } from '../test-support';
import { type LocalOpenAIServer, startLocalOpenAIServer, toChatRequest } from './server';

let upstream: FakeOpenAIServer;
let server: LocalOpenAIServer;
let sdk: OpenAI;

beforeAll(async () => {
  upstream = await startFakeOpenAIServer({ model: 'upstream-model' });
  const client = new LlmClient(fakeBackendRegistry(upstream, { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } }));
  server = await startLocalOpenAIServer({ client, backend: 'fake' });
  sdk = new OpenAI({ baseURL: server.baseURL, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
  await upstream.close();
});
beforeEach(() => upstream.reset());

describe('startLocalOpenAIServer', () => {
  it('listens on loopback and lists the served model', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await sdk.models.list()).data.map((m) => m.id)).toEqual(['upstream-model']);
  });

  it('answers chat completions with usage and logprobs, translating the request', async () => {
    upstream.enqueue(
      reply.text('hello', { usage: { promptTokens: 7, completionTokens: 2 }, logprobs: [{ token: 'hello', logprob: -0.2 }] }),
    );
    const res = await sdk.chat.completions.create({
      model: 'whatever',
      messages: [
        { role: 'developer', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'say hello' }] },
      ],
      max_completion_tokens: 9,
      temperature: 0.3,
      stop: 'X',
      logprobs: true,
    });
    expect(res.choices[0]?.message.content).toBe('hello');
    expect(res.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
    expect(res.choices[0]?.logprobs?.content?.[0]).toMatchObject({ token: 'hello', logprob: -0.2 });
    expect(upstream.chatBodies()[0]).toMatchObject({
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'say hello' },
      ],
      max_tokens: 9,
      temperature: 0.3,
      stop: ['X'],
      logprobs: true,
    });
  });

  it('streams when asked', async () => {
    upstream.enqueue(reply.text('streamed text'));
    const stream = await sdk.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('streamed text');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ completion_tokens: 4 });
  });

  it('maps failures to OpenAI-style errors', async () => {
    upstream.enqueue(reply.status(400, 'upstream says no'));
    const err = await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain('upstream says no');

    const bad = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('invalid JSON body');

    const noMessages = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{"messages": []}' });
    expect(noMessages.status).toBe(400);
    expect((await fetch(`${server.url}/v2/else`)).status).toBe(404);
  });

  it('translates response_format and llama.cpp grammar into constraints', () => {
    const schema = { type: 'object' };
    expect(
      toChatRequest('local', {
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'n', schema } },
      }).constraint,
    ).toEqual({
      kind: 'json-schema',
      schema,
    });
    expect(
      toChatRequest('local', { messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_object' } }).constraint,
    ).toEqual({
      kind: 'json-schema',
      schema: { type: 'object' },
    });
    expect(toChatRequest('local', { messages: [{ role: 'user', content: 'x' }], grammar: 'root ::= "a"' }).constraint).toEqual({
      kind: 'gbnf',
      grammar: 'root ::= "a"',
    });
    expect(() => toChatRequest('local', { messages: [{ role: 'tool', content: 'x' }] })).toThrow(
      /messages\[0\]\.role "tool" is not supported/,
    );
  });
});
