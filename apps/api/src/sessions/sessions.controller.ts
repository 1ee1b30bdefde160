import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { Caller } from '../auth/current-principal';
import type { Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.guard';
import { ApiDoc } from '../common/openapi-docs';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import type { SseMessage } from './session-stream';
import {
  cancelSchema,
  forkSchema,
  humanActionSchema,
  listSessionsSchema,
  startSessionSchema,
  type ForkDto,
  type HumanActionDto,
  type ListSessionsDto,
  type StartSessionDto,
} from './session.schemas';
import { SessionsService } from './sessions.service';

const ID = 'session workflow id (session-<dataset>-<item>-<suffix>)';

/**
 * `/v1/sessions`: canvas sessions (the `canvasSession` workflow). Reads need any role and access to
 * the session (an operator's own, everything for viewers and admins); changes need operator and
 * ownership (or admin). See auth/ownership.ts.
 */
@Controller('v1/sessions')
@ApiTags('sessions')
@ApiBearerAuth()
export class SessionsController {
  constructor(@Inject(SessionsService) private readonly sessions: SessionsService) {}

  @Post()
  @HttpCode(201)
  @MinRole('operator')
  @ApiDoc({
    summary: 'Start a session on a problem or a dataset item (owned by the caller)',
    body: startSessionSchema,
    ok: { 201: '{ id, runId, link, ui }' },
    errors: [400, 409],
  })
  start(@Caller() principal: Principal, @Body(new ZodValidationPipe(startSessionSchema)) body: StartSessionDto) {
    return this.sessions.start(principal, body);
  }

  @Get()
  @ApiDoc({
    summary: 'List sessions, newest first, filtered by FlowSteer* search attributes (operators: their own)',
    query: listSessionsSchema,
    ok: { 200: '{ sessions, nextPageToken? }' },
    errors: [400],
  })
  list(@Caller() principal: Principal, @Query(new ZodValidationPipe(listSessionsSchema, 'query string')) query: ListSessionsDto) {
    return this.sessions.list(principal, query);
  }

  @Get(':id')
  @ApiDoc({ summary: 'Status, search attributes, and the result once closed', id: ID, ok: { 200: 'session' }, errors: [404] })
  get(@Caller() principal: Principal, @Param('id') id: string) {
    return this.sessions.get(principal, id);
  }

  @Get(':id/canvas')
  @ApiDoc({ summary: 'The `canvas` query: DSL, state, turn', id: ID, ok: { 200: 'CanvasView' }, errors: [404, 409, 504] })
  canvas(@Caller() principal: Principal, @Param('id') id: string) {
    return this.sessions.canvas(principal, id);
  }

  @Get(':id/transcript')
  @ApiDoc({ summary: 'The `transcript` query', id: ID, ok: { 200: 'TranscriptEntry[]' }, errors: [404, 409, 504] })
  transcript(@Caller() principal: Principal, @Param('id') id: string) {
    return this.sessions.transcript(principal, id);
  }

  @Get(':id/events')
  @ApiDoc({ summary: 'The `events` query: the canvas event log', id: ID, ok: { 200: 'CanvasEvent[]' }, errors: [404, 409, 504] })
  events(@Caller() principal: Principal, @Param('id') id: string) {
    return this.sessions.events(principal, id);
  }

  @Get(':id/history')
  @ApiDoc({ summary: 'The raw Temporal history as JSON (for Worker.runReplayHistory)', id: ID, ok: { 200: 'history JSON' }, errors: [404] })
  history(@Caller() principal: Principal, @Param('id') id: string) {
    return this.sessions.history(principal, id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiDoc({
    summary: 'Determinism check: replay every run of the session on the current workflow code',
    description:
      'As `flowsteer replay`: `{ ok: true, runs }`, or `{ ok: false, runs, divergence: { runId, message } }`. No activity runs. 429 while the API runs its maximum of replays.',
    id: ID,
    ok: { 200: '{ ok, workflowId, runs, divergence? }' },
    errors: [404, 429],
  })
  replay(@Caller() principal: Principal, @Param('id') id: string) {
    return this.sessions.replay(principal, id);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @MinRole('operator')
  @ApiDoc({
    summary: 'A human action through the `humanAction` update',
    description: 'Validated like a director action. 200 with the outcome when applied within `waitMs`, 202 when still pending.',
    id: ID,
    body: humanActionSchema,
    ok: { 200: '{ updateId, done: true, accepted, outcome }', 202: '{ updateId, done: false }' },
    errors: [400, 404, 422, 504],
  })
  async action(
    @Caller() principal: Principal,
    @Param('id') id: string,
    @Body(new ZodValidationPipe(humanActionSchema)) body: HumanActionDto,
    @Res({ passthrough: true }) res: { status(code: number): unknown },
  ) {
    const answer = await this.sessions.humanAction(principal, id, body);
    if (!answer.done) res.status(202);
    return answer;
  }

  @Post(':id/pause')
  @HttpCode(202)
  @MinRole('operator')
  @ApiDoc({ summary: 'Signal `pause`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })
  pause(@Caller() principal: Principal, @Param('id') id: string) {
    return this.sessions.signal(principal, id, 'pause');
  }

  @Post(':id/resume')
  @HttpCode(202)
  @MinRole('operator')
  @ApiDoc({ summary: 'Signal `resume`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })
  resume(@Caller() principal: Principal, @Param('id') id: string) {
    return this.sessions.signal(principal, id, 'resume');
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @MinRole('operator')
  @ApiDoc({
    summary: 'Signal `cancel`: the session ends after the current turn',
    id: ID,
    body: cancelSchema,
    ok: { 202: '{ id, signal }' },
    errors: [400, 404],
  })
  cancel(@Caller() principal: Principal, @Param('id') id: string, @Body(new ZodValidationPipe(cancelSchema)) body: { reason?: string }) {
    return this.sessions.signal(principal, id, 'cancel', body.reason);
  }

  @Post(':id/fork')
  @HttpCode(201)
  @MinRole('operator')
  @ApiDoc({
    summary: 'Start a new session (owned by the caller) from the canvas events of turns 1..turn of this one',
    description: 'Reads the `events` query and cuts it before the first TurnTaken event after the turn-th director turn.',
    id: ID,
    body: forkSchema,
    ok: { 201: '{ id, runId, link, ui, forkedFrom, turn }' },
    errors: [400, 404, 409, 504],
  })
  fork(@Caller() principal: Principal, @Param('id') id: string, @Body(new ZodValidationPipe(forkSchema)) body: ForkDto) {
    return this.sessions.fork(principal, id, body);
  }

  @Post(':id/stream-token')
  @HttpCode(201)
  @ApiDoc({
    summary: "A short-lived token that opens this session's stream without a header (for a browser's EventSource)",
    description:
      "Open `url` (`/v1/sessions/{id}/stream?access_token=...`) within `expiresAt`; the token is good for this session's stream only.",
    id: ID,
    ok: { 201: '{ token, expiresAt, url }' },
    errors: [404],
  })
  streamToken(@Caller() principal: Principal, @Param('id') id: string) {
    return this.sessions.streamToken(principal, id);
  }

  @Sse(':id/stream')
  @ApiDoc({
    summary: 'Server-sent events: `canvas` on every change, then `end` when the workflow closes',
    description:
      'Authenticate with the bearer header or `?access_token=` (a stream token). 429 beyond the stream caps per principal and in total.',
    id: ID,
    ok: { 200: 'text/event-stream' },
    errors: [404, 429],
  })
  stream(@Caller() principal: Principal, @Param('id') id: string): Promise<Observable<SseMessage>> {
    return this.sessions.follow(principal, id);
  }
}
