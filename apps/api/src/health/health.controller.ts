import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public';
import { TemporalService } from '../temporal/temporal.service';

/** Probes: `/healthz` says the process answers, `/readyz` that Temporal answers too. No token needed. */
@Controller()
@Public()
@ApiTags('health')
export class HealthController {
  constructor(@Inject(TemporalService) private readonly temporal: TemporalService) {}

  @Get('healthz')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: '{"status":"ok"}' })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @HttpCode(200)
  @ApiOperation({ summary: 'Readiness: Temporal answers within 2 s' })
  @ApiOkResponse({ description: 'ready' })
  @ApiServiceUnavailableResponse({ description: 'Temporal is unreachable' })
  async readyz(): Promise<{ status: 'ready'; temporal: string; namespace: string }> {
    try {
      await this.temporal.ping();
    } catch (err) {
      throw new ServiceUnavailableException(
        `Temporal at ${this.temporal.config.temporalAddress} does not answer (${(err as Error).message.split('\n')[0]})`,
      );
    }
    return { status: 'ready', temporal: this.temporal.config.temporalAddress, namespace: this.temporal.namespace };
  }
}
