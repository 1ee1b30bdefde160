import { ApplicationFailure } from '@temporalio/common';
import {
  FAILURE,
  type CodeActivities,
  type CodeRunRequest,
  type CodeRunRequestValue,
  type CodeRunResult,
  type CodeRunResultValue,
  type SessionActivities,
} from '@flowsteer/contracts';
import { createSandboxActivities, createSandbox, isolationWarnings, type SandboxRunner } from '@flowsteer/sandbox';
import type { ArtifactStore } from '@flowsteer/artifacts';
import { createCodeScorer } from './code-scorer';
import { createSessionActivities } from './session-activities';

export interface SandboxWorkerActivityDeps {
  store: ArtifactStore;
  /**
   * The sandbox; default: probe the machine's isolation. `null` (or a failed probe): no isolation
   * here, so every run fails with `SandboxUnavailable` and code answers are reported as not scored.
   */
  sandbox?: SandboxRunner | null;
}

/**
 * The only activities that execute candidate code, registered only on sandbox workers (the
 * sandbox task queue): `runCode` for the operators' runs (the workflow dispatches it when an
 * operator suspends) and `scoreSession`, which runs answers against the benchmarks' tests (and the
 * symbolic check). The rest of the session's activities stay on the canvas workers, which have no
 * code runner at all. The sandbox worker only reads the artifact store (large requests and answers
 * arrive by reference; Kubernetes mounts it read-only here) and never writes it: results go back
 * inline, bounded by the run's `maxOutputBytes`.
 */
export async function createSandboxWorkerActivities(
  deps: SandboxWorkerActivityDeps,
): Promise<CodeActivities & Pick<SessionActivities, 'scoreSession'>> {
  const runner = deps.sandbox === undefined ? await createSandboxOrExplain() : deps.sandbox;
  const sandbox = runner ? createSandboxActivities({ runner }) : undefined;
  const { store } = deps;
  const run = runner ? (req: CodeRunRequest): Promise<CodeRunResult> => runner.run(req) : undefined;
  const { scoreSession } = createSessionActivities({ store, ...(run ? { scoreCode: createCodeScorer(run), runCode: run } : {}) });

  return {
    async runCode(value: CodeRunRequestValue): Promise<CodeRunResultValue> {
      if (!sandbox) {
        throw ApplicationFailure.create({
          type: FAILURE.sandboxUnavailable,
          nonRetryable: true,
          message:
            'sandbox unavailable: this sandbox worker found no isolation mechanism at start (see its log); candidate code cannot run here',
        });
      }
      const request =
        'ref' in value && typeof value.ref === 'string' ? await store.getJson<CodeRunRequest>(value.ref) : (value as CodeRunRequest);
      return sandbox.runCode(request);
    },
    scoreSession,
  };
}

async function createSandboxOrExplain(): Promise<SandboxRunner | null> {
  try {
    const sandbox = await createSandbox();
    for (const w of isolationWarnings({ ...sandbox.isolation, memoryPerRun: sandbox.memoryCgroups !== undefined }))
      console.error(`[sandbox] WARNING ${w}`);
    return sandbox;
  } catch (err) {
    console.error(`code execution disabled on this sandbox worker: ${(err as Error).message}`);
    return null;
  }
}
