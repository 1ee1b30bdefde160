import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { RolesGuard } from '../auth/roles.guard';
import { TemporalExceptionFilter } from '../common/temporal-exception.filter';
import { HealthController } from '../health/health.controller';
import { RunsModule } from '../runs/runs.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TemporalModule } from '../temporal/temporal.module';
import { API_CONFIG, type ApiConfig } from './config';
import { ResourceCatalog } from './resources';

/**
 * The API: configuration, one Temporal client, the resource names clients may use, roles on every
 * route but health (authentication itself is middleware, see configure.ts), Temporal errors as HTTP.
 */
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
        { provide: ResourceCatalog, useValue: new ResourceCatalog(config.resources) },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_FILTER, useClass: TemporalExceptionFilter },
      ],
      exports: [API_CONFIG, ResourceCatalog],
    };
  }
}
