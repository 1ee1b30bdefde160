import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { doc } from '../common/openapi-docs';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { decorate } from '../nest/decorate';
import { listRunsSchema, startTrainingSchema, stopSchema, type ListRunsDto, type StartTrainingDto } from './run.schemas';
import { RunsService } from './runs.service';

const ID = 'training run workflow id (train-<name>)';

/** `/v1/training`: CWRPO training runs (the `cwrpoTraining` workflow). */
export class TrainingController {
  constructor(private readonly runs: RunsService) {}

  start(body: StartTrainingDto) {
    return this.runs.startTraining(body);
  }

  list(query: ListRunsDto) {
    return this.runs.list('training', query);
  }

  get(id: string) {
    return this.runs.getTraining(id);
  }

  metrics(id: string) {
    return this.runs.progress('training', id);
  }

  pause(id: string) {
    return this.runs.signal('training', id, 'pause');
  }

  resume(id: string) {
    return this.runs.signal('training', id, 'resume');
  }

  stop(id: string, body: { reason?: string }) {
    return this.runs.signal('training', id, 'stop', body.reason);
  }
}

const id: [ParameterDecorator, typeof String] = [Param('id'), String];

decorate(TrainingController, {
  use: [Controller('v1/training'), ApiTags('training runs'), ApiBearerAuth()],
  inject: [RunsService],
  methods: {
    start: {
      use: [Post(), HttpCode(201), ...doc({ summary: 'Start a CWRPO training run (id train-<name>)', body: startTrainingSchema, ok: { 201: '{ id, runId, link, ui }' }, errors: [400, 409] })],
      params: [[Body(new ZodValidationPipe(startTrainingSchema)), Object]],
    },
    list: {
      use: [Get(), ...doc({ summary: 'List training runs, newest first', query: listRunsSchema, ok: { 200: '{ runs, nextPageToken? }' }, errors: [400] })],
      params: [[Query(new ZodValidationPipe(listRunsSchema, 'query string')), Object]],
    },
    get: { use: [Get(':id'), ...doc({ summary: 'Status and progress, or the result once closed', id: ID, ok: { 200: 'run' }, errors: [404] })], params: [id] },
    metrics: {
      use: [Get(':id/metrics'), ...doc({ summary: 'The `progress` query: step, latest metrics, recent history', id: ID, ok: { 200: 'TrainingProgress' }, errors: [404, 409, 504] })],
      params: [id],
    },
    pause: { use: [Post(':id/pause'), HttpCode(202), ...doc({ summary: 'Signal `pause`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })], params: [id] },
    resume: { use: [Post(':id/resume'), HttpCode(202), ...doc({ summary: 'Signal `resume`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })], params: [id] },
    stop: {
      use: [Post(':id/stop'), HttpCode(202), ...doc({ summary: 'Signal `stop`: finish the current step, then end', id: ID, body: stopSchema, ok: { 202: '{ id, signal }' }, errors: [400, 404] })],
      params: [id, [Body(new ZodValidationPipe(stopSchema)), Object]],
    },
  },
});
