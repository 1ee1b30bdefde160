/**
 * A scripted OpenAI-compatible server for tests (never for the product): node:http on a free
 * loopback port. Each `POST /v1/chat/completions` takes the next scripted reply from a queue
 * (or the fallback when the queue is empty) and every request is recorded.
 *
 *   const fake = await startFakeOpenAIServer();
 *   fake.enqueue(reply.status(429), reply.text('<answer>4</answer>'));
 *   const registry = fakeBackendRegistry(fake);          // backend "fake", tiny retry delays
 *   const res = await new LlmClient(registry).chat({ backend: 'fake', messages });
 *   expect(fake.requests).toHaveLength(2);
 *   await fake.close();
 *
 * Replies: text (optionally streamed slowly when the request has `stream: true`), HTTP errors
 * with OpenAI-style bodies and headers (Retry-After), raw/malformed bodies, slow bodies, hangs
 * and dropped connections; or a function of the request for prompt-dependent answers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TokenLogprob } from '@flowsteer/contracts';
import { type Backend, BackendRegistry, type OpenAICompatibleBackend, defaultLocalBackend } from '../config';

export type FakeReply =
  | {
      kind: 'text';
      text: string;
      finishReason?: string;
      /** null: answer without a usage object; default: rough counts from the request and text. */
      usage?: { promptTokens: number; completionTokens: number } | null;
      logprobs?: TokenLogprob[];
      /** Wait before answering (ms). */
      delayMs?: number;
      /** For `stream: true` requests: characters per SSE chunk and pause between chunks. */
      chunkSize?: number;
      intervalMs?: number;
    }
  | {
      kind: 'status';
      status: number;
      /** OpenAI-style error message; the body is `{error: {message, type, code}}`. */
      message?: string;
      headers?: Record<string, string>;
      delayMs?: number;
    }
  | {
      /** Any body as is: malformed JSON, HTML error pages, a JSON object without choices ... */
      kind: 'raw';
      body: string;
      status?: number;
      contentType?: string;
      delayMs?: number;
    }
  | {
      /** A valid completion whose body is written in `chunks` pieces `intervalMs` apart. */
      kind: 'slow-body';
      text: string;
      chunks?: number;
      intervalMs: number;
    }
  /** Accepts the request and never answers (until the client gives up or the server closes). */
  | { kind: 'hang' }
  /** Closes the connection without an answer. */
  | { kind: 'drop'; delayMs?: number };

export type FakeReplyScript = FakeReply | ((req: RecordedRequest) => FakeReply | Promise<FakeReply>);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body (or the raw text when it was not JSON). */
  body: Record<string, unknown> | string | undefined;
  receivedAt: number;
}

/** Short constructors for scripted replies. */
export const reply = {
  text: (text: string, extra: Omit<Extract<FakeReply, { kind: 'text' }>, 'kind' | 'text'> = {}): FakeReply => ({
    kind: 'text',
    text,
    ...extra,
  }),
  status: (status: number, message?: string, headers?: Record<string, string>): FakeReply => ({ kind: 'status', status, message, headers }),
  rateLimited: (retryAfterSeconds?: number): FakeReply => ({
    kind: 'status',
    status: 429,
    message: 'Rate limit reached, please slow down',
    headers: retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) },
  }),
  raw: (body: string, status = 200, contentType = 'application/json'): FakeReply => ({ kind: 'raw', body, status, contentType }),
  malformedJson: (): FakeReply => ({ kind: 'raw', body: '{"id": "chatcmpl-x", "choices": [{"message": {"content": "trunc', status: 200 }),
  slowBody: (text: string, intervalMs: number, chunks = 4): FakeReply => ({ kind: 'slow-body', text, intervalMs, chunks }),
  delayed: (delayMs: number, text: string): FakeReply => ({ kind: 'text', text, delayMs }),
  hang: (): FakeReply => ({ kind: 'hang' }),
  drop: (): FakeReply => ({ kind: 'drop' }),
};

export interface FakeOpenAIServerOptions {
  /** Served when the queue is empty; default: HTTP 500 "fake server: no scripted reply left". */
  fallback?: FakeReplyScript;
  /** The model id listed by /v1/models; default "fake-model". */
  model?: string;
  /** When set, requests without `Authorization: Bearer <requireApiKey>` get a 401 that echoes a masked key, like OpenAI's. */
  requireApiKey?: string;
  port?: number;
}

