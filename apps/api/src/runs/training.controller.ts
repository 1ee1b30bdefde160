import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/current-principal';
import type { Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.guard';
import { ApiDoc } from '../common/openapi-docs';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { listRunsSchema, startTrainingSchema, stopSchema, type ListRunsDto, type StartTrainingDto } from './run.schemas';
import { RunsService } from './runs.service';

const ID = 'training run workflow id (train-<name>)';

/** `/v1/training`: CWRPO training runs (the `cwrpoTraining` workflow). */
@Controller('v1/training')
@ApiTags('training runs')
@ApiBearerAuth()
export class TrainingController {
  constructor(@Inject(RunsService) private readonly runs: RunsService) {}

  @Post()
  @HttpCode(201)
  @MinRole('operator')
  @ApiDoc({
    summary: 'Start a CWRPO training run (id train-<name>)',
    body: startTrainingSchema,
    ok: { 201: '{ id, runId, link, ui }' },
    errors: [400, 409],
  })
  start(@Caller() principal: Principal, @Body(new ZodValidationPipe(startTrainingSchema)) body: StartTrainingDto) {
    return this.runs.startTraining(principal, body);
  }

  @Get()
  @ApiDoc({ summary: 'List training runs, newest first', query: listRunsSchema, ok: { 200: '{ runs, nextPageToken? }' }, errors: [400] })
  list(@Caller() principal: Principal, @Query(new ZodValidationPipe(listRunsSchema, 'query string')) query: ListRunsDto) {
    return this.runs.list(principal, 'training', query);
  }

  @Get(':id')
  @ApiDoc({ summary: 'Status and progress, or the result once closed', id: ID, ok: { 200: 'run' }, errors: [404] })
  get(@Caller() principal: Principal, @Param('id') id: string) {
    return this.runs.getTraining(principal, id);
  }

  @Get(':id/metrics')
  @ApiDoc({
    summary: 'The `progress` query: step, latest metrics, recent history',
    id: ID,
    ok: { 200: 'TrainingProgress' },
    errors: [404, 409, 504],
  })
  metrics(@Caller() principal: Principal, @Param('id') id: string) {
    return this.runs.progress(principal, 'training', id);
  }

  @Post(':id/pause')
  @HttpCode(202)
  @MinRole('operator')
  @ApiDoc({ summary: 'Signal `pause`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })
  pause(@Caller() principal: Principal, @Param('id') id: string) {
    return this.runs.signal(principal, 'training', id, 'pause');
  }

  @Post(':id/resume')
  @HttpCode(202)
  @MinRole('operator')
  @ApiDoc({ summary: 'Signal `resume`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })
  resume(@Caller() principal: Principal, @Param('id') id: string) {
    return this.runs.signal(principal, 'training', id, 'resume');
  }

  @Post(':id/stop')
  @HttpCode(202)
  @MinRole('operator')
  @ApiDoc({
    summary: 'Signal `stop`: finish the current step, then end',
    id: ID,
    body: stopSchema,
    ok: { 202: '{ id, signal }' },
    errors: [400, 404],
  })
  stop(@Caller() principal: Principal, @Param('id') id: string, @Body(new ZodValidationPipe(stopSchema)) body: { reason?: string }) {
    return this.runs.signal(principal, 'training', id, 'stop', body.reason);
  }
}
