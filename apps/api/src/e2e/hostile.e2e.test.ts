import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { WORKSPACE_ROOT } from '@flowsteer/temporal-runtime';
import { PRINCIPALS, as, auth, createTestApp } from './test-support/test-app';

/**
 * A corpus of hostile requests (paths, queues, model names, smuggled fields, odd ids, filter
 * injection, forged tokens, hostile bodies): each must be refused at the edge with the stated
 * status, before anything starts, and no answer may show a server path or a token.
 */
type Case = {
  name: string;
  method: 'get' | 'post';
  path: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number | number[];
  message?: RegExp;
};

const TRAIN = { datasets: ['gsm8k'], steps: 1, director: 'director', baseModel: 'tiny' };
const train = (config: Record<string, unknown>, name = 'hostile') => ({ name, config: { ...TRAIN, ...config } });
const EVAL = { name: 'hostile', datasets: ['gsm8k'] };
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const CASES: Case[] = [
  // filesystem paths and queues where names belong
  {
    name: 'baseModel as an absolute path',
    method: 'post',
    path: '/v1/training',
    body: train({ baseModel: '/etc/passwd' }),
    status: 400,
    message: /config\.baseModel: a model is a name .*never a path/,
  },
  {
    name: 'baseModel climbing out',
    method: 'post',
    path: '/v1/training',
    body: train({ baseModel: '../../../tmp/planted/model.gguf' }),
    status: 400,
    message: /never a path/,
  },
  {
    name: 'baseModel as a file URL',
    method: 'post',
    path: '/v1/training',
    body: train({ baseModel: 'file:///srv/models/x.gguf' }),
    status: 400,
  },
  { name: 'baseModel as folder::file', method: 'post', path: '/v1/training', body: train({ baseModel: 'models::evil.gguf' }), status: 400 },
  {
    name: 'baseModel that is not configured',
    method: 'post',
    path: '/v1/training',
    body: train({ baseModel: 'qwen-xl' }),
    status: 400,
    message: /unknown model "qwen-xl"; allowed: local, tiny/,
  },
  {
    name: 'extra.tokenizerModel',
    method: 'post',
    path: '/v1/training',
    body: train({ extra: { tokenizerModel: '/tmp/planted.gguf' } }),
    status: 400,
    message: /config\.extra: unknown field/,
  },
  {
    name: 'extra.learnerArtifactsDir',
    method: 'post',
    path: '/v1/training',
    body: train({ extra: { learnerArtifactsDir: '/tmp/planted' } }),
    status: 400,
  },
  {
    name: 'extra.learnerTaskQueue',
    method: 'post',
    path: '/v1/training',
    body: train({ extra: { learnerTaskQueue: 'attacker-queue' } }),
    status: 400,
  },
  {
    name: 'tokenizerModel at the top level',
    method: 'post',
    path: '/v1/training',
    body: train({ tokenizerModel: '/tmp/planted.gguf' }),
    status: 400,
    message: /config\.tokenizerModel: unknown field/,
  },
  {
    name: 'learnerArtifactsDir at the top level',
    method: 'post',
    path: '/v1/training',
    body: train({ learnerArtifactsDir: '/tmp/planted' }),
    status: 400,
  },
  {
    name: 'learnerTaskQueue at the top level',
    method: 'post',
    path: '/v1/training',
    body: train({ learnerTaskQueue: 'attacker-queue' }),
    status: 400,
  },
  {
    name: 'artifactsDir smuggled into the learner settings',
    method: 'post',
    path: '/v1/training',
    body: train({ learner: { artifactsDir: '/tmp/planted' } }),
    status: 400,
    message: /config\.learner\.artifactsDir: unknown field/,
  },
  {
    name: 'startCheckpoint smuggled into the learner settings',
    method: 'post',
    path: '/v1/training',
    body: train({ learner: { startCheckpoint: '/tmp/planted/step-1' } }),
    status: 400,
  },
  {
    name: 'evalEvery (removed: never used)',
    method: 'post',
    path: '/v1/training',
    body: train({ evalEvery: 5 }),
    status: 400,
    message: /config\.evalEvery: unknown field/,
  },
  { name: 'klCoef (the setting is klBeta)', method: 'post', path: '/v1/training', body: train({ klCoef: 0.1 }), status: 400 },
  { name: 'learningRate set twice', method: 'post', path: '/v1/training', body: train({ learner: { learningRate: 1 } }), status: 400 },
  {
    name: 'a training run on an unknown backend',
    method: 'post',
    path: '/v1/training',
    body: train({ director: 'gpt-9' }),
    status: 400,
    message: /unknown backend "gpt-9"; allowed: local, director, executor/,
  },
  {
    name: 'a training run on an unknown dataset',
    method: 'post',
    path: '/v1/training',
    body: train({ datasets: ['imagenet'] }),
    status: 400,
    message: /config\.datasets\.0: unknown dataset "imagenet"/,
  },
  {
    name: 'a session on an unknown backend',
    method: 'post',
    path: '/v1/sessions',
    body: { problem: 'x', director: 'gpt-9' },
    status: 400,
    message: /director: unknown backend "gpt-9"; allowed: local, director, executor/,
  },
  {
    name: 'a backend named by path',
    method: 'post',
    path: '/v1/sessions',
    body: { problem: 'x', executor: '../../etc/passwd' },
    status: 400,
    message: /executor: a backend is a name/,
  },
  {
    name: 'a session with its own task queue',
    method: 'post',
    path: '/v1/sessions',
    body: { problem: 'x', taskQueue: 'attacker-queue' },
    status: 400,
    message: /taskQueue: unknown field/,
  },
  {
    name: 'an eval run on an unknown executor',
    method: 'post',
    path: '/v1/evals',
    body: { ...EVAL, executor: 'nope' },
    status: 400,
    message: /executor: unknown backend "nope"/,
  },
  {
    name: 'an eval run on an unknown dataset',
    method: 'post',
    path: '/v1/evals',
    body: { ...EVAL, datasets: ['gsm8k', 'imagenet'] },
    status: 400,
    message: /datasets\.1: unknown dataset "imagenet"/,
  },
  {
    name: 'an eval dataset named by path',
    method: 'post',
    path: '/v1/evals',
    body: { ...EVAL, datasets: ['/work/shared/bench/gsm8k'] },
    status: 400,
  },
  {
    name: 'an eval run with its own task queue',
    method: 'post',
    path: '/v1/evals',
    body: { ...EVAL, taskQueue: 'attacker-queue' },
    status: 400,
  },
  { name: 'an eval run with a report folder', method: 'post', path: '/v1/evals', body: { ...EVAL, reportsDir: '/tmp/x' }, status: 400 },
  // ids
  { name: 'an id climbing out', method: 'get', path: '/v1/sessions/..%2F..%2Fetc%2Fpasswd', status: [400, 404] },
  { name: 'an id with a NUL', method: 'get', path: '/v1/sessions/session-a%00b', status: [400, 404] },
  { name: 'an id of 5000 characters', method: 'get', path: `/v1/sessions/${'s'.repeat(5000)}`, status: [400, 404] },
  { name: 'an id suffix with a quote', method: 'post', path: '/v1/sessions', body: { problem: 'x', idSuffix: "a'b" }, status: 400 },
  { name: 'an id suffix with a slash', method: 'post', path: '/v1/sessions', body: { problem: 'x', idSuffix: 'a/../b' }, status: 400 },
  { name: 'a run name with spaces and quotes', method: 'post', path: '/v1/training', body: train({}, "x' OR 1=1"), status: 400 },
  // filters
  {
    name: 'filter injection in run',
    method: 'get',
    path: `/v1/sessions?run=${encodeURIComponent("x' OR WorkflowType='cwrpoTraining")}`,
    status: 400,
  },
  { name: 'filter injection in dataset', method: 'get', path: `/v1/sessions?dataset=${encodeURIComponent('a b')}`, status: 400 },
  {
    name: 'filter injection in status',
    method: 'get',
    path: `/v1/sessions?status=${encodeURIComponent("running' OR 'a'='a")}`,
    status: 400,
  },
  { name: 'a raw visibility attribute as a filter', method: 'get', path: '/v1/sessions?WorkflowType=cwrpoTraining', status: 400 },
  { name: 'an operator listing another owner', method: 'get', path: '/v1/sessions?owner=bob', status: 403 },
  {
    name: 'a garbage page token',
    method: 'get',
    path: '/v1/sessions?pageToken=AAAAAAAAAAAAAAAAAAAAAAAA',
    status: 400,
    message: /pageToken/,
  },
  {
    name: 'a forged page token',
    method: 'get',
    path: `/v1/sessions?pageToken=${Buffer.from('{"q":"x","t":"AAAA","u":"page"}').toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
    status: 400,
    message: /pageToken/,
  },
  // bodies
  {
    name: 'JSON nested 60,000 deep',
    method: 'post',
    path: '/v1/sessions',
    raw: deep(60_000),
    status: 400,
    message: /nested deeper than 32/,
  },
  {
    name: 'JSON nested 60,000 deep in a training config (it reached the payload converter: 500)',
    method: 'post',
    path: '/v1/training',
    raw: JSON.stringify(train({ learner: { lora: 'DEEP' } })).replace('"DEEP"', deep(60_000)),
    status: 400,
  },
  {
    name: 'JSON nested 40 deep inside a field',
    method: 'post',
    path: '/v1/sessions',
    raw: `{"problem":"x","answers":${deep(40)}}`,
    status: 400,
  },
  { name: 'a __proto__ key', method: 'post', path: '/v1/sessions', raw: '{"problem":"x","__proto__":{"role":"admin"}}', status: 400 },
  {
    name: 'a type confusion',
    method: 'post',
    path: '/v1/sessions',
    body: { problem: 'x', recordTrajectory: 'yes', limits: { maxTurns: 1e9 } },
    status: 400,
  },
  // credentials
  {
    name: 'a 10 MB body without a token',
    method: 'post',
    path: '/v1/sessions',
    raw: JSON.stringify({ problem: 'x'.repeat(10 * 1024 * 1024) }),
    headers: { Authorization: '' },
    status: 401,
  },
  {
    name: 'malformed JSON without a token',
    method: 'post',
    path: '/v1/sessions',
    raw: '{"problem": ',
    headers: { Authorization: '' },
    status: 401,
  },
  { name: 'Basic credentials', method: 'get', path: '/v1/sessions', headers: { Authorization: 'Basic YWxpY2U6YWxpY2U=' }, status: 401 },
  {
    name: 'a token with a suffix',
    method: 'get',
    path: '/v1/sessions',
    headers: { Authorization: `Bearer ${PRINCIPALS.alice.token}x` },
    status: 403,
  },
  {
    name: 'a principal name as the token',
    method: 'get',
    path: '/v1/sessions',
    headers: { Authorization: 'Bearer alice:operator:whatever-long-enough' },
    status: 403,
  },
  {
    name: 'a stream token on another route',
    method: 'get',
    path: '/v1/sessions?access_token=abc.def',
    headers: { Authorization: '' },
    status: 401,
  },
  {
    name: 'a viewer starting a session',
    method: 'post',
    path: '/v1/sessions',
    body: { problem: 'x' },
    headers: as('vera'),
    status: 403,
    message: /needs operator/,
  },
];

describe('hostile requests are refused at the edge', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
  });

  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    let req = c.method === 'get' ? http.get(c.path) : http.post(c.path);
    const headers = { ...auth, ...c.headers };
    for (const [k, v] of Object.entries(headers)) if (v) req = req.set(k, v);
    if (c.raw !== undefined) req = req.set('Content-Type', 'application/json').send(c.raw);
    else if (c.body !== undefined) req = req.send(c.body as object);
    const res = await req;
    expect([c.status].flat()).toContain(res.status);
    const text = JSON.stringify(res.body);
    const said = [
      res.body.message,
      ...((res.body.errors ?? []) as { field: string; message: string }[]).map((e) => `${e.field}: ${e.message}`),
    ].join('\n');
    if (c.message) expect(said).toMatch(c.message);
    expect(text).not.toContain(WORKSPACE_ROOT);
    expect(text).not.toMatch(/\/(tmp|work|home|srv|models)\/[^"]*\.(gguf|yaml|json)/);
    for (const p of Object.values(PRINCIPALS)) expect(text).not.toContain(p.token);
  });
});
