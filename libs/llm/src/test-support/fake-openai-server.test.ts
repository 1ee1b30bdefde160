import OpenAI from 'openai';
import { reply, startFakeOpenAIServer } from './index';

describe('the fake OpenAI-compatible server', () => {
  it('serves scripted replies in order, records requests, and falls back when empty', async () => {
    const fake = await startFakeOpenAIServer({ model: 'm1' });
    try {
      const sdk = new OpenAI({ baseURL: fake.baseURL, apiKey: 'k', maxRetries: 0 });
      fake.enqueue(reply.text('one'), (req) =>
        reply.text(`echo: ${JSON.stringify((req.body as { messages: unknown[] }).messages.length)}`),
      );
      const a = await sdk.chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'x' }] });
      const b = await sdk.chat.completions.create({
        model: 'm1',
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: 'y' },
        ],
      });
      expect(a.choices[0]?.message.content).toBe('one');
      expect(b.choices[0]?.message.content).toBe('echo: 2');
      expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/chat/completions', 'POST /v1/chat/completions']);
      expect(fake.requests[0]?.headers.authorization).toBe('Bearer k');
      const empty = await sdk.chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(empty).toBeInstanceOf(OpenAI.InternalServerError);
      expect((empty as Error).message).toContain('no scripted reply left');
      fake.setFallback(reply.text('default'));
      expect(
        (await sdk.chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'x' }] })).choices[0]?.message.content,
      ).toBe('default');
      expect((await sdk.models.list()).data[0]?.id).toBe('m1');
    } finally {
      await fake.close();
    }
  });

  it('streams slowly chunk by chunk when the request streams', async () => {
    const fake = await startFakeOpenAIServer();
    try {
      const sdk = new OpenAI({ baseURL: fake.baseURL, apiKey: 'k', maxRetries: 0 });
      fake.enqueue(reply.text('abcdefghij', { chunkSize: 3, intervalMs: 40 }));
      const t0 = Date.now();
      const stream = await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
      const pieces: Array<{ text: string; at: number }> = [];
      for await (const chunk of stream) {
        const t = chunk.choices[0]?.delta.content;
        if (t) pieces.push({ text: t, at: Date.now() - t0 });
      }
      expect(pieces.map((p) => p.text)).toEqual(['abc', 'def', 'ghi', 'j']);
      expect(pieces[3]!.at - pieces[0]!.at).toBeGreaterThanOrEqual(100);
    } finally {
      await fake.close();
    }
  });

  it('closes even with hanging requests', async () => {
    const fake = await startFakeOpenAIServer();
    fake.enqueue(reply.hang());
    const pending = fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await fake.close();
    // fetch's errors come from Node's realm, not jest's: check the shape, not instanceof
    expect(String(await pending)).toMatch(/fetch failed|other side closed|socket/i);
  });
});
