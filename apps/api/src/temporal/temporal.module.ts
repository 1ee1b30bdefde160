import { Global, Module } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../app/config';
import { TemporalService } from './temporal.service';

/** Provides the process-wide {@link TemporalService} (one lazy connection). */
@Global()
@Module({
  providers: [{ provide: TemporalService, useFactory: (config: ApiConfig) => new TemporalService(config), inject: [API_CONFIG] }],
  exports: [TemporalService],
})
export class TemporalModule {}
