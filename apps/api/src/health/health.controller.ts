import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public';
import { decorate } from '../nest/decorate';
import { TemporalService } from '../temporal/temporal.service';

/** Probes: `/healthz` says the process answers, `/readyz` that Temporal answers too. No token needed. */
export class HealthController {
  constructor(private readonly temporal: TemporalService) {}

  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  async readyz(): Promise<{ status: 'ready'; temporal: string; namespace: string }> {
    try {
      await this.temporal.ping();
    } catch (err) {
      throw new ServiceUnavailableException(`Temporal at ${this.temporal.config.temporalAddress} does not answer (${(err as Error).message.split('\n')[0]})`);
    }
    return { status: 'ready', temporal: this.temporal.config.temporalAddress, namespace: this.temporal.namespace };
  }
}

decorate(HealthController, {
  use: [Controller(), Public(), ApiTags('health')],
  inject: [TemporalService],
  methods: {
    healthz: { use: [Get('healthz'), HttpCode(200), ApiOperation({ summary: 'Liveness: the process answers' }), ApiOkResponse({ description: '{"status":"ok"}' })] },
    readyz: {
      use: [
        Get('readyz'),
        HttpCode(200),
        ApiOperation({ summary: 'Readiness: Temporal answers within 2 s' }),
        ApiOkResponse({ description: 'ready' }),
        ApiServiceUnavailableResponse({ description: 'Temporal is unreachable' }),
      ],
    },
  },
});
