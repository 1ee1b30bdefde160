import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { TemporalExceptionFilter } from '../common/temporal-exception.filter';
import { HealthController } from '../health/health.controller';
import { RunsModule } from '../runs/runs.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TemporalModule } from '../temporal/temporal.module';
import { API_CONFIG, type ApiConfig } from './config';

/** The API: configuration, one Temporal client, auth on every route but health, Temporal errors as HTTP. */
@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [TemporalModule, SessionsModule, RunsModule],
      controllers: [HealthController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: TemporalExceptionFilter },
      ],
      exports: [API_CONFIG],
    };
  }
}
