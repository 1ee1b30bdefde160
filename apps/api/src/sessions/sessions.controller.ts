import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { API_CONFIG, type ApiConfig } from '../app/config';
import { doc } from '../common/openapi-docs';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { decorate } from '../nest/decorate';
import { canvasStream, type SseMessage } from './session-stream';
import { cancelSchema, forkSchema, humanActionSchema, listSessionsSchema, startSessionSchema, type ForkDto, type HumanActionDto, type ListSessionsDto, type StartSessionDto } from './session.schemas';
import { SessionsService } from './sessions.service';

const ID = 'session workflow id (session-<dataset>-<item>-<suffix>)';

/** `/v1/sessions`: canvas sessions (the `canvasSession` workflow). */
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly config: ApiConfig,
  ) {}

  start(body: StartSessionDto) {
    return this.sessions.start(body);
  }

  list(query: ListSessionsDto) {
    return this.sessions.list(query);
  }

  get(id: string) {
    return this.sessions.get(id);
  }

  canvas(id: string) {
    return this.sessions.canvas(id);
  }

  transcript(id: string) {
    return this.sessions.transcript(id);
  }

  events(id: string) {
    return this.sessions.events(id);
  }

  history(id: string) {
    return this.sessions.history(id);
  }

  async action(id: string, body: HumanActionDto, res: { status(code: number): unknown }) {
    const answer = await this.sessions.humanAction(id, body);
    if (!answer.done) res.status(202);
    return answer;
  }

  pause(id: string) {
    return this.sessions.signal(id, 'pause');
  }

  resume(id: string) {
    return this.sessions.signal(id, 'resume');
  }

  cancel(id: string, body: { reason?: string }) {
    return this.sessions.signal(id, 'cancel', body.reason);
  }

  fork(id: string, body: ForkDto) {
    return this.sessions.fork(id, body);
  }

  async stream(id: string): Promise<Observable<SseMessage>> {
    await this.sessions.executionStatus(id); // 404 before the stream opens
    return canvasStream({ canvas: () => this.sessions.canvas(id), executionStatus: () => this.sessions.executionStatus(id) }, this.config.streamPollMs);
  }
}

const id: [ParameterDecorator, typeof String] = [Param('id'), String];
const body = (schema: ConstructorParameters<typeof ZodValidationPipe>[0]): [ParameterDecorator, typeof Object] => [Body(new ZodValidationPipe(schema)), Object];

decorate(SessionsController, {
  use: [Controller('v1/sessions'), ApiTags('sessions'), ApiBearerAuth()],
  inject: [SessionsService, API_CONFIG],
  methods: {
    start: {
      use: [Post(), HttpCode(201), ...doc({ summary: 'Start a session on a problem or a dataset item', body: startSessionSchema, ok: { 201: '{ id, runId, link, ui }' }, errors: [400, 409] })],
      params: [body(startSessionSchema)],
    },
    list: {
      use: [Get(), ...doc({ summary: 'List sessions, newest first, filtered by FlowSteer* search attributes', query: listSessionsSchema, ok: { 200: '{ sessions, nextPageToken? }' }, errors: [400] })],
      params: [[Query(new ZodValidationPipe(listSessionsSchema, 'query string')), Object]],
    },
    get: { use: [Get(':id'), ...doc({ summary: 'Status, search attributes, and the result once closed', id: ID, ok: { 200: 'session' }, errors: [404] })], params: [id] },
    canvas: { use: [Get(':id/canvas'), ...doc({ summary: 'The `canvas` query: DSL, state, turn', id: ID, ok: { 200: 'CanvasView' }, errors: [404, 409, 504] })], params: [id] },
    transcript: { use: [Get(':id/transcript'), ...doc({ summary: 'The `transcript` query', id: ID, ok: { 200: 'TranscriptEntry[]' }, errors: [404, 409, 504] })], params: [id] },
    events: { use: [Get(':id/events'), ...doc({ summary: 'The `events` query: the canvas event log', id: ID, ok: { 200: 'CanvasEvent[]' }, errors: [404, 409, 504] })], params: [id] },
    history: {
      use: [Get(':id/history'), ...doc({ summary: 'The raw Temporal history as JSON (for Worker.runReplayHistory)', id: ID, ok: { 200: 'history JSON' }, errors: [404] })],
      params: [id],
    },
    action: {
      use: [
        Post(':id/actions'),
        HttpCode(200),
        ...doc({
          summary: 'A human action through the `humanAction` update',
          description: 'Validated like a director action. 200 with the outcome when applied within `waitMs`, 202 when still pending.',
          id: ID,
          body: humanActionSchema,
          ok: { 200: '{ updateId, done: true, accepted, outcome }', 202: '{ updateId, done: false }' },
          errors: [400, 404, 422, 504],
        }),
      ],
      params: [id, body(humanActionSchema), [Res({ passthrough: true }), Object]],
    },
    pause: { use: [Post(':id/pause'), HttpCode(202), ...doc({ summary: 'Signal `pause`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })], params: [id] },
    resume: { use: [Post(':id/resume'), HttpCode(202), ...doc({ summary: 'Signal `resume`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })], params: [id] },
    cancel: {
      use: [Post(':id/cancel'), HttpCode(202), ...doc({ summary: 'Signal `cancel`: the session ends after the current turn', id: ID, body: cancelSchema, ok: { 202: '{ id, signal }' }, errors: [400, 404] })],
      params: [id, body(cancelSchema)],
    },
    fork: {
      use: [
        Post(':id/fork'),
        HttpCode(201),
        ...doc({
          summary: 'Start a new session from the canvas events of turns 1..turn of this one',
          description: 'Reads the `events` query and cuts it before the first TurnTaken event after the turn-th director turn.',
          id: ID,
          body: forkSchema,
          ok: { 201: '{ id, runId, link, ui, forkedFrom, turn }' },
          errors: [400, 404, 409, 504],
        }),
      ],
      params: [id, body(forkSchema)],
    },
    stream: {
      use: [
        Sse(':id/stream'),
        ...doc({ summary: 'Server-sent events: `canvas` on every change, then `end` when the workflow closes', id: ID, ok: { 200: 'text/event-stream' }, errors: [404] }),
      ],
      params: [id],
    },
  },
});
