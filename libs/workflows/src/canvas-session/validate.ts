import { MAX_PROBLEM_BYTES_CEILING, sessionInputProblemsWithoutPlugins, type SessionInput } from '@flowsteer/contracts';

/**
 * The edge checks of contracts (`sessionInputProblems`), with the hard ceiling: the deployment's own
 * cap is applied by the starters. Plug-in declarations are checked with their zod schema, which only
 * the sessions that declare some load: building it costs every other session start ~3 ms of the
 * worker's workflow thread (#18).
 */
export async function checkSessionInput(input: SessionInput): Promise<string[]> {
  if (input.carry) return []; // a continued run was checked when the session started
  const problems = sessionInputProblemsWithoutPlugins(input, { maxProblemBytes: MAX_PROBLEM_BYTES_CEILING });
  if (input.plugins === undefined) return problems;
  const { pluginOperatorsProblems } = await import(/* webpackMode: "eager" */ '@flowsteer/contracts/plugins');
  return [...problems, ...pluginOperatorsProblems(input.plugins)];
}
