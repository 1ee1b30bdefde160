/**
 * The minimal workflow the foundation ships: it proves a worker, the bundle and the server work
 * together end to end, and its recorded history seeds the replay harness.
 */
export interface HealthCheckInput {
  /** Free text echoed back through an activity. */
  message: string;
}

export interface HealthCheckResult {
  echoed: string;
  workerIdentity: string;
  steps: string[];
}

/** Activities the health-check workflow calls; implemented in apps/worker. */
export interface HealthCheckActivities {
  echo(message: string): Promise<{ echoed: string; workerIdentity: string }>;
}

export const HEALTH_CHECK_WORKFLOW = 'healthCheck';
