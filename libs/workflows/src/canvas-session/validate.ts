import { MAX_PROBLEM_BYTES_CEILING, sessionInputProblems, type SessionInput } from '@flowsteer/contracts';

/** The edge checks of contracts, with the hard ceiling: the deployment's own cap is applied by the starters. */
export function checkSessionInput(input: SessionInput): string[] {
  if (input.carry) return []; // a continued run was checked when the session started
  return sessionInputProblems(input, { maxProblemBytes: MAX_PROBLEM_BYTES_CEILING });
}
