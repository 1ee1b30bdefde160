import { maxProblemBytesFrom, type PluginOperator } from '@flowsteer/contracts';
import { pluginsFromEnv } from '@flowsteer/operators';
import { CliError } from '../processes';

/** The deployment's problem-size cap: FLOWSTEER_MAX_PROBLEM_BYTES, at most the hard ceiling. */
export function maxProblemBytes(env: NodeJS.ProcessEnv = process.env): number {
  try {
    return maxProblemBytesFrom(env.FLOWSTEER_MAX_PROBLEM_BYTES);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** The plug-in operators this deployment declares (FLOWSTEER_PLUGINS), checked before anything starts. */
export function declaredPlugins(env: NodeJS.ProcessEnv = process.env): PluginOperator[] {
  try {
    return pluginsFromEnv(env);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}
