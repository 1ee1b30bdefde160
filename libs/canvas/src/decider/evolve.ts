import { findOperator } from '../catalogue';
import { findNode, insertNode, operatorsOf, removeNode, updateOperator } from '../graph/nodes';
import { EMPTY_GRAPH } from '../graph/types';
import type { CanvasEvent } from './events';
import { catalogueOf, resolveOptions } from './options';
import type { CacheEntry, CanvasState, TurnRecord } from './state';

/** The state before `CanvasOpened`: every fold starts here. */
export const EMPTY_STATE: CanvasState = {
  phase: 'unopened',
  options: resolveOptions({ problem: '' }),
  graph: EMPTY_GRAPH,
  pending: null,
  turn: 0,
  revision: 0,
  needsExecution: false,
  lastExecution: null,
  lastSolverResult: null,
  cache: {},
  history: [],
  errorStreak: 0,
  finishAnswer: null,
};

/**
 * Turn records the state keeps (feedback reads the last few, the full-history prompt all of them).
 * Bounded so the state stays a small snapshot a long session can carry when it continues as new;
 * the whole transcript lives in the session's stored segments.
 */
export const MAX_HISTORY = 100;

/**
 * Applies one event. Pure and total: an event that does not fit the state (which `decide` never
 * produces) leaves the state as it is rather than throwing.
 */
export function evolve(state: CanvasState, event: CanvasEvent): CanvasState {
  switch (event.type) {
    case 'CanvasOpened':
      return { ...EMPTY_STATE, phase: 'building', options: resolveOptions(event.options) };
    case 'WorkflowLoaded':
      return {
        ...state,
        graph: { nodes: event.nodes, nextId: Math.max(event.nextId, state.graph.nextId) },
        revision: state.revision + 1,
        needsExecution: event.nodes.length > 0,
        cache: {},
      };
    case 'TurnTaken': {
      const turn = event.actor === 'director' ? state.turn + 1 : state.turn;
      const record: TurnRecord = {
        turn,
        actor: event.actor,
        text: event.text,
        summary: event.summary,
        action: event.action,
        accepted: event.rejection === null,
        rejection: event.rejection,
        notes: event.notes,
        execution: null,
      };
      return { ...state, turn, history: [...state.history, record].slice(-MAX_HISTORY) };
    }
    case 'OperatorRequested':
      return { ...state, phase: 'awaiting_prompt', pending: { kind: 'add', operator: event.operator, position: event.position } };
    case 'OperatorInserted':
      return {
        ...state,
        phase: 'building',
        pending: null,
        graph: insertNode(state.graph, event.node, event.position, state.graph.nextId + 1),
        revision: state.revision + 1,
        needsExecution: true,
      };
    case 'StructureInserted': {
      const childIds = operatorsOf(event.node).map((c) => c.id);
      return {
        ...state,
        phase: 'awaiting_prompt',
        pending: { kind: 'structure', parentId: event.node.id, childIds, index: 0 },
        graph: insertNode(state.graph, event.node, event.position, state.graph.nextId + 1),
        revision: state.revision + 1,
        needsExecution: false,
      };
    }
    case 'ChildPromptWritten': {
      if (state.pending?.kind !== 'structure') return state;
      const index = state.pending.index + 1;
      const done = index >= state.pending.childIds.length;
      return {
        ...state,
        graph: updateOperator(state.graph, event.nodeId, (n) => ({ ...n, prompt: event.prompt })),
        phase: done ? 'building' : 'awaiting_prompt',
        pending: done ? null : { ...state.pending, index },
        revision: state.revision + 1,
        needsExecution: done,
      };
    }
    case 'ModifyRequested':
      return { ...state, phase: 'awaiting_prompt', pending: { kind: 'modify', target: event.target, operator: event.operator } };
    case 'NodeModified':
      return {
        ...state,
        phase: 'building',
        pending: null,
        graph: updateOperator(state.graph, event.target, (n) => ({ ...n, operator: event.operator, prompt: event.prompt })),
        revision: state.revision + 1,
        needsExecution: true,
      };
    case 'NodeDeleted': {
      const found = findNode(state.graph, event.target);
      if (!found || found.parent) return state;
      const gone = new Set([found.node.id, ...operatorsOf(found.node).map((c) => c.id)]);
      const graph = removeNode(state.graph, event.target);
      const cache: Record<string, CacheEntry> = {};
      for (const [k, v] of Object.entries(state.cache)) if (!gone.has(v.nodeId)) cache[k] = v;
      const empty = graph.nodes.length === 0;
      return {
        ...state,
        graph,
        cache,
        revision: state.revision + 1,
        needsExecution: !empty,
        lastExecution: empty ? null : state.lastExecution,
        lastSolverResult: empty ? null : state.lastSolverResult,
      };
    }
    case 'PromptSet':
      return {
        ...state,
        graph: updateOperator(state.graph, event.target, (n) => ({ ...n, prompt: event.prompt })),
        revision: state.revision + 1,
        needsExecution: true,
      };
    case 'FinishAccepted':
      return { ...state, phase: 'finished', pending: null, needsExecution: false, finishAnswer: event.answer };
    case 'ExecutionRecorded': {
      const result = event.result;
      const cache = { ...state.cache };
      for (const call of result.calls) {
        if (call.ok && call.text !== null) {
          cache[call.callId] = {
            nodeId: call.nodeId,
            operator: call.operator,
            cacheKey: call.cacheKey,
            text: call.text,
            passed: call.passed,
            feedback: call.feedback,
          };
        }
      }
      const last = result.calls[result.calls.length - 1];
      const producesAnswer = last ? findOperator(catalogueOf(state.options), last.operator)?.producesAnswer === true : false;
      const history = state.history.slice();
      const lastTurn = history[history.length - 1];
      if (lastTurn) history[history.length - 1] = { ...lastTurn, execution: { ok: result.ok, answer: result.answer, error: result.error } };
      return {
        ...state,
        cache,
        history,
        lastExecution: result,
        lastSolverResult: result.ok && producesAnswer ? result.answer : state.lastSolverResult,
        needsExecution: result.revision === state.revision ? false : state.needsExecution,
        errorStreak: result.ok ? 0 : state.errorStreak + 1,
      };
    }
  }
}

/** Folds events over a start state (default: the unopened canvas). */
export function replay(events: readonly CanvasEvent[], from: CanvasState = EMPTY_STATE): CanvasState {
  return events.reduce(evolve, from);
}

/** The name for `evolve`: the reducer over `CanvasEvent`s. */
export const reduce = evolve;
