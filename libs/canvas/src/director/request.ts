import type { ChatMessage, OutputConstraint } from '@flowsteer/contracts';
import { actionGrammar, PROMPT_GRAMMAR } from '../actions/grammar';
import { actionJsonSchema } from '../actions/json-schema';
import { findOperator } from '../catalogue';
import { catalogueOf, taskFamily } from '../decider/options';
import type { CanvasState, TurnRecord } from '../decider/state';
import { renderFeedback } from '../feedback/render';
import { serializeDsl } from '../graph/dsl-serialize';
import { allIds, findNode } from '../graph/nodes';
import { graphStatistics } from '../graph/statistics';
import { clip } from '../util/text';
import { directorSystemPrompt } from './system-prompt';
import { actionVocabulary } from './vocabulary';

/**
 * How the director's context is built:
 * - `compact` (default): what the released FlowSteer model was trained on — each turn a fresh
 *   prompt with the problem, the current canvas and only the last feedback (clipped);
 * - `full-history`: the paper's formulation — the problem, then every turn's output and
 *   observation as alternating messages, then the current feedback.
 */
export type DirectorContextMode = 'compact' | 'full-history';

export interface DirectorRequestOptions {
  mode?: DirectorContextMode;
  /** Constrain decoding: a GBNF grammar, a JSON schema, or none (default). */
  constraint?: 'none' | 'gbnf' | 'json-schema';
  /** Characters of the last feedback kept in compact mode (default 800, as the reference). */
  feedbackChars?: number;
}

export interface DirectorRequest {
  /** An action turn, or a turn that writes a node prompt. */
  kind: 'action' | 'prompt';
  messages: ChatMessage[];
  constraint?: OutputConstraint;
  maxTokens: number;
  /** For the ledger and the activity summary, e.g. "turn 3 action". */
  purpose: string;
}

/** The chat request for the director's next turn, built from the state alone. */
export function buildDirectorRequest(state: CanvasState, options: DirectorRequestOptions = {}): DirectorRequest {
  const turn = state.turn + 1;
  const constraintKind = options.constraint ?? 'none';
  if (state.phase === 'awaiting_prompt') {
    return {
      kind: 'prompt',
      messages: [{ role: 'user', content: promptTurnText(state) }],
      ...(constraintKind === 'gbnf' ? { constraint: { kind: 'gbnf' as const, grammar: PROMPT_GRAMMAR } } : {}),
      ...(constraintKind === 'json-schema'
        ? {
            constraint: {
              kind: 'json-schema' as const,
              schema: {
                type: 'object',
                properties: { prompt: { type: 'string', minLength: 5 } },
                required: ['prompt'],
                additionalProperties: false,
              },
            },
          }
        : {}),
      maxTokens: 256,
      purpose: `turn ${turn} prompt`,
    };
  }
  const system = directorSystemPrompt(state.options, catalogueOf(state.options));
  const vocabulary = actionVocabulary(state);
  const constraint: OutputConstraint | undefined =
    constraintKind === 'gbnf'
      ? { kind: 'gbnf', grammar: actionGrammar(vocabulary) }
      : constraintKind === 'json-schema'
        ? { kind: 'json-schema', schema: actionJsonSchema(vocabulary) }
        : undefined;
  const messages: ChatMessage[] =
    options.mode === 'full-history' ? fullHistoryMessages(state, system) : compactMessages(state, system, options.feedbackChars ?? 800);
  return { kind: 'action', messages, ...(constraint ? { constraint } : {}), maxTokens: 512, purpose: `turn ${turn} action` };
}

function stateBlock(state: CanvasState): string {
  const s = graphStatistics(state.graph, catalogueOf(state.options));
  return [
    '## Current State',
    `Workflow: ${serializeDsl(state.graph) || '(empty)'}`,
    `Operators: ${s.totalOperators} total, ${s.uniqueTypes} distinct`,
    `Node ids: ${allIds(state.graph).join(', ') || '(none)'}`,
    `Round ${state.turn + 1}/${state.options.maxTurns}`,
  ].join('\n');
}

function problemBlock(state: CanvasState): string {
  return `## Problem\n${state.options.problem}`;
}

