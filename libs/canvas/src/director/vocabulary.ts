import { catalogueVocabulary, type ActionVocabulary } from '../actions/vocabulary';
import { unmetFinishRules } from '../decider/finish';
import { catalogueOf, disabledOperators } from '../decider/options';
import type { CanvasState } from '../decider/state';
import { allOperators } from '../graph/nodes';

/**
 * What the canvas would accept now, for a state-aware grammar: existing node ids as targets,
 * disabled operators left out, adds left out at the node limit, finish only when its rules hold.
 */
export function actionVocabulary(state: CanvasState): ActionVocabulary {
  const base = catalogueVocabulary(catalogueOf(state.options), disabledOperators(state.options));
  return {
    ...base,
    deleteTargets: state.graph.nodes.map((n) => n.id),
    operatorTargets: allOperators(state.graph).map((n) => n.id),
    allowFinish: unmetFinishRules(state).length === 0,
    allowAdd: state.graph.nodes.length < state.options.maxNodes,
  };
}
