import type { CanvasNode, ConditionalNode, Graph, OperatorNode, StructureKind } from './types';

/** The operator children of a node in build order (the node itself for an operator node). */
export function operatorsOf(node: CanvasNode): OperatorNode[] {
  switch (node.kind) {
    case 'operator':
      return [node];
    case 'parallel':
      return node.branches;
    case 'conditional':
      return node.otherwise ? [node.condition, node.fix, node.otherwise] : [node.condition, node.fix];
    case 'loop':
      return node.body;
  }
}

/** Every operator node of the graph, top-level order, children in build order. */
export function allOperators(graph: Graph): OperatorNode[] {
  return graph.nodes.flatMap(operatorsOf);
}

export interface Located {
  node: CanvasNode;
  /** Index of the top-level node that is or holds it. */
  index: number;
  /** The top-level structure that holds it; absent for a top-level node. */
  parent?: CanvasNode;
}

/** Finds a node (top-level or child) by id. */
export function findNode(graph: Graph, id: string): Located | undefined {
  for (let index = 0; index < graph.nodes.length; index++) {
    const node = graph.nodes[index] as CanvasNode;
    if (node.id === id) return { node, index };
    if (node.kind !== 'operator') {
      const child = operatorsOf(node).find((c) => c.id === id);
      if (child) return { node: child, index, parent: node };
    }
  }
  return undefined;
}

/** Every node id in the graph, top-level and children. */
export function allIds(graph: Graph): string[] {
  return graph.nodes.flatMap((n) => (n.kind === 'operator' ? [n.id] : [n.id, ...operatorsOf(n).map((c) => c.id)]));
}

/** A fresh operator node. */
export function operatorNode(id: string, operator: string, prompt: string | null = null): OperatorNode {
  return { kind: 'operator', id, operator, prompt };
}

export interface StructureSpec {
  kind: StructureKind;
  /** parallel branches / loop body, or [condition, fix, otherwise?] for a conditional. */
  operators: string[];
  count?: number;
}

/** Builds a structure node with child ids derived from its parent id (`node_k_p0`, `node_k_cond`, `node_k_l0`). */
export function structureNode(id: string, spec: StructureSpec): CanvasNode {
  switch (spec.kind) {
    case 'parallel':
      return { kind: 'parallel', id, branches: spec.operators.map((op, i) => operatorNode(`${id}_p${i}`, op)) };
    case 'loop':
      return { kind: 'loop', id, count: spec.count ?? 3, body: spec.operators.map((op, i) => operatorNode(`${id}_l${i}`, op)) };
    case 'conditional': {
      const [condition = '', fix = '', otherwise] = spec.operators;
      const node: ConditionalNode = {
        kind: 'conditional',
        id,
        condition: operatorNode(`${id}_cond`, condition),
        fix: operatorNode(`${id}_true`, fix),
        otherwise: otherwise ? operatorNode(`${id}_false`, otherwise) : null,
      };
      return node;
    }
  }
}

/** The same node with the operator child `childId` replaced by `update(child)`. */
export function mapOperator(node: CanvasNode, childId: string, update: (n: OperatorNode) => OperatorNode): CanvasNode {
  const apply = (n: OperatorNode) => (n.id === childId ? update(n) : n);
  switch (node.kind) {
    case 'operator':
      return apply(node);
    case 'parallel':
      return { ...node, branches: node.branches.map(apply) };
    case 'loop':
      return { ...node, body: node.body.map(apply) };
    case 'conditional':
      return { ...node, condition: apply(node.condition), fix: apply(node.fix), otherwise: node.otherwise ? apply(node.otherwise) : null };
  }
}

/** The graph with the operator node `id` (top-level or child) replaced by `update(node)`. */
export function updateOperator(graph: Graph, id: string, update: (n: OperatorNode) => OperatorNode): Graph {
  const found = findNode(graph, id);
  if (!found || found.node.kind !== 'operator') return graph;
  const nodes = graph.nodes.slice();
  nodes[found.index] = mapOperator(nodes[found.index] as CanvasNode, id, update);
  return { ...graph, nodes };
}

/** Inserts a top-level node at `position` (0-based; missing or past the end = append). */
export function insertNode(graph: Graph, node: CanvasNode, position: number | null | undefined, nextId: number): Graph {
  const nodes = graph.nodes.slice();
  const at = position === null || position === undefined || position > nodes.length || position < 0 ? nodes.length : position;
  nodes.splice(at, 0, node);
  return { nodes, nextId: Math.max(nextId, graph.nextId) };
}

/** Removes a top-level node by id. */
export function removeNode(graph: Graph, id: string): Graph {
  return { ...graph, nodes: graph.nodes.filter((n) => n.id !== id) };
}

/** The id the next top-level node gets. */
export function nextNodeId(graph: Graph): string {
  return `node_${graph.nextId}`;
}
