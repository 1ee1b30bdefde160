import { DEFAULT_MAX_PROBLEM_BYTES, MAX_PROBLEM_BYTES_CEILING } from '@flowsteer/contracts';
import { CliError } from '../processes';

/** The deployment's problem-size cap: FLOWSTEER_MAX_PROBLEM_BYTES, at most the hard ceiling. */
export function maxProblemBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FLOWSTEER_MAX_PROBLEM_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_PROBLEM_BYTES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PROBLEM_BYTES_CEILING) {
    throw new CliError(`FLOWSTEER_MAX_PROBLEM_BYTES must be a whole number from 1 to ${MAX_PROBLEM_BYTES_CEILING}, not "${raw}"`);
  }
  return n;
}
