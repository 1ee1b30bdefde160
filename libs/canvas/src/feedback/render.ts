import { findOperator } from '../catalogue';
import { pendingLabel } from '../decider/decide';
import { catalogueOf, taskFamily } from '../decider/options';
import type { CanvasState, ExecutionResult, TurnRecord } from '../decider/state';
import { serializeDsl } from '../graph/dsl-serialize';
import { findNode, operatorsOf } from '../graph/nodes';
import { graphStatistics } from '../graph/statistics';
import type { CanvasNode, OperatorNode } from '../graph/types';
import { clip, clipMiddle, oneLine } from '../util/text';
import { formatNextStep, recommendNext } from './recommend';

/**
 * The observation the director reads after each turn, wrapped in `<feedback>…</feedback>` with
 * one `[Key]: value` line per fact. Which sections appear depends on what the turn did: a prompt
 * request while a node waits for its prompt; otherwise the turn's status, the control signals
 * (`[BLOCK_FINISH]`, `[NEXT]`, `[REASON]`), the execution result or error, the workflow, statistics,
 * recent actions and the round counter.
 */
export function renderFeedback(state: CanvasState): string {
  const lines = state.phase === 'awaiting_prompt' ? promptRequest(state) : turnReport(state);
  return `<feedback>\n${lines.join('\n')}\n</feedback>`;
}

function lastTurn(state: CanvasState): TurnRecord | undefined {
  return state.history[state.history.length - 1];
}

function round(state: CanvasState): string {
  return `[Round]: ${state.turn}/${state.options.maxTurns}`;
}

/** `node_1: Plan; node_2: parallel [node_2_p0 Programmer, node_2_p1 Custom]; …` */
export function describeNodes(nodes: readonly CanvasNode[]): string {
  if (nodes.length === 0) return '(none)';
  const child = (c: OperatorNode) => `${c.id} ${c.operator}${c.prompt === null ? ' (no prompt)' : ''}`;
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'operator':
          return `${n.id}: ${n.operator}${n.prompt === null ? ' (no prompt)' : ''}`;
        case 'parallel':
          return `${n.id}: parallel [${n.branches.map(child).join(', ')}]`;
        case 'conditional':
          return `${n.id}: conditional [check ${child(n.condition)}; if it fails ${child(n.fix)}; else ${n.otherwise ? child(n.otherwise) : 'done'}]`;
        case 'loop':
          return `${n.id}: loop x${n.count} [${n.body.map(child).join(' -> ')}]`;
      }
    })
    .join('; ');
}

