import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { asAnswerLine, decideSymbolic, scoreAnswer, withSymbolic, type RunCode, type ScoreResult } from '@flowsteer/bench';
import { ArtifactRefError, type ArtifactStore } from '@flowsteer/artifacts';
import { EMPTY_STATE, cutEventsAtTurn, replay, type CanvasEvent, type CanvasState } from '@flowsteer/canvas';
import {
  runEventsQuery,
  type RunEvents,
  type BenchTask,
  type ScoreSessionInput,
  type SessionActivities,
  type SessionScore,
  type SessionSegment,
  type Trajectory,
  type TrajectoryTurn,
} from '@flowsteer/contracts';

/**
 * Scores code answers through the sandbox's scorers (held-out tests); injected by the worker.
 * `workflowTestPassed` is the session's own last Test verdict (absent for a direct answer).
 */
export type CodeScorer = (task: BenchTask, answer: string, workflowTestPassed?: boolean | null) => Promise<SessionScore>;

/**
 * A session score's metric keys: canonical names as they are (`accuracy`, `em`, `f1`, `pass@1`), the
 * other families prefixed: `lenient_accuracy`, `symbolic_accuracy`, `flowsteer_f1`, ...
 */
/** A director turn as policyTurn stored it (libs/llm activities.ts, `record`). */
interface DirectorSample {
  messages: { content: string }[];
  completion: string;
  logprobs?: { logprob: number }[];
  promptTokenIds?: number[];
  completionTokenIds?: number[];
  completionSupport?: (number[] | null)[];
}

export function flattenScore(scored: ScoreResult): Record<string, number> {
  const prefixed = (family: string, m: Record<string, number> | undefined) =>
    Object.entries(m ?? {}).map(([k, v]) => [`${family}_${k}`, v] as const);
  return {
    ...scored.metrics,
    ...Object.fromEntries([
      ...prefixed('lenient', scored.lenient),
      ...prefixed('symbolic', scored.symbolic),
      ...prefixed('flowsteer', scored.flowsteer),
    ]),
  };
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

/** The headline value per task family: F1 for open QA, accuracy elsewhere (DESIGN §6, spec §4.3). */
export function primaryMetric(task: BenchTask, metrics: Record<string, number>): number {
  if (task.taskType === 'qa') return metrics.f1 ?? metrics.em ?? 0;
  return metrics.accuracy ?? metrics.em ?? metrics.correct ?? 0;
}

/** How a fork reads the session it starts from: its stored segments plus its current run. */
export interface SessionSource {
  runEvents(sessionId: string): Promise<RunEvents>;
}

/** The source from the activity's own Temporal client (a query on the session, running or closed). */
export const temporalSessionSource: SessionSource = {
  async runEvents(sessionId) {
    return Context.current().client.workflow.getHandle(sessionId).query(runEventsQuery);
  },
};

const MAX_FORK_DEPTH = 32;

export function createSessionActivities(options: {
  store: ArtifactStore;
  scoreCode?: CodeScorer;
  runCode?: RunCode;
  sessions?: SessionSource;
}): SessionActivities {
  const { store } = options;
  const sessions = options.sessions ?? temporalSessionSource;

  async function readSegments(refs: readonly string[]): Promise<SessionSegment[]> {
    return Promise.all(refs.map((ref) => store.getJson<SessionSegment>(ref)));
  }

  /** The canvas of `sessionId` after director turn `turn` (following the chain of forks it came from). */
  async function canvasAt(sessionId: string, turn: number, depth: number): Promise<{ state: CanvasState; availableTurns: number }> {
    if (depth > MAX_FORK_DEPTH)
      throw ApplicationFailure.nonRetryable(`fork chain of ${sessionId} is deeper than ${MAX_FORK_DEPTH}`, 'InvalidSessionInput');
    const current = await sessions.runEvents(sessionId);
    const segments = await readSegments(current.segments);
    const events = [...segments.flatMap((s) => s.events), ...current.events] as CanvasEvent[];
    const origin = current.forkedFrom;
    if (!origin) {
      const cut = cutEventsAtTurn(events, turn);
      return { state: replay(cut.events, EMPTY_STATE), availableTurns: cut.availableTurns };
    }
    if (turn <= origin.turn) return canvasAt(origin.sessionId, turn, depth + 1);
    const base = await canvasAt(origin.sessionId, origin.turn, depth + 1);
    const cut = cutEventsAtTurn(events, turn - origin.turn);
    return { state: replay(cut.events, base.state), availableTurns: origin.turn + cut.availableTurns };
  }

  return {
    async scoreSession({ task, answer: value, workflowTestPassed }: ScoreSessionInput): Promise<SessionScore> {
      const answer = await store.readText(value);
      // a bare final answer ("18", "\\frac12") is read as the answer line the official grader expects
      const first = scoreAnswer(task, asAnswerLine(task, answer));
      if (first.needsSandbox) {
        if (!options.scoreCode)
          return { metrics: {}, primary: 0, note: `not scored: ${first.needsSandbox.reason}; this worker has no code scorer` };
        return options.scoreCode(task, answer, workflowTestPassed);
      }
      const { scored, note } = await addSymbolic(first, options.runCode);
      return { metrics: flattenScore(scored), primary: primaryMetric(task, scored.metrics), ...(note ? { note } : {}) };
    },

    async storeArtifact({ kind, id, content }) {
      return store.putJson(kind, id, content);
    },

    async storeText({ text }) {
      if (typeof text !== 'string') throw ApplicationFailure.nonRetryable('storeText needs a text', 'InvalidSessionInput');
      return store.putText(text);
    },

    async forkPoint({ sessionId, turn }) {
      try {
        const { state, availableTurns } = await canvasAt(sessionId, turn, 0);
        return { state, availableTurns };
      } catch (err) {
        if (err instanceof RangeError || err instanceof ArtifactRefError)
          throw ApplicationFailure.nonRetryable(`cannot fork ${sessionId} at turn ${turn}: ${err.message}`, 'InvalidSessionInput');
        if ((err as { name?: string }).name === 'WorkflowNotFoundError')
          throw ApplicationFailure.nonRetryable(`cannot fork ${sessionId}: no such session`, 'InvalidSessionInput');
        throw err;
      }
    },

    async writeTrajectory({ sessionId, segments, meta }) {
      const turns: TrajectoryTurn[] = [];
      for (const segment of await readSegments(segments)) {
        for (const entry of segment.transcript) {
          if (entry.actor !== 'director' || !entry.sampleRef) continue;
          const sample = await store.getJson<DirectorSample>(entry.sampleRef);
          turns.push({
            prompt: sample.messages.map((m) => m.content).join('\n'),
            completion: sample.completion,
            ...(sample.logprobs ? { completionLogprobs: sample.logprobs.map((l) => l.logprob) } : {}),
            ...(sample.promptTokenIds && sample.completionTokenIds
              ? { promptTokenIds: sample.promptTokenIds, completionTokenIds: sample.completionTokenIds }
              : {}),
            ...(sample.completionSupport ? { completionSupport: sample.completionSupport } : {}),
            feedback: entry.feedback,
          });
        }
      }
      const trajectory: Trajectory = { ...meta, turns };
      return store.putJson('trajectories', sessionId, trajectory);
    },
  };
}
