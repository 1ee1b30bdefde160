/** Which scorer a dataset (or a `metric` name in a predictions file) uses. */
import type { BenchTaskType } from '@flowsteer/contracts';

export type ScorerKind = 'gsm8k' | 'math' | 'aime' | 'mathqa' | 'squad_v2' | 'hotpotqa' | 'triviaqa' | 'nq' | 'code';

export const SCORER_KINDS: readonly ScorerKind[] = ['gsm8k', 'math', 'aime', 'mathqa', 'squad_v2', 'hotpotqa', 'triviaqa', 'nq', 'code'];

const BY_NAME: Record<string, ScorerKind> = {
  gsm8k: 'gsm8k',
  math: 'math',
  math500: 'math',
  aime2025: 'aime',
  aime: 'aime',
  mathqa: 'mathqa',
  squad_v2: 'squad_v2',
  squad: 'squad_v2',
  hotpotqa: 'hotpotqa',
  hotpot: 'hotpotqa',
  triviaqa: 'triviaqa',
  nq: 'nq',
  nq_open: 'nq',
  naturalquestions: 'nq',
  mbpp: 'code',
  humaneval: 'code',
  apps: 'code',
  ds1000: 'code',
  // metric names accepted in predictions files
  em_f1: 'squad_v2',
  math_equiv: 'math',
  integer: 'aime',
  option: 'mathqa',
  choice: 'mathqa',
  pass_at_1: 'code',
};

/** Lower-cased, `-` and spaces as `_`: "SQuAD-v2" -> "squad_v2". */
function key(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** The scorer of a dataset or metric name; undefined when unknown. */
export function scorerKindFor(name: string): ScorerKind | undefined {
  return BY_NAME[key(name)];
}

/** Fallback by task type for datasets the table does not know. */
export function scorerKindForTaskType(taskType: BenchTaskType): ScorerKind {
  switch (taskType) {
    case 'math':
      return 'math';
    case 'qa':
      return 'squad_v2';
    case 'multiple-choice':
      return 'mathqa';
    case 'code':
      return 'code';
  }
}

/** The paper's headline metric of each scorer (the key in `metrics`). */
export const PRIMARY_METRIC: Record<ScorerKind, string> = {
  gsm8k: 'accuracy',
  math: 'accuracy',
  aime: 'accuracy',
  mathqa: 'accuracy',
  squad_v2: 'em',
  hotpotqa: 'em',
  triviaqa: 'em',
  nq: 'em',
  code: 'pass@1',
};
