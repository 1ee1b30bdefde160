/**
 * Serves a backend (by default the embedded `local` model) on 127.0.0.1 as a minimal
 * OpenAI-compatible endpoint, so that other processes (the Python learner, another worker, curl)
 * can use the same model: `GET /v1/models`, `POST /v1/chat/completions` (also with
 * `stream: true`, `logprobs`, `response_format` json_schema/json_object and llama.cpp's `grammar`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { ChatMessage, ChatRequest, OutputConstraint } from '@flowsteer/contracts';
import { LlmClient } from '../client';
import { type BackendRegistry, LOCAL_BACKEND_NAME } from '../config';
import { type LlmError, isLlmError } from '../errors';
import { preloadLocalBackend } from './local-model';

export interface LocalOpenAIServerOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Loopback only by default; change only if you know why. */
  host?: string;
  /** Backend served; default `local`. */
  backend?: string;
  /** Client used for the calls (shares its concurrency limits); default: one over `registry`. */
  client?: LlmClient;
  registry?: BackendRegistry;
  /** Load the model before listening so that the first request is fast (default true for local backends). */
  preload?: boolean;
  /** Largest accepted request body in bytes (default 8 MiB). */
  maxBodyBytes?: number;
}

export interface LocalOpenAIServer {
  /** e.g. http://127.0.0.1:43123 */
  url: string;
  /** e.g. http://127.0.0.1:43123/v1, what an OpenAI client takes as baseURL */
  baseURL: string;
  port: number;
  /** The model id listed by /v1/models (the served backend's model). */
  model: string;
  close(): Promise<void>;
}

export async function startLocalOpenAIServer(options: LocalOpenAIServerOptions = {}): Promise<LocalOpenAIServer> {
  const client = options.client ?? new LlmClient(options.registry);
  const backendName = options.backend ?? LOCAL_BACKEND_NAME;
  const backend = client.registry.get(backendName);
  if (backend.kind === 'local' && options.preload !== false) await preloadLocalBackend(backend);
  const maxBody = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const host = options.host ?? '127.0.0.1';

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => sendError(res, 500, 'server_error', String((err as Error)?.message ?? err)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]?.replace(/\/+$/, '') ?? '';
    if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      return sendJson(res, 200, { object: 'list', data: [{ id: backend.model, object: 'model', created: 0, owned_by: 'flowsteer' }] });
    }
    if (req.method === 'GET' && (path === '' || path === '/health')) return sendJson(res, 200, { status: 'ok', model: backend.model });
    if (path !== '/v1/chat/completions' && path !== '/chat/completions')
      return sendError(res, 404, 'not_found', `no route ${req.method} ${path}`);
    if (req.method !== 'POST') return sendError(res, 405, 'method_not_allowed', 'use POST');

    let body: Record<string, unknown>;
    try {
      const raw = await readBody(req, maxBody);
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the body must be a JSON object');
      body = parsed as Record<string, unknown>;
    } catch (err) {
      return sendError(res, 400, 'invalid_request_error', `invalid JSON body: ${(err as Error).message}`);
    }

    let chatReq: ChatRequest;
    try {
      chatReq = toChatRequest(backendName, body);
    } catch (err) {
      return sendError(res, 400, 'invalid_request_error', (err as Error).message);
    }

    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const result = await client.chat(chatReq, { signal: controller.signal });
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      const usage = {
        prompt_tokens: result.ledger.promptTokens,
        completion_tokens: result.ledger.completionTokens,
        total_tokens: result.ledger.promptTokens + result.ledger.completionTokens,
      };
      const logprobs = result.logprobs
        ? { content: result.logprobs.map((t) => ({ token: t.token, logprob: t.logprob, bytes: null, top_logprobs: [] })) }
        : null;
      if (body.stream === true) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: backend.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra })}\n\n`;
        res.write(chunk({ role: 'assistant', content: '' }, null));
        if (result.text) res.write(chunk({ content: result.text }, null));
        const wantsUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
        res.write(chunk({}, result.finishReason, wantsUsage ? { usage } : {}));
        res.end('data: [DONE]\n\n');
        return;
      }
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: backend.model,
        choices: [{ index: 0, message: { role: 'assistant', content: result.text }, finish_reason: result.finishReason, logprobs }],
        usage,
      });
    } catch (err) {
      if (!isLlmError(err)) return sendError(res, 500, 'server_error', String((err as Error)?.message ?? err));
      const status = statusFor(err);
      sendError(res, status, err.kind, err.message);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    port,
    model: backend.model,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

function statusFor(err: LlmError): number {
  switch (err.kind) {
    case 'bad-request':
      return 400;
    case 'unknown-backend':
      return 404;
    case 'rate-limit':
      return 429;
    case 'timeout':
      return 504;
    case 'cancelled':
      return 499;
    case 'model-missing':
    case 'config':
      return 503;
    default:
      return err.status && err.status >= 400 ? err.status : 500;
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) =>
        p && typeof p === 'object' && (p as { type?: unknown }).type === 'text' ? String((p as { text?: unknown }).text ?? '') : '',
      )
      .join('');
  }
  if (content === null || content === undefined) return '';
  throw new Error('message content must be a string or a list of text parts');
}

/** Translates an OpenAI chat-completions body into our request (unknown fields are ignored). */
export function toChatRequest(backend: string, body: Record<string, unknown>): ChatRequest {
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw new Error('messages must be a non-empty array');
  const messages: ChatMessage[] = body.messages.map((m: unknown, i: number) => {
    const role = (m as { role?: unknown })?.role;
    const r = role === 'developer' ? 'system' : role;
    if (r !== 'system' && r !== 'user' && r !== 'assistant')
      throw new Error(`messages[${i}].role ${JSON.stringify(role)} is not supported`);
    return { role: r, content: textOf((m as { content?: unknown }).content) };
  });
  const num = (v: unknown, name: string): number | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name} must be a number`);
    return v;
  };
  const req: ChatRequest = { backend, messages };
  const temperature = num(body.temperature, 'temperature');
  const topP = num(body.top_p, 'top_p');
  const maxTokens = num(body.max_completion_tokens ?? body.max_tokens, 'max_tokens');
  const seed = num(body.seed, 'seed');
  if (temperature !== undefined) req.temperature = temperature;
  if (topP !== undefined) req.topP = topP;
  if (maxTokens !== undefined) req.maxTokens = maxTokens;
  if (seed !== undefined) req.seed = seed;
  if (typeof body.stop === 'string') req.stop = [body.stop];
  else if (Array.isArray(body.stop)) req.stop = body.stop.filter((s): s is string => typeof s === 'string');
  if (body.logprobs === true) req.logprobs = true;
  let constraint: OutputConstraint | undefined;
  const rf = body.response_format as { type?: unknown; json_schema?: { schema?: unknown } } | undefined;
  if (rf?.type === 'json_schema') {
    const schema = rf.json_schema?.schema;
    if (!schema || typeof schema !== 'object') throw new Error('response_format.json_schema.schema must be an object');
    constraint = { kind: 'json-schema', schema: schema as Record<string, unknown> };
  } else if (rf?.type === 'json_object') {
    constraint = { kind: 'json-schema', schema: { type: 'object' } };
  }
  if (typeof body.grammar === 'string' && body.grammar.trim()) constraint = { kind: 'gbnf', grammar: body.grammar };
  if (constraint) req.constraint = constraint;
  if (typeof body.user === 'string') req.purpose = `served: ${body.user}`;
  return req;
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error(`body larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { error: { message, type, code: type, param: null } });
}
