import type { RewardParts } from '@flowsteer/contracts';
import { diversityReward } from './diversity';
import { CwrpoError, requireFinite } from './errors';
import { analyseWorkflowDsl, type AnalyseOptions, type WorkflowFeatures } from './workflow-features';

/** The base reward every trajectory starts from. */
export const BASE_REWARD = -1;

export type RewardOptions = AnalyseOptions;

/**
 * The CWRPO reward `R = -1 + R_div + [R_div = 1]·R_ans` with every part reported.
 *
 * @param workflow the final workflow as DSL text, or its features (e.g. from canvas statistics)
 * @param correctness R_ans in [0, 1] (see `correctnessReward`); it only counts once R_div = 1
 */
export function computeReward(workflow: string | WorkflowFeatures, correctness: number, options: RewardOptions = {}): RewardParts {
  requireFinite(correctness, 'correctness');
  if (correctness < 0 || correctness > 1) {
    throw new CwrpoError(`correctness must lie in [0, 1], got ${correctness}`);
  }
  const features = typeof workflow === 'string' ? analyseWorkflowDsl(workflow, options) : workflow;
  const div = diversityReward(features);
  const released = div.diversity >= 1;
  const answer = released ? correctness : 0;
  return {
    base: BASE_REWARD,
    diversity: div.diversity,
    hasChecker: div.hasChecker,
    hasFormat: div.hasFormat,
    hasEnoughOperators: div.hasEnoughOperators,
    hasStructure: div.hasStructure,
    operatorCount: div.operatorCount,
    correctness,
    released,
    answer,
    total: BASE_REWARD + div.diversity + answer,
  };
}
