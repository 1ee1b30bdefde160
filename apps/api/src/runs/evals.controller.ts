import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/current-principal';
import type { Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.guard';
import { ApiDoc } from '../common/openapi-docs';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { listRunsSchema, startEvalSchema, stopSchema, type ListRunsDto, type StartEvalDto } from './run.schemas';
import { RunsService } from './runs.service';

const ID = 'evaluation run workflow id (eval-<name>-<suffix>)';

/** `/v1/evals`: evaluation runs (the `evalRun` workflow) and their reports. */
@Controller('v1/evals')
@ApiTags('evaluation runs')
@ApiBearerAuth()
export class EvalsController {
  constructor(@Inject(RunsService) private readonly runs: RunsService) {}

  @Post()
  @HttpCode(201)
  @MinRole('operator')
  @ApiDoc({ summary: 'Start an evaluation run', body: startEvalSchema, ok: { 201: '{ id, runId, link, ui }' }, errors: [400, 409] })
  start(@Caller() principal: Principal, @Body(new ZodValidationPipe(startEvalSchema)) body: StartEvalDto) {
    return this.runs.startEval(principal, body);
  }

  @Get()
  @ApiDoc({ summary: 'List evaluation runs, newest first', query: listRunsSchema, ok: { 200: '{ runs, nextPageToken? }' }, errors: [400] })
  list(@Caller() principal: Principal, @Query(new ZodValidationPipe(listRunsSchema, 'query string')) query: ListRunsDto) {
    return this.runs.list(principal, 'eval', query);
  }

  @Get(':id')
  @ApiDoc({ summary: 'Status and progress; `result.report` once finished', id: ID, ok: { 200: 'run' }, errors: [404] })
  get(@Caller() principal: Principal, @Param('id') id: string) {
    return this.runs.getEval(principal, id);
  }

  @Post(':id/pause')
  @HttpCode(202)
  @MinRole('operator')
  @ApiDoc({ summary: 'Signal `pause`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })
  pause(@Caller() principal: Principal, @Param('id') id: string) {
    return this.runs.signal(principal, 'eval', id, 'pause');
  }

  @Post(':id/resume')
  @HttpCode(202)
  @MinRole('operator')
  @ApiDoc({ summary: 'Signal `resume`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })
  resume(@Caller() principal: Principal, @Param('id') id: string) {
    return this.runs.signal(principal, 'eval', id, 'resume');
  }

  @Post(':id/stop')
  @HttpCode(202)
  @MinRole('operator')
  @ApiDoc({
    summary: 'Signal `stop`: no new sessions; the report covers what finished',
    id: ID,
    body: stopSchema,
    ok: { 202: '{ id, signal }' },
    errors: [400, 404],
  })
  stop(@Caller() principal: Principal, @Param('id') id: string, @Body(new ZodValidationPipe(stopSchema)) body: { reason?: string }) {
    return this.runs.signal(principal, 'eval', id, 'stop', body.reason);
  }
}
