import type { TextValue } from '@flowsteer/contracts';
import { pendingLabel } from '../decider/decide';
import { catalogueOf } from '../decider/options';
import type { CanvasState, ExecutionResult } from '../decider/state';
import { serializeDsl } from '../graph/dsl-serialize';
import { graphStatistics, type GraphStatistics } from '../graph/statistics';
import type { CanvasNode } from '../graph/types';
import { formatNextStep, recommendNext } from './recommend';

/** What the `canvas` query returns: small, plain, enough for the UI and the CLI. */
export interface CanvasView {
  phase: CanvasState['phase'];
  turn: number;
  maxTurns: number;
  dsl: string;
  nodes: CanvasNode[];
  statistics: GraphStatistics;
  pending: string | null;
  next: string;
  blockFinish: boolean;
  lastExecution: ExecutionResult | null;
  answer: TextValue | null;
}

export function canvasView(state: CanvasState): CanvasView {
  const rec = recommendNext(state);
  return {
    phase: state.phase,
    turn: state.turn,
    maxTurns: state.options.maxTurns,
    dsl: serializeDsl(state.graph),
    nodes: state.graph.nodes,
    statistics: graphStatistics(state.graph, catalogueOf(state.options)),
    pending: state.pending ? pendingLabel(state) : null,
    next: formatNextStep(rec.next),
    blockFinish: rec.blockFinish,
    lastExecution: state.lastExecution,
    answer: finalAnswer(state),
  };
}

/**
 * The session's answer: the output of the last execution when it succeeded; null when it failed or
 * never ran (a failure is never turned into an answer). The finish `<answer>` is not scored.
 */
export function finalAnswer(state: CanvasState): TextValue | null {
  return state.lastExecution?.ok ? state.lastExecution.answer : null;
}
