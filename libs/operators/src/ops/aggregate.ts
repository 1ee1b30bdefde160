import { badInput } from '../core/failures';
import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { lastNumber } from '../parse/numbers';
import { lastLine, readTag } from '../parse/tags';
import { pluralityIndex, renderCandidates } from './candidates';

export interface AggregateOutput {
  aggregated_answer: string;
  selection_reason: string;
  used_llm: boolean;
}

/**
 * Aggregate: combines several answers into one final answer. Fast path without an LLM call: when
 * the candidates' final numbers have a strict plurality of at least two votes, that number wins.
 * Otherwise the LLM selects or merges among the candidates (it does not solve anew).
 */
export const aggregate: OperatorImpl<AggregateOutput> = async (call) => {
  const list = call.list.filter((c) => c.trim() !== '');
  if (list.length === 0) throw badInput(`Aggregate on ${call.input.nodeId}: no answers to aggregate`);
  if (list.length === 1) {
    const only = list[0]?.trim() ?? '';
    return { text: only, output: { aggregated_answer: only, selection_reason: 'single candidate', used_llm: false } };
  }
  const numbers = list.map((c) => lastNumber(c));
  const winner = pluralityIndex(numbers);
  if (winner !== undefined) {
    const value = numbers[winner] ?? '';
    const votes = numbers.filter((n) => n === value).length;
    return {
      text: value,
      output: { aggregated_answer: value, selection_reason: `${votes} of ${list.length} candidates give ${value}`, used_llm: false },
    };
  }
  const { problem, prompt, taskType } = call.input;
  const reply = await call.ask(
    'You consolidate several candidate answers into one final answer.',
    `${guidanceBlock('select', prompt, taskType)}## Problem\n${problem}\n\n${renderCandidates(list)}\n\n` +
      'Decide which final answer the candidates support best (merge them if they answer different parts). ' +
      'Reply with <reason>why</reason> and <answer>the final answer only</answer>.',
  );
  let aggregatedAnswer = readTag(reply, 'answer');
  if (aggregatedAnswer === undefined) {
    call.note('answer tag missing: used the last line of the reply');
    aggregatedAnswer = lastLine(reply.replace(/<\/?reason\s*>/gi, ''));
  }
  return {
    text: aggregatedAnswer,
    output: { aggregated_answer: aggregatedAnswer, selection_reason: readTag(reply, 'reason') ?? '', used_llm: true },
  };
};
