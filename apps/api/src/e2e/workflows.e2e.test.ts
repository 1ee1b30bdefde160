import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { auth, createTestApp, startStubWorker } from './test-app';

/** Queries, the humanAction update, signals, fork, history, SSE and run progress against stub workflows. */
describe('API with a worker (stub workflows)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let stopWorker: () => Promise<void>;
  const suffix = `w${Date.now().toString(36)}`;

  beforeAll(async () => {
    const created = await createTestApp();
    app = created.app;
    http = request(app.getHttpServer());
    stopWorker = (await startStubWorker(created.config.taskQueue)).stop;
  });
  afterAll(async () => {
    await app.close();
    await stopWorker();
  });

  const startSession = async (tag: string) => (await http.post('/v1/sessions').set(auth).send({ problem: `stub ${tag}`, idSuffix: `${suffix}-${tag}` }).expect(201)).body.id as string;

  it('answers the canvas, transcript and events queries', async () => {
    const id = await startSession('q');
    const canvas = await http.get(`/v1/sessions/${id}/canvas`).set(auth).expect(200);
    expect(canvas.body).toMatchObject({ status: 'running', turn: 2, maxTurns: 20 });
    await http.get(`/v1/sessions/${id}/transcript`).set(auth).expect(200, []);
    const events = await http.get(`/v1/sessions/${id}/events`).set(auth).expect(200);
    expect(events.body.map((e: { type: string }) => e.type)).toEqual(['CanvasOpened', 'TurnTaken', 'ExecutionRecorded', 'TurnTaken', 'ExecutionRecorded']);
  });

  it('sends a human action: 200 with the outcome, 422 when the validator rejects it, 400 when empty', async () => {
    const id = await startSession('h');
    const ok = await http.post(`/v1/sessions/${id}/actions`).set(auth).send({ action: '<action>add</action><operator>Review</operator>' }).expect(200);
    expect(ok.body).toMatchObject({ done: true, accepted: true, outcome: 'applied: <action>add</action><operator>Review</operator>', updateId: expect.any(String) });
    const rejected = await http.post(`/v1/sessions/${id}/actions`).set(auth).send({ action: 'please add a reviewer' }).expect(422);
    expect(rejected.body.message).toMatch(/the action was rejected: not an action/);
    const empty = await http.post(`/v1/sessions/${id}/actions`).set(auth).send({ action: '' }).expect(400);
    expect(empty.body.errors).toEqual([{ field: 'action', message: 'must not be empty' }]);
    const transcript = await http.get(`/v1/sessions/${id}/transcript`).set(auth).expect(200);
    expect(transcript.body).toHaveLength(1);
  });

  it('pauses and resumes through signals', async () => {
    const id = await startSession('p');
    await http.post(`/v1/sessions/${id}/pause`).set(auth).expect(202, { id, signal: 'pause' });
    expect((await http.get(`/v1/sessions/${id}/canvas`).set(auth)).body.status).toBe('paused');
    await http.post(`/v1/sessions/${id}/resume`).set(auth).expect(202);
    expect((await http.get(`/v1/sessions/${id}/canvas`).set(auth)).body.status).toBe('running');
  });

  it('forks at turn K: the new session is told the session and the turn (never client events) and keeps the original task', async () => {
    const id = await startSession('f');
    await http.post(`/v1/sessions/${id}/fork`).set(auth).send({ turn: 3 }).expect(400);
    const fork = await http.post(`/v1/sessions/${id}/fork`).set(auth).send({ turn: 1, director: 'other', idSuffix: `${suffix}-f1` }).expect(201);
    expect(fork.body).toMatchObject({ forkedFrom: id, turn: 1 });
    expect(fork.body.id).toBe(id.replace(/-f$/, '-f1'));
    const events = await http.get(`/v1/sessions/${fork.body.id}/events`).set(auth).expect(200);
    expect(events.body.map((e: { type: string }) => e.type)).toEqual(['CanvasOpened', 'TurnTaken']); // the stub plays back `startFrom.turn`
    const detail = await http.get(`/v1/sessions/${fork.body.id}`).set(auth).expect(200);
    expect(detail.body.memo).toMatchObject({ problem: 'stub f', forkedFrom: id, forkTurn: 1 });
  });

  it('streams canvas changes as server-sent events and ends when the session closes; then has a result and a history', async () => {
    const id = await startSession('s');
    const streamed = http.get(`/v1/sessions/${id}/stream`).set(auth).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done(null, text));
    });
    setTimeout(() => void http.post(`/v1/sessions/${id}/actions`).set(auth).send({ action: '<action>finish</action>' }).then(() => http.post(`/v1/sessions/${id}/cancel`).set(auth).send({ reason: 'enough' })), 500);
    const res = await streamed;
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    const text = res.body as string;
    const canvasEvents = text.split('\n').filter((l) => l === 'event: canvas').length;
    expect(canvasEvents).toBeGreaterThanOrEqual(2); // the first view and the one after the human action
    expect(text).toMatch(/event: end\nid: \d+\ndata: {"executionStatus":"COMPLETED"}/);

    const detail = await http.get(`/v1/sessions/${id}`).set(auth).expect(200);
    expect(detail.body).toMatchObject({ executionStatus: 'COMPLETED', result: { status: 'cancelled', error: 'enough' } });
    const history = await http.get(`/v1/sessions/${id}/history`).set(auth).expect(200);
    expect(history.body.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    expect(history.body.events.at(-1).eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  });

  it('reads an evaluation run\'s progress, and its report once stopped', async () => {
    const started = await http.post('/v1/evals').set(auth).send({ name: 'stub', datasets: ['gsm8k'], perDataset: 3, idSuffix: suffix }).expect(201);
    const running = await http.get(started.body.link).set(auth).expect(200);
    expect(running.body.progress).toMatchObject({ phase: 'running', total: 3 });
    await http.post(`${started.body.link}/pause`).set(auth).expect(202);
    expect((await http.get(started.body.link).set(auth)).body.progress.phase).toBe('paused');
    await http.post(`${started.body.link}/stop`).set(auth).send({}).expect(202);
    let done;
    for (let i = 0; i < 50 && !done; i++) {
      const res = await http.get(started.body.link).set(auth).expect(200);
      if (res.body.executionStatus !== 'RUNNING') done = res.body;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(done.result.report).toMatchObject({ name: 'stub', rows: [{ dataset: 'gsm8k', method: 'flowsteer' }] });
  });

  it('reads a training run\'s metrics and stops it', async () => {
    const started = await http.post('/v1/training').set(auth).send({ name: `stub-${suffix}`, config: { datasets: ['gsm8k'], steps: 5, director: 'policy', baseModel: 'base' } }).expect(201);
    const metrics = await http.get(`${started.body.link}/metrics`).set(auth).expect(200);
    expect(metrics.body).toMatchObject({ step: 3, totalSteps: 5, metrics: { loss: 0.25 } });
    await http.post(`${started.body.link}/stop`).set(auth).send({ reason: 'done' }).expect(202);
  });
});
