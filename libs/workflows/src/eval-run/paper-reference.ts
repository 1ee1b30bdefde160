/**
 * The paper's published FlowSteer scores (Qwen3-8B director; flowsteer-spec.md §8.1), in percent,
 * and how each dataset is shown in the results table. The reference column of every report.
 */
export interface DatasetColumn {
  /** Column title in the paper's table. */
  title: string;
  /** Metrics shown in the column, in order (`EM / F1` for open QA). */
  metrics: string[];
  /** Metric families the dataset's scorer has besides canonical and FlowSteer-compatible (libs/bench README). */
  families?: ('lenient' | 'symbolic')[];
}

const QA = ['em', 'f1'];
const ACC = ['accuracy'];
const MATHY: DatasetColumn['families'] = ['lenient', 'symbolic'];

export const DATASET_COLUMNS: Record<string, DatasetColumn> = {
  gsm8k: { title: 'GSM8K', metrics: ACC, families: ['lenient'] },
  math: { title: 'MATH', metrics: ACC, families: MATHY },
  math500: { title: 'MATH', metrics: ACC, families: MATHY },
  hotpotqa: { title: 'HotPotQA', metrics: QA },
  squad_v2: { title: 'SQuAD v2', metrics: QA },
  mbpp: { title: 'MBPP', metrics: ['pass@1'] },
  humaneval: { title: 'HumanEval', metrics: ['pass@1'] },
  mathqa: { title: 'MathQA', metrics: ACC, families: MATHY },
  aime2025: { title: 'AIME25', metrics: ACC, families: MATHY },
  triviaqa: { title: 'TriviaQA', metrics: QA },
  nq: { title: 'NQ', metrics: QA },
  apps: { title: 'APPS', metrics: ['pass@1'] },
  ds1000: { title: 'DS-1000', metrics: ['pass@1'] },
};

/** Paper order of the columns (spec §8.1). */
export const PAPER_ORDER = [
  'gsm8k',
  'math',
  'math500',
  'hotpotqa',
  'squad_v2',
  'mbpp',
  'humaneval',
  'mathqa',
  'aime2025',
  'triviaqa',
  'nq',
  'apps',
  'ds1000',
];

export const PAPER_FLOWSTEER: Record<string, Record<string, number>> = {
  gsm8k: { accuracy: 96.09 },
  math: { accuracy: 81.25 },
  hotpotqa: { em: 78.12, f1: 84.98 },
  squad_v2: { em: 78.12, f1: 83.67 },
  mbpp: { 'pass@1': 84.38 },
  humaneval: { 'pass@1': 92.96 },
  mathqa: { accuracy: 88.67 },
  aime2025: { accuracy: 26.67 },
  triviaqa: { em: 79.69, f1: 84.11 },
  nq: { em: 54.69, f1: 62.56 },
  apps: { 'pass@1': 49.21 },
  ds1000: { 'pass@1': 58.59 },
};

export function datasetColumn(dataset: string): DatasetColumn {
  return DATASET_COLUMNS[dataset] ?? { title: dataset, metrics: ['primary'] };
}

/** The paper's numbers for the datasets of a run (MATH-500 is compared with the paper's MATH). */
export function paperReferenceFor(datasets: readonly string[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const d of datasets) {
    const ref = PAPER_FLOWSTEER[d === 'math500' ? 'math' : d];
    if (ref) out[d] = ref;
  }
  return out;
}
