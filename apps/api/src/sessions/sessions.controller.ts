import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { API_CONFIG, type ApiConfig } from '../app/config';
import { ApiDoc } from '../common/openapi-docs';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { canvasStream, type SseMessage } from './session-stream';
import { cancelSchema, forkSchema, humanActionSchema, listSessionsSchema, startSessionSchema, type ForkDto, type HumanActionDto, type ListSessionsDto, type StartSessionDto } from './session.schemas';
import { SessionsService } from './sessions.service';

const ID = 'session workflow id (session-<dataset>-<item>-<suffix>)';

/** `/v1/sessions`: canvas sessions (the `canvasSession` workflow). */
@Controller('v1/sessions')
@ApiTags('sessions')
@ApiBearerAuth()
export class SessionsController {
  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiDoc({ summary: 'Start a session on a problem or a dataset item', body: startSessionSchema, ok: { 201: '{ id, runId, link, ui }' }, errors: [400, 409] })
  start(@Body(new ZodValidationPipe(startSessionSchema)) body: StartSessionDto) {
    return this.sessions.start(body);
  }

  @Get()
  @ApiDoc({ summary: 'List sessions, newest first, filtered by FlowSteer* search attributes', query: listSessionsSchema, ok: { 200: '{ sessions, nextPageToken? }' }, errors: [400] })
  list(@Query(new ZodValidationPipe(listSessionsSchema, 'query string')) query: ListSessionsDto) {
    return this.sessions.list(query);
  }

  @Get(':id')
  @ApiDoc({ summary: 'Status, search attributes, and the result once closed', id: ID, ok: { 200: 'session' }, errors: [404] })
  get(@Param('id') id: string) {
    return this.sessions.get(id);
  }

  @Get(':id/canvas')
  @ApiDoc({ summary: 'The `canvas` query: DSL, state, turn', id: ID, ok: { 200: 'CanvasView' }, errors: [404, 409, 504] })
  canvas(@Param('id') id: string) {
    return this.sessions.canvas(id);
  }

  @Get(':id/transcript')
  @ApiDoc({ summary: 'The `transcript` query', id: ID, ok: { 200: 'TranscriptEntry[]' }, errors: [404, 409, 504] })
  transcript(@Param('id') id: string) {
    return this.sessions.transcript(id);
  }

  @Get(':id/events')
  @ApiDoc({ summary: 'The `events` query: the canvas event log', id: ID, ok: { 200: 'CanvasEvent[]' }, errors: [404, 409, 504] })
  events(@Param('id') id: string) {
    return this.sessions.events(id);
  }

  @Get(':id/history')
  @ApiDoc({ summary: 'The raw Temporal history as JSON (for Worker.runReplayHistory)', id: ID, ok: { 200: 'history JSON' }, errors: [404] })
  history(@Param('id') id: string) {
    return this.sessions.history(id);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiDoc({
    summary: 'A human action through the `humanAction` update',
    description: 'Validated like a director action. 200 with the outcome when applied within `waitMs`, 202 when still pending.',
    id: ID,
    body: humanActionSchema,
    ok: { 200: '{ updateId, done: true, accepted, outcome }', 202: '{ updateId, done: false }' },
    errors: [400, 404, 422, 504],
  })
  async action(@Param('id') id: string, @Body(new ZodValidationPipe(humanActionSchema)) body: HumanActionDto, @Res({ passthrough: true }) res: { status(code: number): unknown }) {
    const answer = await this.sessions.humanAction(id, body);
    if (!answer.done) res.status(202);
    return answer;
  }

  @Post(':id/pause')
  @HttpCode(202)
  @ApiDoc({ summary: 'Signal `pause`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })
  pause(@Param('id') id: string) {
    return this.sessions.signal(id, 'pause');
  }

  @Post(':id/resume')
  @HttpCode(202)
  @ApiDoc({ summary: 'Signal `resume`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })
  resume(@Param('id') id: string) {
    return this.sessions.signal(id, 'resume');
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiDoc({ summary: 'Signal `cancel`: the session ends after the current turn', id: ID, body: cancelSchema, ok: { 202: '{ id, signal }' }, errors: [400, 404] })
  cancel(@Param('id') id: string, @Body(new ZodValidationPipe(cancelSchema)) body: { reason?: string }) {
    return this.sessions.signal(id, 'cancel', body.reason);
  }

  @Post(':id/fork')
  @HttpCode(201)
  @ApiDoc({
    summary: 'Start a new session from the canvas events of turns 1..turn of this one',
    description: 'Reads the `events` query and cuts it before the first TurnTaken event after the turn-th director turn.',
    id: ID,
    body: forkSchema,
    ok: { 201: '{ id, runId, link, ui, forkedFrom, turn }' },
    errors: [400, 404, 409, 504],
  })
  fork(@Param('id') id: string, @Body(new ZodValidationPipe(forkSchema)) body: ForkDto) {
    return this.sessions.fork(id, body);
  }

  @Sse(':id/stream')
  @ApiDoc({ summary: 'Server-sent events: `canvas` on every change, then `end` when the workflow closes', id: ID, ok: { 200: 'text/event-stream' }, errors: [404] })
  async stream(@Param('id') id: string): Promise<Observable<SseMessage>> {
    await this.sessions.executionStatus(id); // 404 before the stream opens
    return canvasStream({ canvas: () => this.sessions.canvas(id), executionStatus: () => this.sessions.executionStatus(id) }, this.config.streamPollMs);
  }
}
