import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { as, auth, createTestApp, eventually, startRealWorker, type RealWorker } from './test-support/test-app';

jest.setTimeout(300_000);

/**
 * The API against the production worker: the real `canvasSession`, `evalRun` and `cwrpoTraining`
 * with their real activities, scripted LLM servers and the stand-in learner (test-support/test-app.ts).
 */
describe('API with the real worker and workflows', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let worker: RealWorker;
  const suffix = `w${Date.now().toString(36)}`;

  beforeAll(async () => {
    const created = await createTestApp();
    app = created.app;
    http = request(app.getHttpServer());
    worker = await startRealWorker(created.config.taskQueue);
  });
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
  });

  const start = async (tag: string, problem = `[slow] [script:short] What is 6 times 7? (${tag})`, maxTurns = 12) =>
    (
      await http
        .post('/v1/sessions')
        .set(auth)
        .send({ problem, answers: ['42'], director: 'director', executor: 'executor', limits: { maxTurns }, idSuffix: `${suffix}-${tag}` })
        .expect(201)
    ).body.id as string;

  const closed = (id: string, timeoutMs = 120_000) =>
    eventually(async () => {
      const res = await http.get(`/v1/sessions/${id}`).set(auth).expect(200);
      return res.body.executionStatus === 'RUNNING' ? undefined : res.body;
    }, timeoutMs);

  it('runs a session: queries, pause, a human edit applied while paused, resume, the result, history, replay, fork', async () => {
    const id = await start('life');
    await http.post(`/v1/sessions/${id}/pause`).set(auth).expect(202, { id, signal: 'pause' });
    const paused = await eventually(async () => {
      const res = await http.get(`/v1/sessions/${id}/canvas`).set(auth).expect(200);
      return res.body.status === 'paused' ? res.body : undefined;
    });
    expect(paused).toMatchObject({ maxTurns: 12, turn: expect.any(Number) });
    const edit = await http
      .post(`/v1/sessions/${id}/actions`)
      .set(auth)
      .send({ action: '<action>add</action><operator>Format</operator>' })
      .expect(200);
    expect(edit.body).toMatchObject({ done: true, updateId: expect.any(String) });
    const transcript = await http.get(`/v1/sessions/${id}/transcript`).set(auth).expect(200);
    expect(transcript.body.some((t: { actor: string }) => t.actor === 'human')).toBe(true);
    const events = await http.get(`/v1/sessions/${id}/events`).set(auth).expect(200);
    expect(events.body[0].type).toBe('CanvasOpened');
    await http.post(`/v1/sessions/${id}/resume`).set(auth).expect(202);

    const detail = await closed(id);
    expect(detail).toMatchObject({
      executionStatus: 'COMPLETED',
      attributes: { owner: 'alice', dataset: 'adhoc' },
      result: { status: expect.stringMatching(/finished|turn-limit/) },
    });
    expect(detail.result.turns).toBeGreaterThan(1);

    const late = await http.post(`/v1/sessions/${id}/actions`).set(auth).send({ action: '<action>finish</action>' }).expect(409);
    expect(late.body.message).toMatch(/has ended \(COMPLETED\)/);
    await http.post(`/v1/sessions/${id}/cancel`).set(auth).send({}).expect(409);

    const history = await http.get(`/v1/sessions/${id}/history`).set(auth).expect(200);
    expect(history.body.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    expect(history.body.events.at(-1).eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');

    const replay = await http.post(`/v1/sessions/${id}/replay`).set(auth).expect(200);
    expect(replay.body).toMatchObject({ ok: true, workflowId: id, runs: [{ runId: detail.runId, events: history.body.events.length }] });

    const fork = await http.post(`/v1/sessions/${id}/fork`).set(as('bob')).send({ turn: 1 }).expect(404); // not bob's to read
    expect(fork.body.message).toBe(`no session with id "${id}"`);
    const forked = await http
      .post(`/v1/sessions/${id}/fork`)
      .set(auth)
      .send({ turn: 1, idSuffix: `${suffix}-life1` })
      .expect(201);
    expect(forked.body).toMatchObject({ forkedFrom: id, turn: 1 });
    const forkDetail = await closed(forked.body.id);
    expect(forkDetail).toMatchObject({
      executionStatus: 'COMPLETED',
      attributes: { owner: 'alice' },
      memo: { forkedFrom: id, forkTurn: 1 },
    });
  });

  it('streams canvas changes as server-sent events until the session ends', async () => {
    const id = await start('sse');
    const res = await http
      .get(`/v1/sessions/${id}/stream`)
      .set(auth)
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (chunk: Buffer) => (text += chunk.toString()));
        r.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    const text = res.body as string;
    expect(text.split('\n').filter((l) => l === 'event: canvas').length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/event: end\nid: \d+\ndata: {"executionStatus":"COMPLETED"}/);
  });

  it('runs an evaluation to its report; its sessions carry the owner', async () => {
    const started = await http
      .post('/v1/evals')
      .set(auth)
      .send({ name: 'e2e', datasets: ['gsm8k'], perDataset: 2, maxTurns: 3, director: 'director', executor: 'executor', idSuffix: suffix })
      .expect(201);
    const done = await eventually(async () => {
      const res = await http.get(started.body.link).set(auth).expect(200);
      return res.body.executionStatus === 'RUNNING' ? undefined : res.body;
    }, 180_000);
    expect(done).toMatchObject({
      executionStatus: 'COMPLETED',
      attributes: { owner: 'alice' },
      result: { status: 'finished', report: { name: 'e2e', rows: [{ dataset: 'gsm8k', method: 'flowsteer', n: 2 }] } },
    });
    const sessions = await eventually(async () => {
      const res = await http.get(`/v1/sessions?run=${started.body.id}`).set(as('root')).expect(200);
      return res.body.sessions.length === 2 ? res.body.sessions : undefined;
    });
    expect(sessions.map((s: { attributes: { owner?: string } }) => s.attributes.owner)).toEqual(['alice', 'alice']);
  });

  it('runs a training step: the model is resolved by name on the server, metrics come back, rollouts carry the owner', async () => {
    const name = `e2e-${suffix}`;
    const config = {
      datasets: ['gsm8k'],
      groupSize: 2,
      problemsPerStep: 1,
      steps: 1,
      director: 'director',
      executor: 'executor',
      maxTurns: 20,
      baseModel: 'tiny',
      tokenizer: 'utf8-bytes',
      learnerHeartbeatSeconds: 30,
    };
    const started = await http.post('/v1/training').set(auth).send({ name, config }).expect(201);
    const done = await eventually(async () => {
      const res = await http.get(started.body.link).set(auth).expect(200);
      return res.body.executionStatus === 'RUNNING' ? undefined : res.body;
    }, 240_000);
    expect(done).toMatchObject({
      executionStatus: 'COMPLETED',
      attributes: { owner: 'alice' },
      result: { status: 'finished', step: 1, policyVersion: `train-${name}-step-1` },
    });
    const inputs = worker.learner.inputs.filter((i) => i.runId === `train-${name}`);
    expect(inputs.map((i) => i.baseModel)).toEqual(['/models/tiny']); // the server's path for the name "tiny"
    expect(inputs[0]?.batchPath).toBe(`runs/train-${name}/batches/step-1.json`);
    const rollouts = await eventually(async () => {
      const res = await http.get(`/v1/sessions?run=train-${name}`).set(auth).expect(200);
      return res.body.sessions.length === 2 ? res.body.sessions : undefined;
    });
    expect(rollouts.every((s: { attributes: { owner?: string } }) => s.attributes.owner === 'alice')).toBe(true);
  });
});
