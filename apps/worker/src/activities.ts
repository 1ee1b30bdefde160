import { join } from 'node:path';
import type { HealthCheckActivities } from '@flowsteer/contracts';
import { LlmClient, createLlmActivities, loadBackendRegistry, setLocalAdapterResolver } from '@flowsteer/llm';
import { createOperatorActivities } from '@flowsteer/operators';
import { createSandbox, isolationWarnings, type SandboxRunner } from '@flowsteer/sandbox';
import { ArtifactStore } from '@flowsteer/artifacts';
import { createEvalActivities, defaultReportsDir } from './eval-activities';
import { createCodeScorer } from './code-scorer';
import { createSessionActivities } from './session-activities';
import { createTrainingActivities, publishedAdapterResolver, type TrainingActivityDeps } from './training-activities';
import { WORKSPACE_ROOT } from '@flowsteer/temporal-runtime';

export interface ActivityDeps {
  identity: string;
  artifactsDir: string;
  /** Explicit LLM client (tests pass one wired to a fake server); default: the configured registry. */
  llm?: LlmClient;
  /** Explicit sandbox; default: probe the machine's isolation. `null` disables code execution. */
  sandbox?: SandboxRunner | null;
  /** Where evaluation reports go (`<dir>/<run>/report.*`); default `.flowsteer/reports`. */
  reportsDir?: string;
  /** Training activity overrides (tests: scripted problems). */
  training?: Pick<TrainingActivityDeps, 'loadTasks' | 'tokenizer' | 'learnerTaskQueue'>;
}

export function healthActivities(identity: string): HealthCheckActivities {
  return {
    async echo(message: string) {
      return { echoed: message, workerIdentity: identity };
    },
  };
}

/**
 * Every activity the canvas worker serves: policy turns and LLM calls, the operators (code through
 * the sandbox), scoring and artifacts. Backends are resolved here, from the worker's configuration.
 */
export async function createActivities(deps: ActivityDeps) {
  const llm = deps.llm ?? new LlmClient(loadBackendRegistry());
  const sandbox = deps.sandbox === undefined ? await createSandboxOrExplain() : deps.sandbox;
  const runCode = sandbox ? (req: Parameters<SandboxRunner['run']>[0]) => sandbox.run(req) : undefined;
  const store = new ArtifactStore(deps.artifactsDir);
  const session = createSessionActivities({ store, ...(runCode ? { scoreCode: createCodeScorer(runCode), runCode } : {}) });
  const reportsDir = deps.reportsDir ?? defaultReportsDir(process.env, WORKSPACE_ROOT);
  setLocalAdapterResolver(publishedAdapterResolver(deps.artifactsDir));
  return {
    ...healthActivities(deps.identity),
    ...createLlmActivities(llm, { store }),
    ...createOperatorActivities({ chat: llm, runCode, texts: store }),
    ...session,
    ...createEvalActivities({ llm, store, reportsDir, scoreSession: session.scoreSession }),
    ...createTrainingActivities({ artifactsDir: deps.artifactsDir, llm, ...deps.training }),
  };
}

async function createSandboxOrExplain(): Promise<SandboxRunner | null> {
  try {
    const sandbox = await createSandbox();
    for (const w of isolationWarnings({ ...sandbox.isolation, memoryPerRun: sandbox.memoryCgroups !== undefined })) console.error(`[sandbox] WARNING ${w}`);
    return sandbox;
  } catch (err) {
    console.error(`code execution disabled on this worker: ${(err as Error).message}`);
    return null;
  }
}

export function defaultArtifactsDir(env: NodeJS.ProcessEnv = process.env, root: string): string {
  return env.FLOWSTEER_ARTIFACTS ?? join(env.FLOWSTEER_HOME ?? join(root, '.flowsteer'), 'artifacts');
}