function statsLine(state: CanvasState): string[] {
  const s = graphStatistics(state.graph, catalogueOf(state.options));
  const kinds = [s.hasParallel && 'parallel', s.hasConditional && 'conditional', s.hasLoop && 'loop'].filter(Boolean);
  return [
    `[Statistics]: ${plural(s.totalOperators, 'operator')}, ${plural(s.uniqueTypes, 'distinct type')}, ${plural(s.topLevelNodes, 'top-level node')}`,
    ...(kinds.length > 0 ? [`[Structures]: ${kinds.join(', ')}`] : []),
  ];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function executionLines(state: CanvasState, exec: ExecutionResult): string[] {
  const out: string[] = [];
  if (!exec.ok) {
    out.push(`[Execution Error]: ${clip(oneLine(exec.error ?? 'unknown error'), 400)}`);
    out.push(`[Fix Suggestion]: ${fixSuggestion(exec.error ?? '')}`);
  } else {
    out.push(`[Problem]: ${clip(oneLine(state.options.problem), 200)}`);
    out.push(`[Execution Result]: ${clip(oneLine(exec.answer ?? ''), 300)}`);
  }
  const ran = exec.calls.filter((c) => !c.cached).length;
  const cached = exec.calls.length - ran;
  out.push(`[Calls]: ${ran} run, ${cached} reused from the cache`);
  for (const b of exec.branches) {
    out.push(
      `[Check ${b.nodeId}]: ${b.passed ? 'passed' : 'failed'}; ${b.ran === 'fix' ? 'the fix branch ran' : b.ran === 'otherwise' ? 'the else branch ran' : 'the answer passed through'}`,
    );
  }
  const checks = exec.calls.filter((c) => c.passed !== null && !exec.branches.some((b) => c.nodeId === `${b.nodeId}_cond`));
  for (const c of checks.slice(-2)) {
    out.push(`[${c.operator} ${c.nodeId}]: ${c.passed ? 'passed' : 'failed'}${c.feedback ? ` - ${clip(oneLine(c.feedback), 200)}` : ''}`);
  }
  const catalogue = catalogueOf(state.options);
  const plan = exec.calls.find((c) => c.operator === 'Plan' || c.operator === 'Decompose');
  if (plan?.text && findOperator(catalogue, plan.operator)) {
    out.push(`[${plan.operator === 'Plan' ? 'Plan Steps' : 'Sub-problems'}]: ${clip(oneLine(plan.text), 300)}`);
  }
  const prev = exec.calls[exec.calls.length - 2];
  if (prev?.text && exec.ok) out.push(`[Previous Step Output]: ${prev.nodeId} ${prev.operator}: ${clip(oneLine(prev.text), 200)}`);
  return out;
}

function fixSuggestion(error: string): string {
  if (/timed? ?out|timeout/i.test(error)) return 'A step ran too long: simplify the failing step or its prompt.';
  if (/AssertionError|tests? failed/i.test(error)) return 'The code fails its tests: let a Test decide whether a Programmer rewrites it.';
  if (/SyntaxError|NameError|TypeError|IndexError|KeyError|ValueError|ZeroDivisionError/.test(error))
    return 'The code crashes: add or modify a Programmer with a prompt that avoids this error.';
  if (/empty answer/i.test(error)) return 'The last step returned nothing: check its prompt, or add a solver after it.';
  return 'Change the failing step (modify it or set a clearer prompt), or add a step that repairs its output.';
}

function turnReport(state: CanvasState): string[] {
  const turn = lastTurn(state);
  const exec = state.lastExecution;
  const ranNow = turn?.execution !== null && turn?.execution !== undefined;
  const lines: string[] = [];
  const rec = recommendNext(state);
  if (state.phase === 'finished') {
    lines.push('[Status]: Finished', '[Message]: The workflow is final. The last execution result is the answer.');
    lines.push(`[Final Answer]: ${clip(oneLine(exec?.answer ?? state.lastSolverResult ?? state.finishAnswer ?? '(none)'), 500)}`);
  } else if (!turn) {
    lines.push('[Status]: Ready', '[Message]: The canvas is empty. Build a workflow for the problem one action at a time.');
  } else if (turn.rejection) {
    lines.push(
      '[Status]: Failed',
      `[Message]: ${turn.summary === 'invalid output' ? 'Invalid action' : `Rejected: ${turn.summary}`} - ${turn.rejection.reason}`,
    );
    if (turn.rejection.hint) lines.push(`[Hint]: ${turn.rejection.hint}`);
  } else {
    lines.push('[Status]: Success', `[Message]: ${successMessage(state, turn)}`);
  }
  if (turn && turn.notes.length > 0) lines.push(`[Parser Notes]: ${turn.notes.join('; ')}`);
  if (state.phase !== 'finished') {
    lines.push(`[BLOCK_FINISH]=${rec.blockFinish ? 1 : 0}`, `[NEXT]=${formatNextStep(rec.next)}`, `[REASON]=${rec.reason}`);
    if (rec.blockFinish) lines.push(`[Finish Needs]: ${rec.unmet.map((u) => u.message).join(' ')}`);
  }
  if (exec && (ranNow || state.phase === 'finished' || turn?.rejection)) lines.push(...executionLines(state, exec));
  else if (exec)
    lines.push(`[Last Result]: ${exec.ok ? clip(oneLine(exec.answer ?? ''), 200) : `error - ${clip(oneLine(exec.error ?? ''), 200)}`}`);
  if (state.errorStreak >= 2) lines.push(`[Errors In A Row]: ${state.errorStreak} - try a different approach, not the same step again`);
  lines.push(`[Current DSL]: ${clipMiddle(serializeDsl(state.graph) || '(empty)', 300)}`);
  lines.push(`[Nodes]: ${describeNodes(state.graph.nodes)}`);
  lines.push(...statsLine(state));
  const recent = state.history.slice(-6, -1).map((t) => `${t.turn}: ${t.summary}${t.rejection ? ' (rejected)' : ''}`);
  if (recent.length > 0) lines.push(`[Recent Actions]: ${recent.join('; ')}`);
  lines.push(round(state));
  return lines;
}

function successMessage(state: CanvasState, turn: TurnRecord): string {
  const a = turn.action;
  if (!a) return 'Done.';
  switch (a.type) {
    case 'prompt':
      return 'Prompt written; the workflow was run.';
    case 'delete':
      return state.graph.nodes.length === 0
        ? `Deleted ${a.target}; the workflow is empty.`
        : `Deleted ${a.target}; the workflow was run again.`;
    case 'set_prompt':
      return `Prompt of ${a.target} replaced; the workflow was run again.`;
    case 'add':
      return `Added ${a.operator}; the workflow was run.`;
    case 'finish':
      return 'Finish accepted.';
    default:
      return `${turn.summary} done.`;
  }
}

function promptRequest(state: CanvasState): string[] {
  const p = state.pending;
  const catalogue = catalogueOf(state.options);
  let operator = '?';
  let context = '';
  let note = '';
  if (p?.kind === 'add') {
    operator = p.operator;
    context = `new node, position ${p.position ?? 'last'}`;
  } else if (p?.kind === 'modify') {
    operator = p.operator;
    context = `replacing ${p.target}`;
    note = 'Write a new prompt that differs from the previous one.';
  } else if (p?.kind === 'structure') {
    const id = p.childIds[p.index] ?? '';
    const parent = findNode(state.graph, p.parentId)?.node;
    const child = findNode(state.graph, id)?.node;
    operator = child?.kind === 'operator' ? child.operator : '?';
    context = `${parent?.kind ?? 'structure'} prompt ${p.index + 1}/${p.childIds.length}, node_id=${id}, parent=${p.parentId}`;
    if (parent?.kind === 'parallel') note = 'Make this branch take a different angle from the other branches.';
    if (parent?.kind === 'conditional') {
      const c = parent;
      if (id === c.condition.id) note = `This check decides: when it fails, ${c.fix.operator} runs.`;
      else if (id === c.fix.id)
        note = `This step runs only when ${c.condition.operator} reports a problem; it receives the checked answer and the check's feedback.`;
      else note = `This step runs when ${c.condition.operator} passes.`;
      const err = state.lastExecution && !state.lastExecution.ok ? state.lastExecution.error : null;
      if (id === c.fix.id && c.fix.operator === 'Programmer' && err) note += ` Previous error: ${clip(oneLine(err), 300)}`;
    }
    if (parent?.kind === 'loop') note = `This step repeats ${parent.count} times, each pass refining the previous output.`;
  }
  const spec = findOperator(catalogue, operator);
  const lines = ['[Status]: Pending - awaiting prompt', `[Message]: Write the prompt for ${operator} (${context}).`];
  const turn = lastTurn(state);
  if (turn?.rejection) lines.push(`[Previous Reply]: rejected - ${turn.rejection.reason}`);
  lines.push(`[Current DSL]: ${clipMiddle(serializeDsl(state.graph) || '(empty)', 300)}`);
  lines.push(`=== WRITE YOUR PROMPT FOR ${operator.toUpperCase()} ===`);
  if (spec) {
    lines.push(`[Operator]: ${spec.name} - ${spec.description}`);
    lines.push(`[Input]: ${spec.inputs.map((i) => i.name).join(', ')}  [Output]: ${spec.outputs.map((o) => o.name).join(', ')}`);
    lines.push(`[Guidance]: ${spec.promptGuidance}`);
  }
  if (note) lines.push(`[Note]: ${note}`);
  if (taskFamily(state.options.taskType) === 'code') {
    if (state.options.entryPoint) lines.push(`[Entry Point]: ${state.options.entryPoint}`);
    if (state.options.tests) lines.push(`[Public Tests]: ${testsPreview(state.options.tests)}`);
  }
  lines.push('Reply with the prompt itself: 1-3 sentences on method and output form, no tags.');
  lines.push(round(state));
  return lines;
}

/** Assert-like lines first, head and tail kept, at most 1200 characters. */
export function testsPreview(tests: string): string {
  const all = tests
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const asserts = all.filter((l) => /^\s*(assert\b|check\()/.test(l));
  const rest = all.filter((l) => !asserts.includes(l));
  const ordered = [...asserts, ...rest];
  const kept = ordered.length > 20 ? [...ordered.slice(0, 12), '…', ...ordered.slice(-8)] : ordered;
  return clip(kept.join(' | '), 1200);
}

/** The top-level nodes that hold `id` (for summaries). */
export function ownerOf(state: CanvasState, id: string): CanvasNode | undefined {
  return state.graph.nodes.find((n) => n.id === id || operatorsOf(n).some((c) => c.id === id));
}

/** A one-line summary of the pending prompt, for activity summaries ("prompt for Custom at node_4_p1"). */
export function pendingSummary(state: CanvasState): string {
  return state.pending ? `prompt for ${pendingLabel(state)}` : '';
}
