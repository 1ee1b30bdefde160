import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { textPlaceholder, type ChatMessage, type PolicyTurnResult, type TextValue } from '@flowsteer/contracts';
import { createLlmActivities } from './activities';
import { LlmClient } from './client';
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
    fake.enqueue(
      reply.text('<add>Custom</add>', { usage: { promptTokens: 100, completionTokens: 5 }, logprobs: [{ token: '<add>', logprob: -0.5 }] }),
    );
    const grammar = 'root ::= "<add>" [A-Za-z]+ "</add>"';
    const out = await policyTurn({
      messages: prompt,
      constraint: { kind: 'gbnf', grammar },
      logprobs: true,
      purpose: 'session-x turn 1',
      maxTokens: 32,
    });
    expect(out).toMatchObject({
      text: '<add>Custom</add>',
      finishReason: 'stop',
      promptTokens: 100,
      completionTokens: 5,
      logprobs: [{ token: '<add>', logprob: -0.5 }],
      constrained: true,
      ledger: {
        backend: 'fake',
        model: 'fake-model',
        purpose: 'session-x turn 1',
        promptTokens: 100,
        completionTokens: 5,
        costUsd: (100 * 2 + 5 * 4) / 1e6,
        attempts: 1,
      },
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
    expect((await acts.chat({ backend: '@executor', messages: prompt, purpose: 'node_2 Custom' })).ledger).toMatchObject({
      backend: 'fake',
      purpose: 'node_2 Custom',
    });
  });

  it('failures become typed ApplicationFailures with the failed call in the ledger; only a policy turn makes every kind final', async () => {
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
    expect(storm).toBeInstanceOf(ApplicationFailure);
    expect(storm).toMatchObject({ type: 'LlmError.rate-limit', nonRetryable: false });
    expect((storm as ApplicationFailure).details?.[0]).toMatchObject({
      kind: 'rate-limit',
      retryable: true,
      attempts: 2,
      ledger: [{ backend: 'fake', attempts: 2, failed: true }],
    });

    // the client already retried: the workflow, not Temporal, decides whether to wait out the outage
    fake.enqueue(reply.status(503, 'down'), reply.status(503, 'down'));
    const down = await acts.policyTurn({ messages: prompt, purpose: 'turn 4 director' }).catch((x: unknown) => x);
    expect(down).toMatchObject({ type: 'LlmError.server', nonRetryable: true });
    expect((down as ApplicationFailure).details?.[0]).toMatchObject({
      retryable: true,
      attempts: 2,
      ledger: [{ purpose: 'turn 4 director', attempts: 2, failed: true }],
    });
  });

  it('expands texts passed by reference and stores the recorded turn as a sample', async () => {
    const blobs = new Map<string, unknown>();
    const store = {
      async readText(v: TextValue) {
        return typeof v === 'string' ? v : `WHOLE(${v.preview})`;
      },
      async putJsonBlob(content: unknown) {
        const ref = `artifact://cas/${String(blobs.size).padStart(64, '0')}`;
        blobs.set(ref, content);
        return ref;
      },
    };
    const acts = createLlmActivities(fakeBackendRegistry(fake), { store });
    fake.enqueue(reply.text('<action>finish</action>', { logprobs: [{ token: '<', logprob: -0.1 }] }));
    const messages: ChatMessage[] = [{ role: 'user', content: `Problem: ${textPlaceholder('problem')} end` }];
    const out = await acts.policyTurn({
      messages,
      texts: { problem: { ref: `artifact://cas/${'a'.repeat(64)}`, preview: 'big', bytes: 9000 } },
      record: true,
      logprobs: true,
    });
    expect(fake.chatBodies()[0]).toMatchObject({ messages: [{ role: 'user', content: 'Problem: WHOLE(big) end' }] });
    expect(out.logprobs).toBeUndefined();
    expect(blobs.get(out.sampleRef as string)).toMatchObject({
      messages: [{ content: 'Problem: WHOLE(big) end' }],
      completion: '<action>finish</action>',
      logprobs: [{ logprob: -0.1 }],
    });
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
