/** Load a benchmark (registry defaults or any user path) into typed tasks plus a list of problems. */
import type { BenchTask } from '@flowsteer/contracts';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultBenchDir } from './bench-dir';
import { BadRecord, BenchDataMissingError, type LoadProblem } from './load-problem';
import { readBenchText, splitRecords } from './read-records';
import { DATASETS, resolveDatasetName, type DatasetName, type DatasetSpec } from './registry';

export interface LoadOptions {
  /** a registry variant (e.g. "math500", "sanitized", "train"); default: the dataset's default. */
  variant?: string;
  /** explicit file(s), plain or gzip, in any supported layout; overrides the registry files. */
  file?: string | string[];
  /** bench root; default `FLOWSTEER_BENCH_DIR` or `<repo>/../shared/bench`. */
  benchDir?: string;
  /** environment for `FLOWSTEER_BENCH_DIR` and a dataset's own file variable (DS-1000: `FLOWSTEER_DS1000_FILE`); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** keep tasks whose `meta.split` equals this ("all" keeps everything); default: the dataset's default split. */
  split?: string;
}

export interface LoadResult {
  dataset: DatasetName;
  variant: string;
  files: string[];
  tasks: BenchTask[];
  problems: LoadProblem[];
}

function specOf(name: string): { spec: DatasetSpec; variant?: string } {
  const resolved = resolveDatasetName(name);
  if (!resolved) throw new Error(`unknown dataset "${name}" (known: ${Object.keys(DATASETS).join(', ')})`);
  return { spec: DATASETS[resolved.name], variant: resolved.variant };
}

/** The files a load would read (absolute), without reading them. */
export function datasetFiles(name: string, opts: LoadOptions = {}): { variant: string; files: string[] } {
  const { spec, variant: aliasVariant } = specOf(name);
  const variant = opts.variant ?? aliasVariant ?? spec.defaultVariant;
  if (opts.file !== undefined) {
    const files = (Array.isArray(opts.file) ? opts.file : [opts.file]).map((f) => resolve(f));
    return { variant: opts.variant ?? aliasVariant ?? 'file', files };
  }
  const rel = spec.variants[variant];
  if (!rel) throw new Error(`${spec.title} has no variant "${variant}" (variants: ${Object.keys(spec.variants).join(', ')})`);
  const env = opts.env ?? process.env;
  const fromEnv = spec.fileEnv ? env[spec.fileEnv]?.trim() : undefined;
  if (fromEnv && variant === spec.defaultVariant) return { variant, files: [resolve(fromEnv)] };
  const dir = join(opts.benchDir ?? defaultBenchDir(env), spec.dir);
  return { variant, files: rel.map((f) => join(dir, f)) };
}

/**
 * Read a dataset. Malformed records are skipped and reported in `problems` with their file and line
 * (or JSON position). A missing file throws {@link BenchDataMissingError} naming every path tried.
 */
export function loadDataset(name: string, opts: LoadOptions = {}): LoadResult {
  const { spec } = specOf(name);
  const { variant, files } = datasetFiles(name, opts);
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    const hint = spec.missingHint ? `. ${spec.missingHint}` : ` (set FLOWSTEER_BENCH_DIR or pass \`file\`)`;
    throw new BenchDataMissingError(`${spec.title}: no data at ${missing.join(', ')}${hint}`, missing);
  }
  const tasks: BenchTask[] = [];
  const problems: LoadProblem[] = [];
  const seen = new Map<string, string>();
  const isDefaultVariant = variant === spec.defaultVariant;
  for (const file of files) {
    const raw = splitRecords(readBenchText(file), file);
    problems.push(...raw.problems);
    for (const r of raw.records) {
      const where = { file, ...(r.line !== undefined ? { line: r.line } : {}), ...(r.at !== undefined ? { at: r.at } : {}) };
      try {
        const task = spec.toTask(r.value, { index: r.index, file, ...(isDefaultVariant ? {} : { variant }) });
        const earlier = seen.get(task.id);
        if (earlier !== undefined) {
          const same = earlier === JSON.stringify(task);
          problems.push({
            ...where,
            message: `duplicate id "${task.id}" (${same ? 'identical to' : 'differs from'} an earlier record; kept the first)`,
          });
          continue;
        }
        seen.set(task.id, JSON.stringify(task));
        tasks.push(task);
      } catch (e) {
        if (!(e instanceof BadRecord)) throw e;
        problems.push({ ...where, message: e.message });
      }
    }
  }
  const split = opts.split ?? spec.defaultSplit;
  const kept = split === undefined || split === 'all' ? tasks : tasks.filter((t) => t.meta?.split === undefined || t.meta.split === split);
  return { dataset: spec.name, variant, files, tasks: kept, problems };
}
