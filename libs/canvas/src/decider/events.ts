import type { Action } from '../actions/types';
import type { CanvasNode, OperatorNode } from '../graph/types';
import type { Rejection } from '../rejection';
import type { CanvasOptions } from './options';
import type { ExecutionResult } from './state';

/**
 * Everything that happens to a canvas. Events carry every value `evolve` needs (new ids included),
 * so the fold never has to decide anything.
 */
export type CanvasEvent =
  | { type: 'CanvasOpened'; options: CanvasOptions }
  | { type: 'WorkflowLoaded'; nodes: CanvasNode[]; nextId: number }
  | {
      type: 'TurnTaken';
      actor: 'director' | 'human';
      text: string;
      summary: string;
      action: Action | null;
      rejection: Rejection | null;
      notes: string[];
    }
  /** Step one of a single-operator add: the canvas now waits for the node prompt. */
  | { type: 'OperatorRequested'; operator: string; position: number | null }
  /** Step two: the operator enters the graph with its prompt. */
  | { type: 'OperatorInserted'; node: OperatorNode; position: number | null }
  /** A structure enters the graph at once; its children's prompts are collected next. */
  | { type: 'StructureInserted'; node: CanvasNode; position: number | null }
  | { type: 'ChildPromptWritten'; nodeId: string; prompt: string }
  | { type: 'ModifyRequested'; target: string; operator: string }
  | { type: 'NodeModified'; target: string; operator: string; prompt: string }
  | { type: 'NodeDeleted'; target: string }
  | { type: 'PromptSet'; target: string; prompt: string }
  | { type: 'FinishAccepted'; answer: string | null }
  | { type: 'ExecutionRecorded'; result: ExecutionResult };

export type CanvasEventType = CanvasEvent['type'];
