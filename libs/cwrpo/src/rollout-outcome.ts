import type { RolloutOutcome, SessionResult } from '@flowsteer/contracts';

/** What training keeps of a finished rollout session (no transcript or events: they stay in its history). */
export function rolloutOutcomeOf(r: SessionResult): RolloutOutcome {
  return {
    sessionId: r.sessionId,
    status: r.status,
    dsl: r.dsl,
    turns: r.turns,
    ...(r.score ? { score: r.score } : {}),
    ...(r.trajectoryRef ? { trajectoryRef: r.trajectoryRef } : {}),
    directorTokens: r.totals.directorTokens,
    executorTokens: r.totals.executorTokens,
    ...(r.error ? { error: r.error } : {}),
  };
}
