import { createServer } from 'node:net';
import type { ChatMessage } from '@flowsteer/contracts';
import { LlmClient } from './client';
import { backoffDelay } from './concurrency';
import { LlmError } from './errors';
import { type FakeOpenAIServer, fakeBackendRegistry, reply, startFakeOpenAIServer } from './test-support';

const messages: ChatMessage[] = [
  { role: 'system', content: 'You answer with a number.' },
  { role: 'user', content: 'What is 2+2?' },
];

let fake: FakeOpenAIServer;
beforeAll(async () => {
  fake = await startFakeOpenAIServer();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

async function failure(p: Promise<unknown>): Promise<LlmError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(LlmError);
    return err as LlmError;
  }
  throw new Error('expected the call to fail');
}

function collectingLogger() {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      warn: (m: string, meta?: Record<string, unknown>) => void lines.push(`${m} ${JSON.stringify(meta ?? {})}`),
      info: (m: string, meta?: Record<string, unknown>) => void lines.push(`${m} ${JSON.stringify(meta ?? {})}`),
    },
  };
}

describe('LlmClient against an OpenAI-compatible endpoint', () => {
  it('returns text, finish reason and a ledger entry priced from the config', async () => {
    const registry = fakeBackendRegistry(fake, {
      price: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
      sampling: { temperature: 0.2, maxTokens: 64 },
    });
    fake.enqueue(reply.text('4', { usage: { promptTokens: 1234, completionTokens: 567 } }));
    const res = await new LlmClient(registry).chat({ backend: 'fake', messages, purpose: 'turn 1 director' });
    expect(res.text).toBe('4');
    expect(res.finishReason).toBe('stop');
    expect(res.ledger).toMatchObject({
      backend: 'fake',
      model: 'fake-model',
      purpose: 'turn 1 director',
      promptTokens: 1234,
      completionTokens: 567,
      attempts: 1,
    });
    // 1234 * 0.15 / 1e6 + 567 * 0.60 / 1e6 = 0.0001851 + 0.0003402
    expect(res.ledger.costUsd).toBeCloseTo(0.0005253, 12);
    expect(res.ledger.latencyMs).toBeGreaterThanOrEqual(0);
    expect(res.ledger.usageEstimated).toBeUndefined();
    const body = fake.chatBodies()[0];
    expect(body).toMatchObject({ model: 'fake-model', messages, temperature: 0.2, max_tokens: 64 });
    expect(body).not.toHaveProperty('logprobs');
    // request values win over backend defaults
    fake.enqueue(reply.text('5'));
    await new LlmClient(registry).chat({ backend: 'fake', messages, temperature: 0.9, maxTokens: 8, stop: ['\n'], seed: 7, topP: 0.5 });
    expect(fake.chatBodies()[1]).toMatchObject({ temperature: 0.9, max_tokens: 8, stop: ['\n'], seed: 7, top_p: 0.5 });
    // OpenAI's reasoning models take max_completion_tokens instead
    fake.enqueue(reply.text('6'));
    await new LlmClient(
      fakeBackendRegistry(fake, {
        capabilities: { jsonSchema: true, grammar: 'none', logprobs: true, maxTokensField: 'max_completion_tokens' },
      }),
    ).chat({
      backend: 'fake',
      messages,
      maxTokens: 9,
    });
    expect(fake.chatBodies()[2]).toMatchObject({ max_completion_tokens: 9 });
    expect(fake.chatBodies()[2]).not.toHaveProperty('max_tokens');
  });

  it('asks for another model when the request names one (a published LoRA adapter) and books it under that name', async () => {
    fake.enqueue(reply.text('ok'));
    const res = await new LlmClient(fakeBackendRegistry(fake)).chat({ backend: 'fake', model: 'train-demo-step-3', messages });
    expect(fake.chatBodies()[0]).toMatchObject({ model: 'train-demo-step-3' });
    expect(res.ledger.model).toBe('train-demo-step-3');
  });

  it('estimates usage (and says so) when the backend reports none', async () => {
    fake.enqueue(reply.text('abcdefgh', { usage: null }));
    const res = await new LlmClient(fakeBackendRegistry(fake, { price: { inputPerMTok: 1, outputPerMTok: 2 } })).chat({
      backend: 'fake',
      messages,
    });
    expect(res.ledger.usageEstimated).toBe(true);
    expect(res.ledger.completionTokens).toBe(2);
    expect(res.ledger.promptTokens).toBeGreaterThan(0);
    expect(res.ledger.costUsd).toBeCloseTo((res.ledger.promptTokens * 1 + 2 * 2) / 1e6, 12);
  });

  it('resolves @director / @executor to the configured defaults', async () => {
    fake.enqueue(reply.text('ok'));
    const res = await new LlmClient(fakeBackendRegistry(fake)).chat({ backend: '@director', messages });
    expect(res.ledger.backend).toBe('fake');
  });

  it('retries 5xx with backoff and counts attempts', async () => {
    fake.enqueue(reply.status(500), reply.status(503, 'overloaded'), reply.text('4'));
    const { logger, lines } = collectingLogger();
    const res = await new LlmClient(fakeBackendRegistry(fake), { logger }).chat({ backend: 'fake', messages });
    expect(res.text).toBe('4');
    expect(res.ledger.attempts).toBe(3);
    expect(fake.chatBodies()).toHaveLength(3);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('backend "fake"');
    expect(lines[0]).toContain('HTTP 500');
    expect(lines[1]).toContain('overloaded');
  });

  it('gives up on a 429 storm after maxRetries, saying which backend and why', async () => {
    for (let i = 0; i < 10; i++) fake.enqueue(reply.rateLimited());
    const e = await failure(
      new LlmClient(fakeBackendRegistry(fake, { retry: { maxRetries: 4, baseDelayMs: 1, maxDelayMs: 5 } })).chat({
        backend: 'fake',
        messages,
      }),
    );
    expect(e).toMatchObject({ backend: 'fake', kind: 'rate-limit', retryable: true, status: 429, attempts: 5 });
    expect(e.message).toMatch(
      /^after 5 attempts: backend "fake" \(fake-model at http:\/\/127\.0\.0\.1:\d+\/v1\): HTTP 429 rate limited: Rate limit reached/,
    );
    expect(fake.chatBodies()).toHaveLength(5);
    expect(fake.pending()).toBe(5);
  });

  it('honours Retry-After, capped at maxDelayMs', async () => {
    fake.enqueue(reply.rateLimited(60), reply.text('done'));
    const t0 = Date.now();
    const res = await new LlmClient(fakeBackendRegistry(fake, { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 50 } })).chat({
      backend: 'fake',
      messages,
    });
    expect(res.ledger.attempts).toBe(2);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
  });

  it('does not retry 4xx other than 429', async () => {
    fake.enqueue(reply.status(400, "Invalid parameter: 'max_tokens' too large"), reply.text('never'));
    const e = await failure(new LlmClient(fakeBackendRegistry(fake)).chat({ backend: 'fake', messages }));
    expect(e).toMatchObject({ kind: 'bad-request', retryable: false, status: 400, attempts: 1 });
    expect(e.message).toContain("HTTP 400 request rejected: Invalid parameter: 'max_tokens' too large");
    expect(fake.chatBodies()).toHaveLength(1);
    fake.reset();
    fake.enqueue(reply.status(404, 'model not found'));
    expect(await failure(new LlmClient(fakeBackendRegistry(fake)).chat({ backend: 'fake', messages }))).toMatchObject({
      kind: 'bad-request',
      status: 404,
    });
  });

  it('a hang hits the hard timeout on every attempt, then fails as timeout', async () => {
    fake.enqueue(reply.hang(), reply.hang());
    const t0 = Date.now();
    const e = await failure(
      new LlmClient(fakeBackendRegistry(fake, { timeoutMs: 150, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } })).chat({
        backend: 'fake',
        messages,
      }),
    );
    expect(e).toMatchObject({ kind: 'timeout', retryable: true, attempts: 2 });
    expect(e.message).toContain('no complete answer within 150 ms');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('the hard timeout also cuts a slow body (headers came fast), and a retry can succeed', async () => {
    fake.enqueue(reply.slowBody('slow', 120, 5), reply.text('fast'));
    const res = await new LlmClient(fakeBackendRegistry(fake, { timeoutMs: 200 })).chat({ backend: 'fake', messages });
    expect(res.text).toBe('fast');
    expect(res.ledger.attempts).toBe(2);
  });

  it('a slow answer within the timeout is fine', async () => {
    fake.enqueue(reply.delayed(150, 'patience'), reply.slowBody('trickle', 20, 4));
    const client = new LlmClient(fakeBackendRegistry(fake, { timeoutMs: 1_000 }));
    expect((await client.chat({ backend: 'fake', messages })).ledger).toMatchObject({ attempts: 1 });
    expect((await client.chat({ backend: 'fake', messages })).text).toBe('trickle');
    // a per-request timeout overrides the backend's
    fake.enqueue(reply.delayed(300, 'late'), reply.delayed(300, 'late'));
    const e = await failure(
      new LlmClient(fakeBackendRegistry(fake, { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } })).chat({
        backend: 'fake',
        messages,
        timeoutMs: 100,
      }),
    );
    expect(e.kind).toBe('timeout');
  });

  it('malformed JSON is retried, then reported as a bad response', async () => {
    fake.enqueue(reply.malformedJson(), reply.text('recovered'));
    const ok = await new LlmClient(fakeBackendRegistry(fake)).chat({ backend: 'fake', messages });
    expect(ok).toMatchObject({ text: 'recovered', ledger: { attempts: 2 } });

    fake.reset();
    fake.enqueue(
      reply.malformedJson(),
      reply.raw('<html>502 Bad Gateway</html>', 200, 'text/html'),
      reply.raw('{"object":"chat.completion"}'),
    );
    const e = await failure(
      new LlmClient(fakeBackendRegistry(fake, { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 } })).chat({
        backend: 'fake',
        messages,
      }),
    );
    expect(e).toMatchObject({ kind: 'bad-response', retryable: true, attempts: 3 });
    expect(e.message).toContain('no choices[0].message');

    for (const [r, why] of [
      [reply.malformedJson(), 'malformed JSON'],
      [reply.raw('<html>oops</html>', 200, 'text/html'), 'not JSON: <html>oops</html>'],
    ] as const) {
      fake.enqueue(r);
      const one = await failure(
        new LlmClient(fakeBackendRegistry(fake, { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } })).chat({
          backend: 'fake',
          messages,
        }),
      );
      expect(one.kind).toBe('bad-response');
      expect(one.message).toContain(why);
    }
  });

  it('dropped and refused connections are connection errors', async () => {
    fake.enqueue(reply.drop(), reply.text('back'));
    expect((await new LlmClient(fakeBackendRegistry(fake)).chat({ backend: 'fake', messages })).ledger.attempts).toBe(2);

    const port = await freePort();
    const dead = fakeBackendRegistry(
      { baseURL: `http://127.0.0.1:${port}/v1`, model: 'm' },
      { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } },
    );
    const e = await failure(new LlmClient(dead).chat({ backend: 'fake', messages }));
    expect(e).toMatchObject({ kind: 'connection', retryable: true, attempts: 2 });
    expect(e.message).toContain(`at http://127.0.0.1:${port}/v1`);
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('never lets the API key into results, errors or logs', async () => {
    const key = 'sk-proj-Zq8sWc2LmN4pR7tX9vB1dF3gH5jK6';
    const keyed = await startFakeOpenAIServer({ requireApiKey: 'sk-the-right-one-000000000000' });
    try {
      const env = { FAKE_KEY: key };
      const registry = fakeBackendRegistry(keyed, { apiKeyEnv: 'FAKE_KEY' });
      const { logger, lines } = collectingLogger();
      // 401: the server echoes a masked key; not retried
      const e = await failure(new LlmClient(registry, { env, logger }).chat({ backend: 'fake', messages }));
      expect(e).toMatchObject({ kind: 'auth', retryable: false, status: 401, attempts: 1 });
      expect(e.message).toContain('check the key in $FAKE_KEY');
      expect(keyed.requests[0]?.headers.authorization).toBe(`Bearer ${key}`); // it was sent...
      // ...but appears nowhere else, not even masked
      const serialised = JSON.stringify({ message: e.message, json: e.toJSON(), stack: e.stack, lines });
      for (const piece of [key, key.slice(0, 8), key.slice(-6), 'sk-pro****']) expect(serialised).not.toContain(piece);

      // a 5xx whose body echoes the key, retried and logged
      const echo = await startFakeOpenAIServer();
      try {
        echo.enqueue(reply.status(500, `upstream said: bad header Authorization: Bearer ${key}`), reply.status(500, `key=${key}`));
        const e2 = await failure(
          new LlmClient(fakeBackendRegistry(echo, { apiKeyEnv: 'FAKE_KEY', retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } }), {
            env,
            logger,
          }).chat({
            backend: 'fake',
            messages,
          }),
        );
        const all = JSON.stringify({ m: e2.message, j: e2.toJSON(), s: e2.stack, lines });
        expect(all).toContain('[redacted]');
        expect(all).not.toContain(key);
        expect(all).not.toContain(key.slice(-6));
        // the result of a successful call carries no key either
        echo.enqueue(reply.text('fine'));
        const ok = await new LlmClient(fakeBackendRegistry(echo, { apiKeyEnv: 'FAKE_KEY' }), { env }).chat({ backend: 'fake', messages });
        expect(JSON.stringify(ok)).not.toContain(key.slice(0, 8));
      } finally {
        await echo.close();
      }

      // key variable unset: a clear config error, and no request is made
      const before = keyed.requests.length;
      const e3 = await failure(new LlmClient(registry, { env: {} }).chat({ backend: 'fake', messages }));
      expect(e3).toMatchObject({ kind: 'config', retryable: false });
      expect(e3.message).toContain('environment variable FAKE_KEY (its API key) is not set');
      expect(keyed.requests.length).toBe(before);
    } finally {
      await keyed.close();
    }
  });

  it('asks a tokenIds backend for the prompt and completion ids (vLLM return_token_ids) and returns them with the logprobs', async () => {
    const body = {
      id: 'chatcmpl-ids',
      object: 'chat.completion',
      created: 0,
      model: 'm',
      prompt_token_ids: [1, 5, 6],
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'ab' },
          finish_reason: 'stop',
          token_ids: [11, 12],
          logprobs: {
            content: [
              { token: 'a', logprob: -0.1 },
              { token: 'b', logprob: -0.2 },
            ],
          },
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 2 },
    };
    fake.enqueue(reply.raw(JSON.stringify(body)));
    const ids = fakeBackendRegistry(fake, { capabilities: { jsonSchema: true, grammar: 'none', logprobs: true, tokenIds: true } });
    const res = await new LlmClient(ids).chat({ backend: 'fake', messages, logprobs: true });
    expect(fake.chatBodies().at(-1)).toMatchObject({ logprobs: true, return_token_ids: true });
    expect(res).toMatchObject({ promptTokenIds: [1, 5, 6], completionTokenIds: [11, 12] });
    // without the capability: not asked, and ids in an answer are not taken
    fake.enqueue(reply.raw(JSON.stringify(body)));
    const plain = await new LlmClient(fakeBackendRegistry(fake)).chat({ backend: 'fake', messages, logprobs: true });
    expect(fake.chatBodies().at(-1)).not.toHaveProperty('return_token_ids');
    expect(plain.promptTokenIds).toBeUndefined();
  });

  it('asks for logprobs and returns them', async () => {
    fake.enqueue(reply.text('4', { logprobs: [{ token: '4', logprob: -0.01 }] }));
    const res = await new LlmClient(fakeBackendRegistry(fake)).chat({ backend: 'fake', messages, logprobs: true });
    expect(fake.chatBodies()[0]).toMatchObject({ logprobs: true });
    expect(res.logprobs).toEqual([{ token: '4', logprob: -0.01 }]);
    // a backend that cannot: not asked, none returned
    fake.enqueue(reply.text('4'));
    const res2 = await new LlmClient(
      fakeBackendRegistry(fake, { capabilities: { jsonSchema: true, grammar: 'none', logprobs: false } }),
    ).chat({
      backend: 'fake',
      messages,
      logprobs: true,
    });
    expect(fake.chatBodies()[1]).not.toHaveProperty('logprobs');
    expect(res2.logprobs).toBeUndefined();
  });

  it('passes constraints the way the backend takes them, and says when it cannot', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    const grammar = 'root ::= "yes" | "no"';
    const cases = [
      {
        caps: { jsonSchema: true, grammar: 'none', logprobs: true },
        c: { kind: 'json-schema', schema },
        expectBody: { response_format: { type: 'json_schema', json_schema: { name: 'output', schema, strict: true } } },
        constrained: true,
      },
      {
        caps: { jsonSchema: false, grammar: 'none', logprobs: true },
        c: { kind: 'json-schema', schema },
        absent: 'response_format',
        constrained: false,
      },
      {
        caps: { jsonSchema: true, grammar: 'llama-cpp', logprobs: true },
        c: { kind: 'gbnf', grammar },
        expectBody: { grammar },
        constrained: true,
      },
      {
        caps: { jsonSchema: true, grammar: 'vllm', logprobs: true },
        c: { kind: 'gbnf', grammar },
        expectBody: { structured_outputs: { grammar } },
        constrained: true,
      },
      {
        caps: { jsonSchema: true, grammar: 'vllm-legacy', logprobs: true },
        c: { kind: 'gbnf', grammar },
        expectBody: { guided_grammar: grammar },
        constrained: true,
      },
      { caps: { jsonSchema: true, grammar: 'none', logprobs: true }, c: { kind: 'gbnf', grammar }, absent: 'grammar', constrained: false },
    ] as const;
    for (const k of cases) {
      fake.reset();
      fake.enqueue(reply.text('{"answer":"yes"}'));
      const { logger, lines } = collectingLogger();
      const res = await new LlmClient(fakeBackendRegistry(fake, { capabilities: { ...k.caps } }), { logger }).chat({
        backend: 'fake',
        messages,
        constraint: k.c,
      });
      expect(res.constrained).toBe(k.constrained);
      const body = fake.chatBodies()[0];
      if ('expectBody' in k) expect(body).toMatchObject(k.expectBody);
      if ('absent' in k) expect(body).not.toHaveProperty(k.absent);
      expect(lines.length).toBe(k.constrained ? 0 : 1);
    }
    fake.enqueue(reply.text('plain'));
    expect((await new LlmClient(fakeBackendRegistry(fake)).chat({ backend: 'fake', messages })).constrained).toBeUndefined();
  });

  it('keeps at most `concurrency` calls in flight per backend', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    fake.setFallback(async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 40));
      inFlight--;
      return reply.text('ok');
    });
    try {
      const client = new LlmClient(fakeBackendRegistry(fake, { concurrency: 2 }));
      const results = await Promise.all(Array.from({ length: 7 }, () => client.chat({ backend: 'fake', messages })));
      expect(results.every((r) => r.text === 'ok')).toBe(true);
      expect(maxInFlight).toBe(2);
      expect(fake.chatBodies()).toHaveLength(7);
    } finally {
      fake.setFallback(undefined);
    }
  });

  it('can be cancelled while waiting for an answer or between retries', async () => {
    fake.enqueue(reply.hang());
    const ac = new AbortController();
    const client = new LlmClient(fakeBackendRegistry(fake, { timeoutMs: 10_000 }));
    setTimeout(() => ac.abort(), 50);
    const t0 = Date.now();
    const e = await failure(client.chat({ backend: 'fake', messages }, { signal: ac.signal }));
    expect(e).toMatchObject({ kind: 'cancelled', retryable: false });
    expect(Date.now() - t0).toBeLessThan(2_000);

    fake.enqueue(reply.status(503), reply.text('x'));
    const ac2 = new AbortController();
    const slowRetry = new LlmClient(fakeBackendRegistry(fake, { retry: { maxRetries: 3, baseDelayMs: 5_000, maxDelayMs: 5_000 } }));
    setTimeout(() => ac2.abort(), 100);
    expect(await failure(slowRetry.chat({ backend: 'fake', messages }, { signal: ac2.signal }))).toMatchObject({ kind: 'cancelled' });
  });

  it('rejects unknown backends and invalid requests without calling anything', async () => {
    const client = new LlmClient(fakeBackendRegistry(fake));
    expect(await failure(client.chat({ backend: 'nope', messages }))).toMatchObject({
      kind: 'unknown-backend',
      retryable: false,
      backend: 'nope',
    });
    expect(await failure(client.chat({ backend: 'fake', messages: [] }))).toMatchObject({ kind: 'bad-request', retryable: false });
    const bad = await failure(client.chat({ backend: 'fake', messages: [{ role: 'robot' as 'user', content: 'x' }] }));
    expect(bad.message).toContain('messages[0].role must be system, user or assistant');
    expect(await failure(client.chat({ backend: 'fake', messages, maxTokens: 0 }))).toMatchObject({ kind: 'bad-request' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('backoff', () => {
  it('grows exponentially with equal jitter and stays within the cap', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(1, policy, undefined, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, undefined, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, undefined, () => 0.5)).toBe(300);
    for (let retry = 1; retry < 20; retry++) {
      const d = backoffDelay(retry, policy);
      expect(d).toBeGreaterThanOrEqual(Math.min(1_000, 100 * 2 ** (retry - 1)) / 2);
      expect(d).toBeLessThanOrEqual(1_000);
    }
    expect(backoffDelay(1, policy, 250)).toBe(250);
    expect(backoffDelay(1, policy, 60_000)).toBe(1_000);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
