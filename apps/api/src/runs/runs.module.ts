import { Module } from '@nestjs/common';
import { decorate } from '../nest/decorate';
import { EvalsController } from './evals.controller';
import { RunsService } from './runs.service';
import { TrainingController } from './training.controller';

export class RunsModule {}

decorate(RunsModule, { use: [Module({ controllers: [EvalsController, TrainingController], providers: [RunsService] })] });
