import { describeSchemaProblems, trainingConfigSchema, type TrainingConfig } from '@flowsteer/contracts';

/**
 * Checks the run's config with the one training schema (the API and the CLI used the same before
 * starting the run): the parsed config with defaults applied, or every problem at once.
 */
export function readTrainingConfig(
  config: unknown,
): { config: TrainingConfig; problems: string[] } | { config?: undefined; problems: string[] } {
  const parsed = trainingConfigSchema.safeParse(config);
  if (parsed.success) return { config: parsed.data, problems: [] };
  return { problems: [describeSchemaProblems(parsed.error)] };
}
