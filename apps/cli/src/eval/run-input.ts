import { evalRunStartSchema, schemaProblems, type EvalRunInput } from '@flowsteer/contracts';
import { CliError } from '../processes';

export interface EvalOptions {
  datasets: string;
  perDataset: string;
  seed: string;
  baselines?: boolean;
  director: string;
  executor: string;
  maxTurns: string;
  concurrency: string;
  promptMode: string;
  llmCalls?: string;
  name: string;
  json?: boolean;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a positive integer, not "${value}"`);
  return n;
}

function integer(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) throw new CliError(`${flag} must be an integer, not "${value}"`);
  return n;
}

/** The `evalRun` input from the command line, with every flag checked before anything starts. */
export function evalRunInput(opts: EvalOptions): EvalRunInput {
  const datasets = opts.datasets
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  if (!datasets.length) throw new CliError('--datasets needs at least one name, e.g. --datasets gsm8k,math');
  if (opts.promptMode !== 'compact' && opts.promptMode !== 'full-history') throw new CliError('--prompt-mode is compact or full-history');
  if (!/^[A-Za-z0-9._-]+$/.test(opts.name)) throw new CliError(`--name may use letters, digits, ".", "_" and "-" only, not "${opts.name}"`);
  const parsed = evalRunStartSchema.safeParse({
    name: opts.name,
    datasets,
    perDataset: positiveInt(opts.perDataset, '--per-dataset'),
    seed: integer(opts.seed, '--seed'),
    director: opts.director,
    executor: opts.executor,
    maxTurns: positiveInt(opts.maxTurns, '--max-turns'),
    promptMode: opts.promptMode,
    baselines: Boolean(opts.baselines),
    concurrency: positiveInt(opts.concurrency, '--concurrency'),
    ...(opts.llmCalls !== undefined ? { llmCalls: opts.llmCalls } : {}),
  });
  if (!parsed.success)
    throw new CliError(
      schemaProblems(parsed.error)
        .map((p) => `--${kebab(p.field)}: ${p.message}`)
        .join('\n'),
    );
  return parsed.data;
}

/** `perDataset` -> `per-dataset`, `datasets.0` -> `datasets`: the flag a schema field came from. */
function kebab(field: string): string {
  return (field.split('.')[0] ?? field).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