export interface FakeOpenAIServer {
  /** http://127.0.0.1:PORT/v1 */
  baseURL: string;
  url: string;
  port: number;
  model: string;
  /** Every request received, in order (chat completions and others). */
  readonly requests: RecordedRequest[];
  /** Chat-completion request bodies only, in order. */
  chatBodies(): Array<Record<string, unknown>>;
  enqueue(...replies: FakeReplyScript[]): void;
  setFallback(fallback: FakeReplyScript | undefined): void;
  /** Scripted replies not consumed yet. */
  pending(): number;
  /** Clears the queue and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const model = options.model ?? 'fake-model';
  const queue: FakeReplyScript[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: FakeReplyScript | undefined = options.fallback;
  const sockets = new Set<Socket>();
  let counter = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake server failure: ${String(err)}`, type: 'server_error' } }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readAll(req);
    let body: RecordedRequest['body'];
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    } catch {
      body = raw;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers, body, receivedAt: Date.now() };
    requests.push(recorded);

    if (req.method === 'GET' && path.endsWith('/models')) {
      return json(res, 200, { object: 'list', data: [{ id: model, object: 'model', created: 0, owned_by: 'fake' }] });
    }
    if (!(req.method === 'POST' && path.endsWith('/chat/completions'))) {
      return json(res, 404, { error: { message: `fake server: no route ${req.method} ${path}`, type: 'invalid_request_error' } });
    }
    if (options.requireApiKey !== undefined) {
      const auth = headers.authorization ?? '';
      if (auth !== `Bearer ${options.requireApiKey}`) {
        const given = auth.replace(/^Bearer\s+/, '');
        const masked = given.length > 10 ? `${given.slice(0, 6)}****${given.slice(-4)}` : given;
        return json(res, 401, {
          error: {
            message: `Incorrect API key provided: ${masked}. You can find your API key at your provider.`,
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        });
      }
    }

    const script = queue.shift() ?? fallback ?? { kind: 'status', status: 500, message: 'fake server: no scripted reply left' };
    const r = typeof script === 'function' ? await script(recorded) : script;
    const stream = typeof body === 'object' && body?.stream === true;
    const id = `chatcmpl-fake-${++counter}`;
    switch (r.kind) {
      case 'hang':
        return; // keep the socket open; close() destroys it
      case 'drop':
        if (r.delayMs) await sleep(r.delayMs);
        req.socket.destroy();
        return;
      case 'status':
        if (r.delayMs) await sleep(r.delayMs);
        return json(
          res,
          r.status,
          {
            error: {
              message: r.message ?? `fake status ${r.status}`,
              type: r.status === 429 ? 'rate_limit_exceeded' : 'fake_error',
              code: null,
            },
          },
          r.headers,
        );
      case 'raw':
        if (r.delayMs) await sleep(r.delayMs);
        res.writeHead(r.status ?? 200, { 'content-type': r.contentType ?? 'application/json' });
        res.end(r.body);
        return;
      case 'slow-body': {
        const text = JSON.stringify(completion(id, model, r.text, 'stop', usageFor(body, r.text)));
        const n = Math.max(1, r.chunks ?? 4);
        res.writeHead(200, { 'content-type': 'application/json' });
        const size = Math.ceil(text.length / n);
        for (let i = 0; i < text.length; i += size) {
          if (res.destroyed) return;
          res.write(text.slice(i, i + size));
          await sleep(r.intervalMs);
        }
        res.end();
        return;
      }
      case 'text': {
        if (r.delayMs) await sleep(r.delayMs);
        const usage =
          r.usage === null
            ? undefined
            : r.usage
              ? {
                  prompt_tokens: r.usage.promptTokens,
                  completion_tokens: r.usage.completionTokens,
                  total_tokens: r.usage.promptTokens + r.usage.completionTokens,
                }
              : usageFor(body, r.text);
        const logprobs = r.logprobs
          ? { content: r.logprobs.map((t) => ({ token: t.token, logprob: t.logprob, bytes: null, top_logprobs: [] })) }
          : null;
        if (!stream) return json(res, 200, completion(id, model, r.text, r.finishReason ?? 'stop', usage, logprobs));
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const size = Math.max(1, r.chunkSize ?? 8);
        const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
        res.write(chunk({ role: 'assistant', content: '' }, null));
        for (let i = 0; i < r.text.length; i += size) {
          if (res.destroyed) return;
          if (r.intervalMs) await sleep(r.intervalMs);
          res.write(chunk({ content: r.text.slice(i, i + size) }, null));
        }
        const includeUsage =
          typeof body === 'object' && (body?.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
        res.write(chunk({}, r.finishReason ?? 'stop', includeUsage && usage ? { usage } : {}));
        res.end('data: [DONE]\n\n');
        return;
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    baseURL: `${url}/v1`,
    url,
    port,
    model,
    requests,
    chatBodies: () =>
      requests
        .filter((r) => r.path.endsWith('/chat/completions') && typeof r.body === 'object' && r.body !== null)
        .map((r) => r.body as Record<string, unknown>),
    enqueue: (...replies) => void queue.push(...replies),
    setFallback: (f) => void (fallback = f),
    pending: () => queue.length,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A registry with one backend ("fake" by default) pointing at the fake server, with tiny retry
 * delays and short timeouts, next to the built-in `local`; director and executor default to it.
 */
export function fakeBackendRegistry(
  fake: Pick<FakeOpenAIServer, 'baseURL' | 'model'>,
  overrides: Partial<OpenAICompatibleBackend> = {},
): BackendRegistry {
  const backend: OpenAICompatibleBackend = {
    name: 'fake',
    kind: 'openai-compatible',
    baseURL: fake.baseURL,
    model: fake.model,
    sampling: {},
    price: { inputPerMTok: 0, outputPerMTok: 0 },
    concurrency: 4,
    timeoutMs: 2_000,
    retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20 },
    capabilities: { jsonSchema: true, grammar: 'llama-cpp', logprobs: true },
    ...overrides,
  };
  const backends: Backend[] = [defaultLocalBackend(), backend];
  return new BackendRegistry(backends, { director: backend.name, executor: backend.name }, 'fake backend registry (tests)');
}

function completion(
  id: string,
  model: string,
  text: string,
  finishReason: string,
  usage: Record<string, number> | undefined,
  logprobs: unknown = null,
): Record<string, unknown> {
  return {
    id,
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason, logprobs }],
    ...(usage ? { usage } : {}),
  };
}

function usageFor(body: RecordedRequest['body'], text: string): Record<string, number> {
  const messages = typeof body === 'object' && Array.isArray(body?.messages) ? (body.messages as Array<{ content?: unknown }>) : [];
  const promptChars = messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0);
  const prompt_tokens = Math.max(1, Math.ceil(promptChars / 4));
  const completion_tokens = Math.ceil(text.length / 4);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
