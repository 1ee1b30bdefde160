/**
 * The canvas graph: an ordered list of top-level nodes run left to right (spec §1.1). Structures
 * hold plain operator children only; they never nest. Every value is plain JSON.
 */

export interface OperatorNode {
  kind: 'operator';
  id: string;
  operator: string;
  /** The director's prompt for this node; null until written (structure children, loaded DSL). */
  prompt: string | null;
}

export interface ParallelNode {
  kind: 'parallel';
  id: string;
  /** Two or more branches, run concurrently on the same input. */
  branches: OperatorNode[];
}

/**
 * `Check ? Fix : Otherwise` (DSL) — the check runs first; **`fix` runs when the check fails**,
 * `otherwise` when it passes (`null` = `done`: the checked solution passes through). On the wire
 * the fix is the `<true>` tag and the otherwise branch the `<false>` tag.
 */
export interface ConditionalNode {
  kind: 'conditional';
  id: string;
  condition: OperatorNode;
  fix: OperatorNode;
  otherwise: OperatorNode | null;
}

export interface LoopNode {
  kind: 'loop';
  id: string;
  /** One or more operators repeated `count` times in order, each pass fed the previous output. */
  body: OperatorNode[];
  count: number;
}

export type StructureNode = ParallelNode | ConditionalNode | LoopNode;
export type CanvasNode = OperatorNode | StructureNode;
export type StructureKind = StructureNode['kind'];

export interface Graph {
  nodes: CanvasNode[];
  /** The number the next top-level node gets (`node_<nextId>`); only ever grows. */
  nextId: number;
}

export const EMPTY_GRAPH: Graph = { nodes: [], nextId: 1 };

/** Loop counts the canvas accepts (spec §1.2). */
export const LOOP_COUNT = { min: 1, max: 10, default: 3 } as const;
