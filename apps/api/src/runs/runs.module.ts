import { Module } from '@nestjs/common';
import { EvalsController } from './evals.controller';
import { RunsService } from './runs.service';
import { TrainingController } from './training.controller';

@Module({ controllers: [EvalsController, TrainingController], providers: [RunsService] })
export class RunsModule {}
