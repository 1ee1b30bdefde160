/** The 12 benchmarks: their default files under the bench directory and how a record becomes a task. */
import type { BenchTask, BenchTaskType } from '@flowsteer/contracts';
import { appsTask, ds1000Task, humanevalTask, mbppTask } from './mappers/code-sets';
import { aimeTask, gsm8kTask, mathqaTask, mathTask } from './mappers/math-sets';
import { hotpotqaTask, nqTask, squadV2Task, triviaqaTask } from './mappers/qa-sets';
import type { RecordContext } from './mappers/record-context';

export type DatasetName =
  | 'gsm8k'
  | 'math'
  | 'hotpotqa'
  | 'squad_v2'
  | 'mbpp'
  | 'humaneval'
  | 'mathqa'
  | 'aime2025'
  | 'triviaqa'
  | 'nq'
  | 'apps'
  | 'ds1000';

export interface DatasetSpec {
  name: DatasetName;
  title: string;
  taskType: BenchTaskType;
  /** directory under the bench root. */
  dir: string;
  /** variant -> files (relative to `dir`, loaded in order and concatenated). */
  variants: Record<string, string[]>;
  defaultVariant: string;
  /** keep only tasks whose `meta.split` equals this by default (MBPP: "test"); `split: 'all'` disables. */
  defaultSplit?: string;
  /** in-distribution (train + test) or out-of-distribution (test only) in FlowSteer's protocol. */
  distribution: 'iid' | 'ood';
  toTask: (value: unknown, ctx: RecordContext) => BenchTask;
  /** printed when the data is missing, e.g. why DS-1000 has no copy. */
  missingHint?: string;
  /** environment variable naming a local copy of the default variant's file (DS-1000: FLOWSTEER_DS1000_FILE). */
  fileEnv?: string;
}

export const DATASETS: Record<DatasetName, DatasetSpec> = {
  gsm8k: {
    name: 'gsm8k',
    title: 'GSM8K',
    taskType: 'math',
    dir: 'gsm8k',
    distribution: 'iid',
    variants: { test: ['test.jsonl'], train: ['train.jsonl'] },
    defaultVariant: 'test',
    toTask: gsm8kTask,
  },
  math: {
    name: 'math',
    title: 'MATH',
    taskType: 'math',
    dir: 'math',
    distribution: 'iid',
    variants: { test: ['test.jsonl'], math500: ['math500_test.jsonl'] },
    defaultVariant: 'test',
    toTask: mathTask,
  },
  hotpotqa: {
    name: 'hotpotqa',
    title: 'HotPotQA',
    taskType: 'qa',
    dir: 'hotpotqa',
    distribution: 'iid',
    variants: { validate: ['hotpotqa_validate.jsonl'] },
    defaultVariant: 'validate',
    toTask: hotpotqaTask,
  },
  squad_v2: {
    name: 'squad_v2',
    title: 'SQuAD v2',
    taskType: 'qa',
    dir: 'squad_v2',
    distribution: 'iid',
    variants: { dev: ['dev-v2.0.small-dev-set.json'], train: ['train-v2.0.subset-1.json'] },
    defaultVariant: 'dev',
    toTask: squadV2Task,
  },
  mbpp: {
    name: 'mbpp',
    title: 'MBPP',
    taskType: 'code',
    dir: 'mbpp',
    distribution: 'iid',
    variants: { full: ['mbpp.jsonl'], sanitized: ['sanitized-mbpp.json'] },
    defaultVariant: 'full',
    defaultSplit: 'test',
    toTask: mbppTask,
  },
  humaneval: {
    name: 'humaneval',
    title: 'HumanEval',
    taskType: 'code',
    dir: 'humaneval',
    distribution: 'iid',
    variants: { test: ['HumanEval.jsonl.gz'] },
    defaultVariant: 'test',
    toTask: humanevalTask,
  },
  mathqa: {
    name: 'mathqa',
    title: 'MathQA',
    taskType: 'multiple-choice',
    dir: 'mathqa',
    distribution: 'ood',
    variants: { test: ['test.json'] },
    defaultVariant: 'test',
    toTask: mathqaTask,
  },
  aime2025: {
    name: 'aime2025',
    title: 'AIME 2025',
    taskType: 'math',
    dir: 'aime2025',
    distribution: 'ood',
    variants: { 'i+ii': ['aime_aime2025-i_test.jsonl', 'aime_aime2025-ii_test.jsonl'], aime25: ['aime25_test.jsonl'] },
    defaultVariant: 'i+ii',
    toTask: aimeTask,
  },
  triviaqa: {
    name: 'triviaqa',
    title: 'TriviaQA',
    taskType: 'qa',
    dir: 'triviaqa',
    distribution: 'ood',
    variants: { test: ['triviaqa_test.jsonl'], sample: ['triviaqa_sample.json'] },
    defaultVariant: 'test',
    toTask: triviaqaTask,
  },
  nq: {
    name: 'nq',
    title: 'NaturalQuestions (NQ-open)',
    taskType: 'qa',
    dir: 'nq',
    distribution: 'ood',
    variants: {
      dev: ['NQ-open.dev.jsonl'],
      'efficientqa-dev': ['NQ-open.efficientqa.dev.1.1.jsonl'],
      'efficientqa-test': ['NQ-open.efficientqa.test.1.1.jsonl'],
    },
    defaultVariant: 'dev',
    toTask: nqTask,
  },
  apps: {
    name: 'apps',
    title: 'APPS (MapCoder selected150)',
    taskType: 'code',
    dir: 'apps',
    distribution: 'ood',
    variants: { selected150: ['selected150.jsonl'] },
    defaultVariant: 'selected150',
    toTask: appsTask,
  },
  ds1000: {
    name: 'ds1000',
    title: 'DS-1000',
    taskType: 'code',
    dir: 'ds1000',
    distribution: 'ood',
    variants: { test: ['ds1000.jsonl.gz'] },
    defaultVariant: 'test',
    toTask: ds1000Task,
    fileEnv: 'FLOWSTEER_DS1000_FILE',
    missingHint:
      'DS-1000 has no data copy in the bench directory (see ds1000/SOURCE.md there: no public copy was reachable); point at a local copy of xlang-ai/DS-1000 data/ds1000.jsonl.gz with FLOWSTEER_DS1000_FILE=/path/to/ds1000.jsonl.gz (or pass it as `file`)',
  },
};

export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

/** Accepts the registry name and a few spellings ("SQuAD-v2", "NaturalQuestions", "math500"). */
export function resolveDatasetName(name: string): { name: DatasetName; variant?: string } | undefined {
  const k = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const aliases: Record<string, { name: DatasetName; variant?: string }> = {
    squad: { name: 'squad_v2' },
    squadv2: { name: 'squad_v2' },
    hotpot: { name: 'hotpotqa' },
    math500: { name: 'math', variant: 'math500' },
    math_500: { name: 'math', variant: 'math500' },
    mbpp_sanitized: { name: 'mbpp', variant: 'sanitized' },
    aime: { name: 'aime2025' },
    aime25: { name: 'aime2025' },
    naturalquestions: { name: 'nq' },
    nq_open: { name: 'nq' },
    ds_1000: { name: 'ds1000' },
  };
  if ((DATASET_NAMES as string[]).includes(k)) return { name: k as DatasetName };
  return aliases[k];
}
