import type { HealthCheckActivities } from '@flowsteer/contracts';

/** The activities this worker serves; later issues add LLM, operator and scoring activities. */
export function createActivities(identity: string): HealthCheckActivities {
  return {
    async echo(message: string) {
      return { echoed: message, workerIdentity: identity };
    },
  };
}
