import { ApplicationFailure } from '@temporalio/common';
import { answerInstruction, BenchDataMissingError, formatProblem, loadDataset, sampleTasks } from '@flowsteer/bench';
import {
  FAILURE,
  type BenchTask,
  type ChatMessage,
  type DirectAnswerInput,
  type DirectAnswerResult,
  type EvalActivities,
  type EvalDatasetPlan,
  type SessionResult,
  type SessionSummary,
} from '@flowsteer/contracts';
import { toActivityFailure, type LlmClient } from '@flowsteer/llm';
import { ArtifactRefError, type ArtifactStore } from '@flowsteer/artifacts';
import { writeEvalReportFiles } from './eval-report';
import { awaitWorkflowResult } from './await-result';
import { activityContext, withHeartbeat } from '@flowsteer/temporal-runtime/activity';

/** The "executor alone" baseline's one call: the problem and the answer convention its canonical scorer reads. */
export function directMessages(task: BenchTask): ChatMessage[] {
  return [{ role: 'user', content: `${task.problem}\n\n${answerInstruction(task)}` }];
}

/**
 * The evaluation run's activities: the seeded sample (cached per process: every chunk is a slice of
 * the same sample), the direct-answer baseline, outcomes of sessions started earlier, artifact reads
 * and the report writer.
 */
export function createEvalActivities(deps: { llm: LlmClient; store: ArtifactStore; reportsDir: string }): EvalActivities {
  const samples = new Map<string, { tasks: BenchTask[]; plan: EvalDatasetPlan }>();

  function sample(dataset: string, perDataset: number, seed: number) {
    const key = `${dataset}|${perDataset}|${seed}`;
    const cached = samples.get(key);
    if (cached) return cached;
    let loaded: ReturnType<typeof loadDataset>;
    try {
      loaded = loadDataset(dataset);
    } catch (err) {
      const type = err instanceof BenchDataMissingError ? FAILURE.benchDataMissing : FAILURE.invalidEvalInput;
      throw ApplicationFailure.nonRetryable(`dataset "${dataset}": ${(err as Error).message}`, type);
    }
    const tasks = sampleTasks(loaded.tasks, { perDataset, seed });
    const plan = {
      dataset,
      total: tasks.length,
      skipped: loaded.problems.slice(0, 5).map(formatProblem),
      skippedCount: loaded.problems.length,
    };
    const entry = { tasks, plan };
    samples.set(key, entry);
    return entry;
  }

  return {
    async planEval({ datasets, perDataset, seed }) {
      return datasets.map((d) => sample(d, perDataset, seed).plan);
    },

    async evalTasks({ dataset, perDataset, seed, offset, limit }) {
      return sample(dataset, perDataset, seed).tasks.slice(offset, offset + limit);
    },

    async directAnswer({ task, executorBackend }: DirectAnswerInput): Promise<DirectAnswerResult> {
      let reply: Awaited<ReturnType<LlmClient['chat']>>;
      try {
        reply = await withHeartbeat(
          () => `direct ${task.dataset}/${task.id}`,
          () =>
            deps.llm.chat(
              { backend: executorBackend, messages: directMessages(task), purpose: `direct answer ${task.dataset}/${task.id}` },
              { signal: activityContext()?.cancellationSignal },
            ),
        );
      } catch (err) {
        throw toActivityFailure(err);
      }
      // scored by the workflow, on the sandbox queue (scoring code runs the answer)
      return { answer: reply.text, ledger: reply.ledger };
    },

    async sessionOutcome({ workflowId }): Promise<SessionSummary> {
      const r = await awaitWorkflowResult<SessionResult>(workflowId);
      return {
        sessionId: r.sessionId,
        status: r.status,
        answer: r.answer,
        turns: r.turns,
        score: r.score,
        totals: r.totals,
        ...(r.error ? { error: r.error } : {}),
      };
    },

    async loadArtifact({ ref }) {
      return readArtifact(deps.store, ref);
    },

    async writeEvalReport({ runId, report, resultRefs }) {
      const items = (await Promise.all(resultRefs.map((ref) => readArtifact(deps.store, ref)))).flatMap((chunk) => chunk as unknown[]);
      return writeEvalReportFiles(deps.reportsDir, runId, report, items);
    },
  };
}

/** A stored JSON artifact; a reference outside the store or to nothing fails without retries. */
async function readArtifact(store: ArtifactStore, ref: string): Promise<unknown> {
  try {
    return await store.getJson(ref);
  } catch (err) {
    if (err instanceof ArtifactRefError) throw ApplicationFailure.nonRetryable(err.message, FAILURE.invalidEvalInput);
    throw err;
  }
}
