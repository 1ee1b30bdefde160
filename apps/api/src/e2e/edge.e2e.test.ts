import { get as httpGet, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { TokenSigner } from '../auth/signed-token';
import { as, auth, createTestApp, eventually } from './test-support/test-app';

/** Auth, validation, errors and starts: everything that needs Temporal but no worker. */
describe('API edge (real Temporal, no worker)', () => {
  let app: NestExpressApplication;
  let config: Awaited<ReturnType<typeof createTestApp>>['config'];
  let http: ReturnType<typeof request>;
  const suffix = `e${Date.now().toString(36)}`;

  beforeAll(async () => {
    ({ app, config } = await createTestApp());
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
  });

  describe('auth', () => {
    it('answers 401 with a challenge when no token is sent', async () => {
      const res = await http.get('/v1/sessions').expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body.message).toMatch(/missing bearer token/);
    });

    it('answers 403 to a wrong token and does not echo it', async () => {
      const res = await http.get('/v1/sessions').set('Authorization', 'Bearer not-the-right-token-at-all').expect(403);
      expect(JSON.stringify(res.body)).not.toContain('not-the-right-token');
    });

    it('answers 401 to a malformed Authorization header', async () => {
      await http.get('/v1/evals').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
    });

    it('authenticates before reading the body: no token is 401 whatever the body, never 413 or 400', async () => {
      const big = await http
        .post('/v1/sessions')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ problem: 'x'.repeat(10 * 1024 * 1024) }));
      expect(big.status).toBe(401);
      await http.post('/v1/sessions').set('Content-Type', 'application/json').send('{"problem": ').expect(401);
      await http
        .post('/v1/sessions')
        .set('Authorization', 'Bearer not-the-right-token-at-all')
        .set('Content-Type', 'application/json')
        .send('{"problem": ')
        .expect(403);
    });

    it('leaves health and readiness open', async () => {
      await http.get('/healthz').expect(200, { status: 'ok' });
      const ready = await http.get('/readyz').expect(200);
      expect(ready.body.status).toBe('ready');
    });
  });

  describe('validation', () => {
    it('answers 400 with one message per field', async () => {
      const res = await http
        .post('/v1/sessions')
        .set(auth)
        .send({ problem: '   ', director: 'bad name!', limits: { maxTurns: 0 }, colour: 'blue' })
        .expect(400);
      const fields = Object.fromEntries((res.body.errors as { field: string; message: string }[]).map((e) => [e.field, e.message]));
      expect(Object.keys(fields).sort()).toEqual(['colour', 'director', 'limits.maxTurns', 'problem']);
      expect(fields.colour).toBe('unknown field');
      expect(fields['limits.maxTurns']).toMatch(/>=1/);
      expect(res.body.message).toMatch(/^invalid request body: /);
    });

    it('needs exactly one of problem or dataset + item', async () => {
      const res = await http.post('/v1/sessions').set(auth).send({ problem: 'x', dataset: 'gsm8k' }).expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'problem', message: 'give exactly one of "problem" or "dataset" + "item"' },
          { field: 'item', message: 'required with "dataset"' },
        ]),
      );
    });

    it('names an unknown dataset and an unknown item', async () => {
      const unknown = await http.post('/v1/sessions').set(auth).send({ dataset: 'nosuchset', item: '1' }).expect(400);
      expect(unknown.body.errors[0]).toMatchObject({ field: 'dataset', message: expect.stringContaining('unknown dataset "nosuchset"') });
    });

    it('answers 400 to malformed JSON and 413 to a body over the limit', async () => {
      await http.post('/v1/sessions').set(auth).set('Content-Type', 'application/json').send('{"problem": ').expect(400);
      await http
        .post('/v1/sessions')
        .set(auth)
        .send({ problem: 'x'.repeat(300 * 1024) })
        .expect(413);
    });

    it('answers 400 to deeply nested JSON at once (it used to overflow the stack: 500)', async () => {
      const depth = 60_000;
      const res = await http
        .post('/v1/sessions')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('['.repeat(depth) + ']'.repeat(depth))
        .expect(400);
      expect(res.body.message).toBe('request body nested deeper than 32 levels');
    });

    it('answers 400 at once to a page token it did not issue (it used to take ~21 s and answer 500)', async () => {
      const started = Date.now();
      const res = await http.get('/v1/sessions?pageToken=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').set(auth).expect(400);
      expect(res.body.errors[0].field).toBe('pageToken');
      expect(Date.now() - started).toBeLessThan(5000);
      await http.get('/v1/sessions?pageToken=garbage.garbage').set(auth).expect(400);
    });

    it('rejects unknown backends and datasets before anything starts, listing the allowed names', async () => {
      const backend = await http.post('/v1/sessions').set(auth).send({ problem: 'x', director: 'gpt-9' }).expect(400);
      expect(backend.body.errors).toEqual([{ field: 'director', message: 'unknown backend "gpt-9"; allowed: local, director, executor' }]);
      const dataset = await http
        .post('/v1/evals')
        .set(auth)
        .send({ name: 'x', datasets: ['imagenet'] })
        .expect(400);
      expect(dataset.body.errors[0]).toMatchObject({
        field: 'datasets.0',
        message: expect.stringMatching(/^unknown dataset "imagenet"; allowed: gsm8k, math/),
      });
    });

    it('validates the query string of lists', async () => {
      const res = await http.get('/v1/sessions?pageSize=0&status=done').set(auth).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['pageSize', 'status']);
    });
  });

  describe('sessions without a worker', () => {
    const run = `run-${suffix}`;

    it('starts a session: 201 with id and links; describe and list see it', async () => {
      const res = await http
        .post('/v1/sessions')
        .set(auth)
        .send({ problem: 'What is 6 * 7?', answers: ['42'], run, idSuffix: `${suffix}-a` })
        .expect(201);
      expect(res.body.id).toMatch(new RegExp(`^session-adhoc-[0-9a-f]{10}-${suffix}-a$`));
      expect(res.body.link).toBe(`/v1/sessions/${res.body.id}`);
      expect(res.body.ui).toContain(`/workflows/${res.body.id}`);
      const detail = await http.get(res.body.link).set(auth).expect(200);
      expect(detail.body).toMatchObject({
        id: res.body.id,
        type: 'canvasSession',
        executionStatus: 'RUNNING',
        attributes: { dataset: 'adhoc', taskType: 'math', run, status: 'running', turns: 0 },
      });
      expect(detail.body.memo.problem).toBe('What is 6 * 7?');
    });

    it('answers 409 when the id exists', async () => {
      const res = await http
        .post('/v1/sessions')
        .set(auth)
        .send({ problem: 'What is 6 * 7?', run, idSuffix: `${suffix}-a` })
        .expect(409);
      expect(res.body.message).toMatch(/already exists/);
    });

    it('lists by search attributes, a page at a time', async () => {
      for (const s of ['b', 'c'])
        await http
          .post('/v1/sessions')
          .set(auth)
          .send({ problem: `item ${s}`, taskType: 'qa', run, idSuffix: `${suffix}-${s}` })
          .expect(201);
      const all = await eventually(async () => {
        const res = await http.get(`/v1/sessions?run=${run}&pageSize=50`).set(auth).expect(200);
        return res.body.sessions.length === 3 ? res.body.sessions : undefined;
      });
      expect(all.map((s: { id: string }) => s.id.slice(-1)).sort()).toEqual(['a', 'b', 'c']);
      const qa = await http.get(`/v1/sessions?run=${run}&taskType=qa`).set(auth).expect(200);
      expect(qa.body.sessions).toHaveLength(2);
      const first = await http.get(`/v1/sessions?run=${run}&pageSize=2`).set(auth).expect(200);
      expect(first.body.sessions).toHaveLength(2);
      expect(first.body.nextPageToken).toEqual(expect.any(String));
      const second = await http.get(`/v1/sessions?run=${run}&pageSize=2&pageToken=${first.body.nextPageToken}`).set(auth).expect(200);
      expect(second.body.sessions).toHaveLength(1);
      expect(second.body.nextPageToken).toBeUndefined();
    });

    it('answers 404 for unknown ids on every kind of route', async () => {
      await http.get('/v1/sessions/session-none-1-nope').set(auth).expect(404);
      await http.get('/v1/sessions/session-none-1-nope/canvas').set(auth).expect(404);
      await http.post('/v1/sessions/session-none-1-nope/pause').set(auth).expect(404);
      await http.get('/v1/sessions/session-none-1-nope/stream').set(auth).expect(404);
      await http.get('/v1/evals/eval-none-x').set(auth).expect(404);
      await http.post('/v1/training/train-none/stop').set(auth).send({}).expect(404);
    });

    it('does not treat a session as a run', async () => {
      const res = await http.get(`/v1/evals/session-adhoc-x-${suffix}-a`).set(auth);
      expect([404]).toContain(res.status);
    });
  });

  describe('runs without a worker', () => {
    it('starts an evaluation run and lists it', async () => {
      const res = await http
        .post('/v1/evals')
        .set(auth)
        .send({ name: `e2e${suffix}`, datasets: ['gsm8k'], perDataset: 2 })
        .expect(201);
      expect(res.body.id).toMatch(new RegExp(`^eval-e2e${suffix}-`));
      await eventually(async () => {
        const list = await http.get('/v1/evals?pageSize=200').set(auth).expect(200);
        return list.body.runs.some((r: { id: string }) => r.id === res.body.id) ? true : undefined;
      });
    });

    it('starts a training run as train-<name>; a second start is 409', async () => {
      const body = { name: `t${suffix}`, config: { datasets: ['gsm8k'], steps: 10, director: 'director', baseModel: 'tiny' } };
      const res = await http.post('/v1/training').set(auth).send(body).expect(201);
      expect(res.body.id).toBe(`train-t${suffix}`);
      await http.post('/v1/training').set(auth).send(body).expect(409);
    });

    it('gives field messages for a bad training config', async () => {
      const res = await http
        .post('/v1/training')
        .set(auth)
        .send({ name: 'x', config: { datasets: [], groupSize: 1 } })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'config.baseModel',
        'config.datasets',
        'config.director',
        'config.groupSize',
        'config.steps',
      ]);
    });
  });

  describe('streams', () => {
    /** Opens a stream and resolves with its response once the headers arrive (the stream stays open). */
    const open = (path: string, headers: Record<string, string> = {}) =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const { port } = app.getHttpServer().address() as AddressInfo;
        httpGet({ host: '127.0.0.1', port, path, headers }, resolve).on('error', reject);
      });
    let session: string;

    beforeAll(async () => {
      await new Promise<void>((r) => app.getHttpServer().listen(0, '127.0.0.1', r));
      session = (
        await http
          .post('/v1/sessions')
          .set(auth)
          .send({ problem: 'streamed', idSuffix: `${suffix}-stream` })
          .expect(201)
      ).body.id;
    });

    it('opens a stream with a short-lived token from the bearer token (what EventSource can send), for that session only', async () => {
      const token = await http.post(`/v1/sessions/${session}/stream-token`).set(auth).expect(201);
      expect(token.body.url).toBe(`/v1/sessions/${session}/stream?access_token=${token.body.token}`);
      expect(Date.parse(token.body.expiresAt)).toBeGreaterThan(Date.now());
      const ok = await open(token.body.url);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toMatch(/text\/event-stream/);
      ok.destroy();
      const other = (
        await http
          .post('/v1/sessions')
          .set(auth)
          .send({ problem: 'other', idSuffix: `${suffix}-other` })
          .expect(201)
      ).body.id;
      const wrong = await open(`/v1/sessions/${other}/stream?access_token=${token.body.token}`);
      expect(wrong.statusCode).toBe(403);
      wrong.destroy();
      const tampered = await open(`/v1/sessions/${session}/stream?access_token=${token.body.token.slice(0, -2)}xx`);
      expect(tampered.statusCode).toBe(403);
      tampered.destroy();
      const expired = new TokenSigner(config.signingKey).sign('stream', {
        p: 'alice',
        r: 'operator',
        s: session,
        exp: Math.floor(Date.now() / 1000) - 1,
      });
      const late = await open(`/v1/sessions/${session}/stream?access_token=${expired}`);
      expect(late.statusCode).toBe(403);
      late.destroy();
    });

    it('caps concurrent streams per principal and in total: 429 beyond', async () => {
      const small = await createTestApp({
        streams: { perPrincipal: 2, total: 3, pollMs: 100, maxPollMs: 400, tokenTtlSec: 60 },
        taskQueue: config.taskQueue,
        queryTimeoutMs: 60_000,
      });
      const server = small.app.getHttpServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      const openOn = (who: Parameters<typeof as>[0]) =>
        new Promise<IncomingMessage>((resolve, reject) =>
          httpGet({ host: '127.0.0.1', port, path: `/v1/sessions/${session}/stream`, headers: as(who) }, resolve).on('error', reject),
        );
      const opened: IncomingMessage[] = [];
      try {
        for (const who of ['alice', 'alice'] as const) opened.push(await openOn(who));
        expect(opened.map((r) => r.statusCode)).toEqual([200, 200]);
        const third = await openOn('alice');
        expect(third.statusCode).toBe(429);
        third.resume();
        opened.push(await openOn('root'));
        expect(opened[2]?.statusCode).toBe(200);
        const overTotal = await openOn('vera');
        expect(overTotal.statusCode).toBe(429);
        overTotal.resume();
        opened.shift()?.destroy(); // a stream ends: its slot is free again (once the server sees the close)
        const again = await eventually(async () => {
          const r = await openOn('vera');
          if (r.statusCode === 200) return r;
          r.resume();
          return undefined;
        }, 5000);
        opened.push(again);
      } finally {
        for (const r of opened) r.destroy();
        await small.app.close();
      }
    });
  });

  it('serves the OpenAPI document at /docs-json and the UI at /docs without a token', async () => {
    const doc = await http.get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sessions',
        '/v1/sessions/{id}/fork',
        '/v1/sessions/{id}/replay',
        '/v1/sessions/{id}/stream-token',
        '/v1/evals/{id}',
        '/v1/training/{id}/metrics',
      ]),
    );
    expect(doc.body.paths['/v1/sessions'].post.requestBody.content['application/json'].schema.properties.limits).toBeDefined();
    await http.get('/docs').expect(200);
  });
});

describe('API when Temporal is down', () => {
  it('answers /healthz 200, /readyz 503 and other routes 503', async () => {
    const { app } = await createTestApp({ temporalAddress: '127.0.0.1:1' });
    try {
      const http = request(app.getHttpServer());
      await http.get('/healthz').expect(200);
      const ready = await http.get('/readyz').expect(503);
      expect(ready.body.message).toMatch(/127\.0\.0\.1:1/);
      const res = await http.get('/v1/sessions').set(auth).expect(503);
      expect(res.body.message).toMatch(/Temporal is unreachable/);
    } finally {
      await app.close();
    }
  });
});
