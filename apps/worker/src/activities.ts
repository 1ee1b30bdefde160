import type { HealthCheckActivities, PluginOperator } from '@flowsteer/contracts';
import { LlmClient, createLlmActivities, loadBackendRegistry, setLocalAdapterResolver } from '@flowsteer/llm';
import { catalogueWith, createOperatorActivities, pluginsFromEnv } from '@flowsteer/operators';
import { ArtifactStore, defaultReportsDir, WORKSPACE_ROOT } from '@flowsteer/artifacts';
import { createEvalActivities } from './eval-activities';
import { createSessionActivities } from './session-activities';
import { createTrainingActivities, publishedAdapterResolver, type TrainingActivityDeps } from './training-activities';

export interface ActivityDeps {
  identity: string;
  artifactsDir: string;
  /** Explicit LLM client (tests pass one wired to a fake server); default: the configured registry. */
  llm?: LlmClient;
  /** Where evaluation reports go (`<dir>/<run>/report.*`); default `.flowsteer/reports`. */
  reportsDir?: string;
  /** Training activity overrides (tests: scripted problems). */
  training?: Pick<TrainingActivityDeps, 'loadTasks' | 'tokenizer' | 'learnerTaskQueue'>;
  /** Plug-in operators this worker runs; default FLOWSTEER_PLUGINS (an invalid file stops the start). */
  plugins?: PluginOperator[];
}

export function healthActivities(identity: string): HealthCheckActivities {
  return {
    async echo(message: string) {
      return { echoed: message, workerIdentity: identity };
    },
  };
}

/**
 * Every activity the canvas worker serves: policy turns and LLM calls, the operators, artifacts,
 * evaluation and training. Backends are resolved here, from the worker's configuration. Nothing
 * here runs candidate code, and nothing here can: there is no code runner among these activities'
 * dependencies. Operators that need a run suspend, and `runCode` and `scoreSession` are served by
 * sandbox workers on the sandbox queue (sandbox-activities.ts).
 */
export async function createActivities(deps: ActivityDeps) {
  const llm = deps.llm ?? new LlmClient(loadBackendRegistry());
  const store = new ArtifactStore(deps.artifactsDir);
  const { scoreSession: _onTheSandboxQueue, ...session } = createSessionActivities({ store });
  const reportsDir = deps.reportsDir ?? defaultReportsDir(process.env, WORKSPACE_ROOT);
  setLocalAdapterResolver(publishedAdapterResolver(deps.artifactsDir));
  return {
    ...healthActivities(deps.identity),
    ...createLlmActivities(llm, { store }),
    ...createOperatorActivities({ chat: llm, texts: store, catalogue: catalogueWith(deps.plugins ?? pluginsFromEnv()) }),
    ...session,
    ...createEvalActivities({ llm, store, reportsDir }),
    ...createTrainingActivities({ artifactsDir: deps.artifactsDir, llm, ...deps.training }),
  };
}