/** Lines the compact prompt already shows in its state block (or the problem section). */
const REPEATED = /^\[(Problem|Current DSL|Nodes|Statistics|Structures|Round)\]/;

function compactFeedback(feedback: string): string {
  return feedback
    .split('\n')
    .filter((l) => !/<action>/i.test(l) && !REPEATED.test(l))
    .join('\n');
}

function compactMessages(state: CanvasState, system: string, feedbackChars: number): ChatMessage[] {
  const parts = [problemBlock(state)];
  if (state.history.length > 0 || state.graph.nodes.length > 0) parts.push(stateBlock(state));
  if (state.history.length > 0) {
    parts.push(`## Last Feedback\n${clip(compactFeedback(renderFeedback(state)), feedbackChars)}\nBased on this, choose your next action.`);
  }
  parts.push(`## Your Turn - Round ${state.turn + 1}. Output exactly one action:`);
  return [
    { role: 'system', content: system },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

function observationOf(t: TurnRecord): string {
  const head = t.rejection
    ? `[Status]: Failed - ${t.rejection.reason}${t.rejection.hint ? ` ${t.rejection.hint}` : ''}`
    : `[Status]: Success - ${t.summary}`;
  const exec = t.execution
    ? t.execution.ok
      ? `\n[Execution Result]: ${clip(t.execution.answer ?? '', 300)}`
      : `\n[Execution Error]: ${clip(t.execution.error ?? '', 300)}`
    : '';
  return `<feedback>\n${head}${exec}\n</feedback>`;
}

function fullHistoryMessages(state: CanvasState, system: string): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: `${problemBlock(state)}\n\n## Your Turn - Round 1. Output exactly one action:` },
  ];
  const turns = state.history.filter((t) => t.actor === 'director');
  turns.forEach((t, i) => {
    messages.push({ role: 'assistant', content: t.text || '(empty)' });
    const isLast = i === turns.length - 1;
    const observation = isLast ? renderFeedback(state) : observationOf(t);
    const next = isLast ? `\n\n## Your Turn - Round ${state.turn + 1}. Output exactly one action:` : '';
    messages.push({ role: 'user', content: `${observation}${next}` });
  });
  return messages;
}

function promptTurnText(state: CanvasState): string {
  const p = state.pending;
  const catalogue = catalogueOf(state.options);
  let operator = '?';
  if (p?.kind === 'add' || p?.kind === 'modify') operator = p.operator;
  else if (p?.kind === 'structure') {
    const child = findNode(state.graph, p.childIds[p.index] ?? '')?.node;
    if (child?.kind === 'operator') operator = child.operator;
  }
  const spec = findOperator(catalogue, operator);
  const family = taskFamily(state.options.taskType);
  const rules = [
    'Write 1-3 sentences that tell this step what to do for THIS problem and what to output.',
    'Describe the method and the output form only; never restate or change the numbers or facts of the problem.',
    'No <think>, no tags, no lists of steps.',
  ];
  if (operator === 'Programmer' && family === 'code')
    rules.push(
      `The code must define ${state.options.entryPoint ?? 'the function named in the problem'} with the exact signature; code only.`,
    );
  if (operator === 'Programmer' && family === 'math')
    rules.push('The code must define solve() returning the exact answer (fractions or radicals stay exact).');
  if (family === 'qa' && ['Custom', 'AnswerGenerate', 'Verify'].includes(operator))
    rules.push('The answer must be a short span (a few words), not a sentence.');
  const feedback = renderFeedback(state)
    .split('\n')
    .filter((l) => /^\[(Message|Note|Entry Point|Public Tests|Previous Reply)\]/.test(l))
    .join('\n');
  return [
    `Read the problem, then write the prompt for the ${operator} operator.`,
    feedback ? `Context:\n${feedback}` : '',
    `Problem:\n${state.options.problem}`,
    spec ? `${spec.name}: ${spec.description}\n${spec.promptGuidance}` : '',
    `Rules:\n${rules.map((r) => `- ${r}`).join('\n')}`,
    `Your prompt for ${operator}:`,
  ]
    .filter(Boolean)
    .join('\n\n');
}
