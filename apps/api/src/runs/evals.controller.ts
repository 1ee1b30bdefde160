import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { doc } from '../common/openapi-docs';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { decorate } from '../nest/decorate';
import { listRunsSchema, startEvalSchema, stopSchema, type ListRunsDto, type StartEvalDto } from './run.schemas';
import { RunsService } from './runs.service';

const ID = 'evaluation run workflow id (eval-<name>-<suffix>)';

/** `/v1/evals`: evaluation runs (the `evalRun` workflow) and their reports. */
export class EvalsController {
  constructor(private readonly runs: RunsService) {}

  start(body: StartEvalDto) {
    return this.runs.startEval(body);
  }

  list(query: ListRunsDto) {
    return this.runs.list('eval', query);
  }

  get(id: string) {
    return this.runs.getEval(id);
  }

  pause(id: string) {
    return this.runs.signal('eval', id, 'pause');
  }

  resume(id: string) {
    return this.runs.signal('eval', id, 'resume');
  }

  stop(id: string, body: { reason?: string }) {
    return this.runs.signal('eval', id, 'stop', body.reason);
  }
}

const id: [ParameterDecorator, typeof String] = [Param('id'), String];

decorate(EvalsController, {
  use: [Controller('v1/evals'), ApiTags('evaluation runs'), ApiBearerAuth()],
  inject: [RunsService],
  methods: {
    start: {
      use: [Post(), HttpCode(201), ...doc({ summary: 'Start an evaluation run', body: startEvalSchema, ok: { 201: '{ id, runId, link, ui }' }, errors: [400, 409] })],
      params: [[Body(new ZodValidationPipe(startEvalSchema)), Object]],
    },
    list: {
      use: [Get(), ...doc({ summary: 'List evaluation runs, newest first', query: listRunsSchema, ok: { 200: '{ runs, nextPageToken? }' }, errors: [400] })],
      params: [[Query(new ZodValidationPipe(listRunsSchema, 'query string')), Object]],
    },
    get: {
      use: [Get(':id'), ...doc({ summary: 'Status and progress; `result.report` once finished', id: ID, ok: { 200: 'run' }, errors: [404] })],
      params: [id],
    },
    pause: { use: [Post(':id/pause'), HttpCode(202), ...doc({ summary: 'Signal `pause`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })], params: [id] },
    resume: { use: [Post(':id/resume'), HttpCode(202), ...doc({ summary: 'Signal `resume`', id: ID, ok: { 202: '{ id, signal }' }, errors: [404] })], params: [id] },
    stop: {
      use: [Post(':id/stop'), HttpCode(202), ...doc({ summary: 'Signal `stop`: no new sessions; the report covers what finished', id: ID, body: stopSchema, ok: { 202: '{ id, signal }' }, errors: [400, 404] })],
      params: [id, [Body(new ZodValidationPipe(stopSchema)), Object]],
    },
  },
});
