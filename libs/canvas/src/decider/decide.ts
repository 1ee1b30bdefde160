import type { Action } from '../actions/types';
import { describeAction } from '../actions/format';
import { allIds, findNode, nextNodeId, operatorNode, structureNode } from '../graph/nodes';
import type { StructureKind } from '../graph/types';
import { checkOperatorName, checkStructure, type NameRules } from '../graph/validate';
import { findOperator } from '../catalogue';
import { rejection, type Rejection } from '../rejection';
import type { CanvasEvent } from './events';
import { unmetFinishRules } from './finish';
import { catalogueOf, disabledOperators } from './options';
import type { CanvasState, ExecutionResult } from './state';

/** What `decide` accepts: a director/human action, or the result of running the workflow. */
export type CanvasCommand = Action | { type: 'record_execution'; result: ExecutionResult };

export type Decision = { events: CanvasEvent[]; rejection?: undefined } | { rejection: Rejection; events?: undefined };

const reject = (code: Rejection['code'], reason: string, hint = ''): Decision => ({ rejection: rejection(code, reason, hint) });

export function nameRules(state: CanvasState): NameRules {
  return { catalogue: catalogueOf(state.options), disabled: disabledOperators(state.options) };
}

/**
 * The edit rules: the events a command causes, or why it is refused. Pure and total: it never
 * throws and a rejection changes nothing. Turn accounting is `takeTurn`'s job.
 */
export function decide(state: CanvasState, command: CanvasCommand): Decision {
  if (state.phase === 'unopened') return reject('invalid_workflow', 'The canvas is not open yet.', 'Start from initialState(options).');
  if (command.type === 'record_execution') return decideExecution(state, command.result);
  if (state.phase === 'finished') return reject('session_finished', 'The session has finished; no more edits are taken.');
  if (state.phase === 'awaiting_prompt') return decidePrompt(state, command);
  if (command.type === 'prompt') {
    return reject(
      'no_pending_prompt',
      'No node is waiting for a prompt.',
      'To change a prompt use <action>set_prompt</action><target>node_ID</target><prompt>…</prompt>.',
    );
  }
  const rules = nameRules(state);
  switch (command.type) {
    case 'add': {
      const bad = checkOperatorName(rules, command.operator) ?? checkRoom(state);
      if (bad) return { rejection: bad };
      const position = command.position ?? null;
      if (state.options.inlineAddPrompt && command.prompt !== undefined) {
        const badPrompt = checkPrompt(state, command.prompt);
        if (badPrompt) return { rejection: badPrompt };
        return {
          events: [
            { type: 'OperatorInserted', node: operatorNode(nextNodeId(state.graph), command.operator, command.prompt.trim()), position },
          ],
        };
      }
      return { events: [{ type: 'OperatorRequested', operator: command.operator, position }] };
    }
    case 'add_parallel':
      return addStructure(state, rules, 'parallel', command.operators, command.position);
    case 'add_loop':
      return addStructure(state, rules, 'loop', command.operators, command.position, command.count);
    case 'add_conditional':
      return addStructure(
        state,
        rules,
        'conditional',
        command.otherwise ? [command.condition, command.fix, command.otherwise] : [command.condition, command.fix],
        command.position,
      );
    case 'delete': {
      const found = findNode(state.graph, command.target);
      if (!found) return unknownTarget(state, command.target);
      if (found.parent) {
        return reject(
          'child_target',
          `${command.target} is part of ${found.parent.id}; only whole top-level nodes can be deleted.`,
          `Delete ${found.parent.id} instead, or modify ${command.target}.`,
        );
      }
      return { events: [{ type: 'NodeDeleted', target: command.target }] };
    }
    case 'modify': {
      const found = findNode(state.graph, command.target);
      if (!found) return unknownTarget(state, command.target);
      if (found.node.kind !== 'operator') {
        return reject(
          'not_an_operator',
          `${command.target} is a ${found.node.kind} block; only operator nodes can be modified.`,
          'Modify one of its children, or delete it and add a new structure.',
        );
      }
      const bad = checkOperatorName(rules, command.operator);
      if (bad) return { rejection: bad };
      if (found.parent?.kind === 'parallel' && findOperator(rules.catalogue, command.operator)?.allowedInParallel === false) {
        return reject(
          'not_allowed_in_parallel',
          `${command.operator} cannot be a branch of a parallel block.`,
          `Add ${command.operator} after the block instead.`,
        );
      }
      return { events: [{ type: 'ModifyRequested', target: command.target, operator: command.operator }] };
    }
    case 'set_prompt': {
      const found = findNode(state.graph, command.target);
      if (!found) return unknownTarget(state, command.target);
      if (found.node.kind !== 'operator') {
        return reject(
          'not_an_operator',
          `${command.target} is a ${found.node.kind} block; prompts belong to operator nodes.`,
          'Set the prompt of one of its children instead.',
        );
      }
      const bad = checkPrompt(state, command.prompt);
      if (bad) return { rejection: bad };
      return { events: [{ type: 'PromptSet', target: command.target, prompt: command.prompt.trim() }] };
    }
    case 'finish': {
      const unmet = unmetFinishRules(state);
      if (unmet.length > 0) {
        return reject('finish_rejected', `Finish refused: ${unmet.map((u) => u.message).join(' ')}`, `Next, add ${unmet[0]?.suggestion}.`);
      }
      return { events: [{ type: 'FinishAccepted', answer: command.answer ?? null }] };
    }
  }
}

