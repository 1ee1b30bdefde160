import type { Catalogue } from '../catalogue';
import { findOperator } from '../catalogue';
import { serializeDsl } from './dsl-serialize';
import { allOperators } from './nodes';
import type { Graph } from './types';

export interface GraphStatistics {
  /** Operators counted with repeats, children included (a loop's body counts once). */
  totalOperators: number;
  uniqueTypes: number;
  /** Operator name -> how many nodes use it. */
  operatorCounts: Record<string, number>;
  topLevelNodes: number;
  hasParallel: boolean;
  hasConditional: boolean;
  hasLoop: boolean;
  /** parallel + conditional + loop nodes. Loops count as structure (DESIGN §6). */
  structures: number;
  hasSolver: boolean;
  hasChecker: boolean;
  dslLength: number;
}

export function graphStatistics(graph: Graph, catalogue: Catalogue): GraphStatistics {
  const ops = allOperators(graph);
  const operatorCounts: Record<string, number> = {};
  for (const op of ops) operatorCounts[op.operator] = (operatorCounts[op.operator] ?? 0) + 1;
  const kinds = graph.nodes.map((n) => n.kind);
  const specs = ops.map((o) => findOperator(catalogue, o.operator));
  return {
    totalOperators: ops.length,
    uniqueTypes: Object.keys(operatorCounts).length,
    operatorCounts,
    topLevelNodes: graph.nodes.length,
    hasParallel: kinds.includes('parallel'),
    hasConditional: kinds.includes('conditional'),
    hasLoop: kinds.includes('loop'),
    structures: kinds.filter((k) => k !== 'operator').length,
    hasSolver: specs.some((s) => s?.solver === true),
    hasChecker: specs.some((s) => s?.passField !== undefined),
    dslLength: serializeDsl(graph).length,
  };
}
