import { get as httpGet, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { as, createTestApp, eventually, startRealWorker, type PrincipalName, type RealWorker } from './test-support/test-app';

jest.setTimeout(300_000);

/**
 * Every role against every route, on work that alice (an operator) owns: bob (another operator)
 * is told it does not exist, vera (a viewer) reads but changes nothing, root (an admin) does
 * everything. Reads: 200 for alice, vera and root. Changes: alice and root succeed.
 */
type Expect = Record<PrincipalName, number | number[]>;
const READ: Expect = { alice: 200, bob: 404, vera: 200, root: 200 };
const WRITE = (ok: number): Expect => ({ alice: ok, bob: 404, vera: 403, root: ok });
const START = (ok: number): Expect => ({ alice: ok, bob: ok, vera: 403, root: ok });
const ORDER: PrincipalName[] = ['bob', 'vera', 'alice', 'root'];

describe('roles × routes × ownership (real worker)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let worker: RealWorker;
  let port: number;
  const suffix = `o${Date.now().toString(36)}`;
  const target = { session: '', spare: '', eval: '', training: '' };

  const call = (who: PrincipalName, method: 'get' | 'post', path: string, body?: object) => {
    const req = (method === 'get' ? http.get(path) : http.post(path)).set(as(who));
    return body ? req.send(body) : req;
  };
  const check = async (method: 'get' | 'post', path: () => string, expected: Expect, body?: (who: PrincipalName) => object) => {
    const got: Record<string, number> = {};
    for (const who of ORDER) got[who] = (await call(who, method, path(), body?.(who))).status;
    const want = Object.fromEntries(
      ORDER.map((who) => [who, got[who] !== undefined && [expected[who]].flat().includes(got[who] as number) ? got[who] : expected[who]]),
    );
    expect(got).toEqual(want);
  };
  const openStream = (who: PrincipalName, path: string) =>
    new Promise<IncomingMessage>((resolve, reject) =>
      httpGet({ host: '127.0.0.1', port, path, headers: as(who) }, resolve).on('error', reject),
    );
  const status = async (path: string) => (await call('root', 'get', path).expect(200)).body;

  beforeAll(async () => {
    const created = await createTestApp();
    app = created.app;
    await new Promise<void>((r) => app.getHttpServer().listen(0, '127.0.0.1', r));
    port = (app.getHttpServer().address() as AddressInfo).port;
    http = request(app.getHttpServer());
    worker = await startRealWorker(created.config.taskQueue);
    const session = (tag: string) =>
      call('alice', 'post', '/v1/sessions', {
        problem: `[slow] [script:long] What is 3 times 4? (${tag})`,
        director: 'director',
        executor: 'executor',
        idSuffix: `${suffix}-${tag}`,
      }).expect(201);
    target.session = (await session('s1')).body.id;
    target.spare = (await session('s2')).body.id;
    for (const id of [target.session, target.spare]) await call('alice', 'post', `/v1/sessions/${id}/pause`).expect(202);
    target.eval = (
      await call('alice', 'post', '/v1/evals', {
        name: 'owned',
        datasets: ['gsm8k'],
        perDataset: 50,
        maxTurns: 3,
        concurrency: 1,
        director: 'director',
        executor: 'executor',
        idSuffix: suffix,
      }).expect(201)
    ).body.id;
    await call('alice', 'post', `/v1/evals/${target.eval}/pause`).expect(202);
    const config = {
      datasets: ['gsm8k'],
      groupSize: 2,
      problemsPerStep: 1,
      steps: 100,
      director: 'director',
      executor: 'executor',
      baseModel: 'tiny',
      tokenizer: 'utf8-bytes',
    };
    target.training = (await call('alice', 'post', '/v1/training', { name: `owned-${suffix}`, config }).expect(201)).body.id;
    await call('alice', 'post', `/v1/training/${target.training}/pause`).expect(202);
    await eventually(async () => ((await status(`/v1/sessions/${target.session}/canvas`)).status === 'paused' ? true : undefined), 60_000);
  });
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
  });

  describe('sessions', () => {
    const s = () => `/v1/sessions/${target.session}`;
    it.each(['', '/canvas', '/transcript', '/events', '/history'])('GET %s', async (route) => check('get', () => `${s()}${route}`, READ));
    it('POST /stream-token', async () => check('post', () => `${s()}/stream-token`, { ...READ, alice: 201, vera: 201, root: 201 }));
    it('POST /replay', async () => check('post', () => `${s()}/replay`, READ));
    it('GET /stream', async () => {
      const got: Record<string, number | undefined> = {};
      for (const who of ORDER) {
        const res = await openStream(who, `${s()}/stream`);
        got[who] = res.statusCode;
        res.destroy();
      }
      expect(got).toEqual(READ);
    });
    it('POST /actions', async () =>
      check(
        'post',
        () => `${s()}/actions`,
        WRITE(200),
        () => ({ action: '<action>add</action><operator>Format</operator>' }),
      ));
    it('POST /pause and /resume', async () => {
      await check('post', () => `${s()}/resume`, WRITE(202));
      await check('post', () => `${s()}/pause`, WRITE(202));
    });
    it("POST /fork: reading the original is enough; the fork is the caller's", async () => {
      await check(
        'post',
        () => `${s()}/fork`,
        { alice: 201, bob: 404, vera: 403, root: 201 },
        (who) => ({ turn: 0, idSuffix: `${suffix}-fork-${who}` }),
      );
      const forked = await status(`/v1/sessions/session-adhoc-${target.session.split('-')[2]}-${suffix}-fork-root`);
      expect(forked.attributes.owner).toBe('root');
    });
    it("POST /cancel: bob cannot cancel alice's session, vera neither; alice can, and root can cancel any", async () => {
      for (const [who, code] of [
        ['bob', 404],
        ['vera', 403],
      ] as const)
        await call(who, 'post', `${s()}/cancel`, {}).expect(code);
      expect((await status(`${s()}/canvas`)).status).toBe('paused'); // nothing reached the workflow
      expect((await status(s())).executionStatus).toBe('RUNNING');
      await call('alice', 'post', `${s()}/cancel`, { reason: 'by its owner' }).expect(202);
      await call('root', 'post', `/v1/sessions/${target.spare}/cancel`, { reason: 'by an admin' }).expect(202);
      const [mine, spare] = await Promise.all(
        [s(), `/v1/sessions/${target.spare}`].map((p) =>
          eventually(async () => ((await status(p)).executionStatus === 'COMPLETED' ? status(p) : undefined), 60_000),
        ),
      );
      expect(mine.result.status).toBe('cancelled');
      expect(spare.result.status).toBe('cancelled');
    });
    it('POST /v1/sessions', async () =>
      check(
        'post',
        () => '/v1/sessions',
        START(201),
        (who) => ({
          problem: 'x',
          director: 'director',
          executor: 'executor',
          limits: { maxTurns: 1 },
          idSuffix: `${suffix}-start-${who}`,
        }),
      ));
  });

  describe('evaluation runs', () => {
    const e = () => `/v1/evals/${target.eval}`;
    it('GET /:id', async () => check('get', e, READ));
    it('POST /pause, /resume', async () => {
      await check('post', () => `${e()}/resume`, WRITE(202));
      await check('post', () => `${e()}/pause`, WRITE(202));
    });
    it('POST /stop', async () => {
      for (const [who, code] of [
        ['bob', 404],
        ['vera', 403],
      ] as const)
        await call(who, 'post', `${e()}/stop`, {}).expect(code);
      await call('alice', 'post', `${e()}/stop`, {}).expect(202);
    });
    it('POST /v1/evals', async () =>
      check(
        'post',
        () => '/v1/evals',
        START(201),
        (who) => ({
          name: `start-${who}`,
          datasets: ['gsm8k'],
          perDataset: 1,
          maxTurns: 1,
          director: 'director',
          executor: 'executor',
          idSuffix: suffix,
        }),
      ));
  });

  describe('training runs', () => {
    const t = () => `/v1/training/${target.training}`;
    it.each(['', '/metrics'])('GET %s', async (route) => check('get', () => `${t()}${route}`, READ));
    it('POST /pause, /resume', async () => {
      await check('post', () => `${t()}/resume`, WRITE(202));
      await check('post', () => `${t()}/pause`, WRITE(202));
    });
    it("POST /stop: an admin stops an operator's run", async () => {
      for (const [who, code] of [
        ['bob', 404],
        ['vera', 403],
      ] as const)
        await call(who, 'post', `${t()}/stop`, {}).expect(code);
      await call('root', 'post', `${t()}/stop`, { reason: 'admin' }).expect(202);
    });
    it('POST /v1/training', async () => {
      for (const who of ['vera'] as const) await call(who, 'post', '/v1/training', { name: 'x', config: {} }).expect(403);
      await call('bob', 'post', '/v1/training', {
        name: `bob-${suffix}`,
        config: {
          datasets: ['gsm8k'],
          groupSize: 2,
          problemsPerStep: 1,
          steps: 1,
          director: 'director',
          executor: 'executor',
          baseModel: 'tiny',
          tokenizer: 'utf8-bytes',
        },
      }).expect(201);
    });
  });

  describe('lists show an operator its own work only', () => {
    const ids = (body: { sessions?: { id: string }[]; runs?: { id: string }[] }) => (body.sessions ?? body.runs ?? []).map((x) => x.id);
    it.each([
      ['/v1/sessions', () => target.session],
      ['/v1/evals', () => target.eval],
      ['/v1/training', () => target.training],
    ] as const)('%s', async (path, id) => {
      for (const who of ['alice', 'vera', 'root'] as const) {
        await eventually(async () =>
          ids((await call(who, 'get', `${path}?owner=alice&pageSize=200`).expect(200)).body).includes(id()) ? true : undefined,
        );
      }
      await eventually(async () =>
        ids((await call('alice', 'get', `${path}?pageSize=200`).expect(200)).body).includes(id()) ? true : undefined,
      );
      const bobs = (await call('bob', 'get', `${path}?pageSize=200`).expect(200)).body;
      expect(ids(bobs)).not.toContain(id());
      expect((bobs.sessions ?? bobs.runs).every((x: { attributes: { owner?: string } }) => x.attributes.owner === 'bob')).toBe(true);
      await call('bob', 'get', `${path}?owner=alice`).expect(403);
    });
  });
});
