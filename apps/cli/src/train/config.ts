import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod/v4';
import { runNameSchema, trainingConfigSchema, type TrainingConfig } from '@flowsteer/contracts';
import { CliError } from '../processes';

/**
 * The YAML file: the run's `name` and the training config's keys (libs/contracts `trainingConfigSchema`,
 * the same schema the REST API and the workflow use), all at the top level.
 */
export const trainFileSchema = trainingConfigSchema.extend({ name: runNameSchema });

export interface TrainFile {
  name: string;
  config: TrainingConfig;
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys')
      return `${path === '(top level)' ? '' : `${path}: `}unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${path}: ${issue.message}`;
  });
}

/** Parses and validates a training config (YAML or JSON text); every problem at once, each naming its key. */
export function parseTrainConfig(text: string, source: string): TrainFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new CliError(`${source} is not valid YAML: ${(err as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new CliError(`${source} must be a YAML mapping with name, datasets, steps, director, baseModel, ...`);
  const parsed = trainFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new CliError(
      `invalid training config (${source}):\n${describeIssues(parsed.error)
        .map((l) => `  - ${l}`)
        .join('\n')}`,
    );
  const { name: runName, ...config } = parsed.data;
  return { name: runName, config };
}

export function loadTrainConfig(file: string): TrainFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the training config ${file}: ${(err as Error).message}`);
  }
  return parseTrainConfig(text, file);
}
