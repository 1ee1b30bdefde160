import type { WorkflowFeatures } from './workflow-features';

/** The operator count from which the "enough operators" term is earned (spec §4.2). */
export const MIN_OPERATORS_FOR_DIVERSITY = 6;

/** Weights of the four diversity terms, in tenths so that sums are exact (0.2, 0.2, 0.2, 0.4). */
const TENTHS = { checker: 2, format: 2, operators: 2, structure: 4 } as const;

export interface DiversityParts {
  hasChecker: boolean;
  hasFormat: boolean;
  hasEnoughOperators: boolean;
  hasStructure: boolean;
  operatorCount: number;
  /** `min(1, 0.2·checker + 0.2·format + 0.2·(ops ≥ 6) + 0.4·structure)`: one of 0, 0.2, …, 1. */
  diversity: number;
}

/** The structural (diversity) reward of a final workflow. */
export function diversityReward(features: WorkflowFeatures): DiversityParts {
  const operatorCount = features.operators.length;
  const hasEnoughOperators = operatorCount >= MIN_OPERATORS_FOR_DIVERSITY;
  const tenths =
    (features.hasChecker ? TENTHS.checker : 0) +
    (features.hasFormat ? TENTHS.format : 0) +
    (hasEnoughOperators ? TENTHS.operators : 0) +
    (features.hasStructure ? TENTHS.structure : 0);
  return {
    hasChecker: features.hasChecker,
    hasFormat: features.hasFormat,
    hasEnoughOperators,
    hasStructure: features.hasStructure,
    operatorCount,
    diversity: Math.min(10, tenths) / 10,
  };
}
