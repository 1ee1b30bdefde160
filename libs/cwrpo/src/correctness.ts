import { CwrpoError, requireFinite } from './errors';

/**
 * A scored answer as the scorers (libs/bench) and the session report it: named metric values and
 * an optional headline value in [0, 1]. `SessionScore` from @flowsteer/contracts fits this shape.
 */
export interface ScoreInput {
  metrics?: Readonly<Record<string, number | boolean>>;
  primary?: number;
}

/** Metric names read per task type, first present wins; `primary` is the last resort. */
export const CORRECTNESS_METRICS: Readonly<Record<'qa' | 'code' | 'binary', readonly string[]>> = {
  qa: ['f1'],
  code: ['passed', 'pass@1', 'correct'],
  binary: ['correct', 'accuracy', 'em', 'exact_match'],
};

function metricsFor(taskType: string): { names: readonly string[]; continuous: boolean } {
  if (taskType === 'qa') return { names: CORRECTNESS_METRICS.qa, continuous: true };
  if (taskType === 'code') return { names: CORRECTNESS_METRICS.code, continuous: false };
  // math, multiple-choice and anything else are right or wrong (the reference scores unknown types like math).
  return { names: CORRECTNESS_METRICS.binary, continuous: false };
}

function asUnitNumber(value: number | boolean, what: string): number {
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : requireFinite(value, what);
  if (n < 0 || n > 1) throw new CwrpoError(`${what} must lie in [0, 1], got ${n}`);
  return n;
}

/**
 * The correctness reward R_ans in [0, 1] from an already computed score:
 * - `qa`: the F1 value itself (continuous);
 * - `code`: 1 when the held-out tests passed, else 0;
 * - `math`, `multiple-choice` and other types: 1 when the answer is correct, else 0.
 * A binary value counts as correct only when it is 1 (a partial pass rate such as 0.67 gives 0).
 */
export function correctnessReward(taskType: string, score: ScoreInput): number {
  const { names, continuous } = metricsFor(taskType);
  let raw: number | boolean | undefined;
  let source = '';
  for (const name of names) {
    const v = score.metrics?.[name];
    if (v !== undefined) {
      raw = v;
      source = `metric "${name}"`;
      break;
    }
  }
  if (raw === undefined && score.primary !== undefined) {
    raw = score.primary;
    source = 'primary score';
  }
  if (raw === undefined) {
    throw new CwrpoError(
      `no correctness value for a ${taskType} task: pass one of the metrics ${names.map((n) => `"${n}"`).join(', ')} or a primary score`,
    );
  }
  const value = asUnitNumber(raw, `${taskType} ${source}`);
  if (continuous) return value;
  return value >= 1 - 1e-9 ? 1 : 0;
}