function decidePrompt(state: CanvasState, command: Action): Decision {
  const pending = state.pending;
  if (!pending) return reject('no_pending_prompt', 'No node is waiting for a prompt.');
  if (command.type !== 'prompt') {
    return reject(
      'awaiting_prompt',
      `The canvas is waiting for a prompt (${pendingLabel(state)}); ${describeAction(command)} cannot run now.`,
      'Reply with the prompt text only.',
    );
  }
  const bad = checkPrompt(state, command.prompt);
  if (bad) return { rejection: bad };
  const prompt = command.prompt.trim();
  switch (pending.kind) {
    case 'add': {
      // The name was validated when the add arrived; re-check in case options changed nothing.
      const room = checkRoom(state);
      if (room) return { rejection: room };
      return {
        events: [
          { type: 'OperatorInserted', node: operatorNode(nextNodeId(state.graph), pending.operator, prompt), position: pending.position },
        ],
      };
    }
    case 'modify':
      return { events: [{ type: 'NodeModified', target: pending.target, operator: pending.operator, prompt }] };
    case 'structure': {
      const nodeId = pending.childIds[pending.index];
      if (!nodeId) return reject('no_pending_prompt', 'No child is waiting for a prompt.');
      return { events: [{ type: 'ChildPromptWritten', nodeId, prompt }] };
    }
  }
}

function decideExecution(state: CanvasState, result: ExecutionResult): Decision {
  if (!result || typeof result !== 'object' || !Array.isArray(result.calls))
    return reject('stale_execution', 'The execution result is malformed.');
  if (result.revision !== state.revision) {
    return reject(
      'stale_execution',
      `The execution ran on revision ${result.revision} but the canvas is at revision ${state.revision}.`,
      'Plan and run the workflow again.',
    );
  }
  return { events: [{ type: 'ExecutionRecorded', result }] };
}

function addStructure(
  state: CanvasState,
  rules: NameRules,
  kind: StructureKind,
  operators: string[],
  position?: number,
  count?: number,
): Decision {
  const bad = checkStructure(rules, kind, operators, count) ?? checkRoom(state);
  if (bad) return { rejection: bad };
  const node = structureNode(nextNodeId(state.graph), { kind, operators, count });
  return { events: [{ type: 'StructureInserted', node, position: position ?? null }] };
}

function checkRoom(state: CanvasState): Rejection | null {
  if (state.graph.nodes.length >= state.options.maxNodes) {
    return rejection(
      'too_many_nodes',
      `The workflow already has ${state.graph.nodes.length} top-level nodes (the limit).`,
      'Delete or modify a node, or finish.',
    );
  }
  return null;
}

function checkPrompt(state: CanvasState, prompt: string): Rejection | null {
  const p = prompt.trim();
  if (p.length < state.options.minPromptChars) {
    return rejection(
      'prompt_too_short',
      `The prompt is too short (${p.length} characters; at least ${state.options.minPromptChars}).`,
      'Write 1-3 sentences saying what this step must do and output.',
    );
  }
  if (p.length > state.options.maxPromptChars) {
    return rejection(
      'prompt_too_long',
      `The prompt is too long (${p.length} characters; at most ${state.options.maxPromptChars}).`,
      'Say only the method and the output form, in 1-3 sentences.',
    );
  }
  return null;
}

function unknownTarget(state: CanvasState, target: string): Decision {
  const ids = allIds(state.graph);
  return reject(
    'unknown_target',
    `There is no node ${JSON.stringify(target.length > 40 ? `${target.slice(0, 40)}…` : target)}.`,
    ids.length > 0 ? `Existing nodes: ${ids.join(', ')}.` : 'The workflow is empty; add an operator first.',
  );
}

/** "Programmer for node_4" / "prompt 2/3 for node_4_p1 (Custom)". */
export function pendingLabel(state: CanvasState): string {
  const p = state.pending;
  if (!p) return 'nothing';
  switch (p.kind) {
    case 'add':
      return `the new ${p.operator}`;
    case 'modify':
      return `${p.target}, becoming ${p.operator}`;
    case 'structure': {
      const id = p.childIds[p.index] ?? '?';
      const found = findNode(state.graph, id);
      const op = found?.node.kind === 'operator' ? found.node.operator : '?';
      return `${op} at ${id}, ${p.index + 1}/${p.childIds.length} of ${p.parentId}`;
    }
  }
}
