import type { CanvasNode, Graph } from './types';

/** The DSL text of one top-level node (spec §1.1). */
export function nodeToDsl(node: CanvasNode): string {
  switch (node.kind) {
    case 'operator':
      return node.operator;
    case 'parallel':
      return `[${node.branches.map((b) => b.operator).join(', ')}]`;
    case 'conditional':
      return `${node.condition.operator} ? ${node.fix.operator} : ${node.otherwise ? node.otherwise.operator : 'done'}`;
    case 'loop':
      return `(${node.body.map((b) => b.operator).join(' -> ')}) * ${node.count}`;
  }
}

/**
 * The DSL text of a graph: `Plan -> [Programmer, Custom] -> ScEnsemble -> Review ? Revise : done -> Format`,
 * loops `(A -> B) * n`. The empty graph is the empty string.
 */
export function serializeDsl(graph: Graph): string {
  return graph.nodes.map(nodeToDsl).join(' -> ');
}
