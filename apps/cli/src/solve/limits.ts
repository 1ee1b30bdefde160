import { maxProblemBytesFrom } from '@flowsteer/contracts';
import { CliError } from '../processes';

/** The deployment's problem-size cap: FLOWSTEER_MAX_PROBLEM_BYTES, at most the hard ceiling. */
export function maxProblemBytes(env: NodeJS.ProcessEnv = process.env): number {
  try {
    return maxProblemBytesFrom(env.FLOWSTEER_MAX_PROBLEM_BYTES);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}
