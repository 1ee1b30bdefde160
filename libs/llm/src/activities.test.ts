import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ChatMessage, PolicyTurnResult } from '@flowsteer/contracts';
import { createLlmActivities } from './activities';
import { LlmClient } from './client';
import { LlmError } from './errors';
import { type FakeOpenAIServer, fakeBackendRegistry, reply, startFakeOpenAIServer } from './test-support';

const prompt: ChatMessage[] = [
  { role: 'system', content: 'You are the Flow-Director. Answer with one action.' },
  { role: 'user', content: 'Canvas: empty. Problem: add 2 and 2.' },
];

let fake: FakeOpenAIServer;
beforeAll(async () => {
  fake = await startFakeOpenAIServer();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('policyTurn / chat activities', () => {
  it('policyTurn sends the director prompt to the director backend and returns text, tokens, latency, ledger and logprobs', async () => {
    const { policyTurn } = createLlmActivities(fakeBackendRegistry(fake, { price: { inputPerMTok: 2, outputPerMTok: 4 } }));
    fake.enqueue(reply.text('<add>Custom</add>', { usage: { promptTokens: 100, completionTokens: 5 }, logprobs: [{ token: '<add>', logprob: -0.5 }] }));
    const grammar = 'root ::= "<add>" [A-Za-z]+ "</add>"';
    const out = await policyTurn({ messages: prompt, constraint: { kind: 'gbnf', grammar }, logprobs: true, purpose: 'session-x turn 1', maxTokens: 32 });
    expect(out).toMatchObject({
      text: '<add>Custom</add>',
      finishReason: 'stop',
      promptTokens: 100,
      completionTokens: 5,
      logprobs: [{ token: '<add>', logprob: -0.5 }],
      constrained: true,
      ledger: { backend: 'fake', model: 'fake-model', purpose: 'session-x turn 1', promptTokens: 100, completionTokens: 5, costUsd: (100 * 2 + 5 * 4) / 1e6, attempts: 1 },
    });
    expect(out.latencyMs).toBe(out.ledger.latencyMs);
    expect(fake.chatBodies()[0]).toMatchObject({ messages: prompt, grammar, logprobs: true, max_tokens: 32 });
    // results are plain data (what Temporal will serialise)
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('policyTurn may name its backend; chat passes requests through', async () => {
    const registry = fakeBackendRegistry(fake);
    const acts = createLlmActivities(new LlmClient(registry));
    fake.enqueue(reply.text('a'), reply.text('b'));
    expect((await acts.policyTurn({ backend: 'fake', messages: prompt })).ledger.purpose).toBe('policy turn');
    expect((await acts.chat({ backend: '@executor', messages: prompt, purpose: 'node_2 Custom' })).ledger).toMatchObject({ backend: 'fake', purpose: 'node_2 Custom' });
  });

  it('non-retryable failures become non-retryable ApplicationFailures; retryable ones stay LlmErrors', async () => {
    const acts = createLlmActivities(fakeBackendRegistry(fake, { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } }));
    fake.enqueue(reply.status(422, 'unprocessable'));
    const e = await acts.policyTurn({ messages: prompt }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApplicationFailure);
    expect(e).toMatchObject({ nonRetryable: true, type: 'LlmError.bad-request' });
    expect((e as ApplicationFailure).message).toContain('backend "fake"');
    expect((e as ApplicationFailure).details?.[0]).toMatchObject({ backend: 'fake', kind: 'bad-request', status: 422, retryable: false });

    const unknown = await acts.chat({ backend: 'missing', messages: prompt }).catch((x: unknown) => x);
    expect(unknown).toMatchObject({ nonRetryable: true, type: 'LlmError.unknown-backend' });

    fake.enqueue(reply.rateLimited(), reply.rateLimited());
    const storm = await acts.chat({ backend: 'fake', messages: prompt }).catch((x: unknown) => x);
    expect(storm).toBeInstanceOf(LlmError);
    expect(storm).toMatchObject({ kind: 'rate-limit', retryable: true, attempts: 2 });
  });

  it('inside an activity: heartbeats while waiting, and cancellation aborts the call', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 300 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const acts = createLlmActivities(fakeBackendRegistry(fake, { timeoutMs: 5_000 }));

    fake.enqueue(reply.delayed(350, 'thought long'));
    const out = await env.run<[], PolicyTurnResult, () => Promise<PolicyTurnResult>>(() => acts.policyTurn({ messages: prompt }));
    expect(out.text).toBe('thought long');
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats[0]).toMatchObject({ phase: 'policyTurn' });

    const env2 = new MockActivityEnvironment({ heartbeatTimeoutMs: 300 });
    fake.enqueue(reply.hang());
    const t0 = Date.now();
    const running = env2.run(() => acts.chat({ backend: 'fake', messages: prompt }));
    setTimeout(() => env2.cancel(), 100);
    const err = await running.catch((x: unknown) => x);
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});
