import { scoreAnswer } from '@flowsteer/bench';
import type { ArtifactStore } from '@flowsteer/artifacts';
import type { BenchTask, ScoreSessionInput, SessionActivities, SessionScore } from '@flowsteer/contracts';

/** Scores code answers through the sandbox's scorers (held-out tests); injected by the worker. */
export type CodeScorer = (task: BenchTask, answer: string) => Promise<SessionScore>;

/** The headline value per task family: F1 for open QA, accuracy elsewhere (DESIGN §6, spec §4.3). */
export function primaryMetric(task: BenchTask, metrics: Record<string, number>): number {
  if (task.taskType === 'qa') return metrics.f1 ?? metrics.em ?? 0;
  return metrics.accuracy ?? metrics.em ?? metrics.correct ?? 0;
}

export function createSessionActivities(options: { store: ArtifactStore; scoreCode?: CodeScorer }): SessionActivities {
  return {
    async scoreSession({ task, answer }: ScoreSessionInput): Promise<SessionScore> {
      const scored = scoreAnswer(task, answer);
      if (scored.needsSandbox) {
        if (!options.scoreCode) return { metrics: {}, primary: 0, note: `not scored: ${scored.needsSandbox.reason}; this worker has no code scorer` };
        return options.scoreCode(task, answer);
      }
      const metrics = { ...scored.metrics, ...Object.fromEntries(Object.entries(scored.flowsteer).map(([k, v]) => [`flowsteer_${k}`, v])) };
      return { metrics, primary: primaryMetric(task, scored.metrics) };
    },

    async storeArtifact({ kind, id, content }) {
      return options.store.putJson(kind, id, content);
    },
  };
}
