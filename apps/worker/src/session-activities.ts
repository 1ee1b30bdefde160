import { mkdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { asAnswerLine, decideSymbolic, scoreAnswer, withSymbolic, type RunCode, type ScoreResult } from '@flowsteer/bench';
import type { BenchTask, ScoreSessionInput, SessionActivities, SessionScore } from '@flowsteer/contracts';

/**
 * Scores code answers through the sandbox's scorers (held-out tests); injected by the worker.
 * `workflowTestPassed` is the session's own last Test verdict (absent for a direct answer).
 */
export type CodeScorer = (task: BenchTask, answer: string, workflowTestPassed?: boolean | null) => Promise<SessionScore>;

/**
 * A session score's metric keys: canonical names as they are (`accuracy`, `em`, `f1`, `pass@1`), the
 * other families prefixed: `lenient_accuracy`, `symbolic_accuracy`, `flowsteer_f1`, ...
 */
export function flattenScore(scored: ScoreResult): Record<string, number> {
  const prefixed = (family: string, m: Record<string, number> | undefined) => Object.entries(m ?? {}).map(([k, v]) => [`${family}_${k}`, v] as const);
  return {
    ...scored.metrics,
    ...Object.fromEntries([...prefixed('lenient', scored.lenient), ...prefixed('symbolic', scored.symbolic), ...prefixed('flowsteer', scored.flowsteer)]),
  };
}

/** The headline value per task family: F1 for open QA, accuracy elsewhere (DESIGN §6, spec §4.3). */
export function primaryMetric(task: BenchTask, metrics: Record<string, number>): number {
  if (task.taskType === 'qa') return metrics.f1 ?? metrics.em ?? 0;
  return metrics.accuracy ?? metrics.em ?? metrics.correct ?? 0;
}

/** The `symbolic` family of a MATH/AIME/MathQA result: one CAS run; a note instead when it cannot run. */
async function addSymbolic(scored: ScoreResult, runCode: RunCode | undefined): Promise<{ scored: ScoreResult; note?: string }> {
  if (!scored.symbolicQuery) return { scored: withSymbolic(scored, undefined) };
  if (!runCode) return { scored, note: 'symbolic metric not computed: this worker has no sandbox to run sympy in' };
  try {
    const [verdict] = await decideSymbolic(runCode, [scored.symbolicQuery]);
    return { scored: withSymbolic(scored, verdict) };
  } catch (e) {
    return { scored, note: `symbolic metric not computed: ${(e as Error).message.slice(0, 300)}` };
  }
}

export function createSessionActivities(options: { artifactsDir: string; scoreCode?: CodeScorer; runCode?: RunCode }): SessionActivities {
  return {
    async scoreSession({ task, answer, workflowTestPassed }: ScoreSessionInput): Promise<SessionScore> {
      // a bare final answer ("18", "\\frac12") is read as the answer line the official grader expects
      const first = scoreAnswer(task, asAnswerLine(task, answer));
      if (first.needsSandbox) {
        if (!options.scoreCode) return { metrics: {}, primary: 0, note: `not scored: ${first.needsSandbox.reason}; this worker has no code scorer` };
        return options.scoreCode(task, answer, workflowTestPassed);
      }
      const { scored, note } = await addSymbolic(first, options.runCode);
      return { metrics: flattenScore(scored), primary: primaryMetric(task, scored.metrics), ...(note ? { note } : {}) };
    },

    async storeArtifact({ kind, id, content }) {
      const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
      const file = join(options.artifactsDir, safe(kind), `${safe(id)}.json`);
      mkdirSync(dirname(file), { recursive: true });
      // write-then-rename: a retried activity never leaves half a file behind
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(content));
      renameSync(tmp, file);
      if (!existsSync(file)) throw new Error(`artifact ${file} was not written`);
      return `artifact://${relative(options.artifactsDir, file)}`;
    },
  };
}
