import { badInput } from '../core/failures';
import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { readTag } from '../parse/tags';
import { letterOf, normaliseAnswer, pluralityIndex, readLetter, renderCandidates } from './candidates';

export interface ScEnsembleOutput {
  /** The chosen candidate, verbatim. */
  response: string;
  chosen_index: number;
  reason: string;
  used_llm: boolean;
}

/**
 * ScEnsemble (self-consistency): picks the candidate that agrees most with the others and returns
 * it verbatim. Identical candidates, or a single one, need no LLM call. If the LLM's choice cannot
 * be read, the plurality answer (else the first candidate) is taken.
 */
export const scEnsemble: OperatorImpl<ScEnsembleOutput> = async (call) => {
  const list = call.list.filter((c) => c.trim() !== '');
  if (list.length === 0) throw badInput(`ScEnsemble on ${call.input.nodeId}: no candidate solutions to choose from`);
  const keys = list.map(normaliseAnswer);
  if (new Set(keys).size === 1) {
    const response = list[0] ?? '';
    return { text: response, output: { response, chosen_index: 0, reason: 'all candidates agree', used_llm: false } };
  }
  const { problem, prompt, taskType } = call.input;
  const reply = await call.ask(
    'You compare candidate solutions and find the answer most of them support.',
    `${guidanceBlock('select', prompt, taskType)}## Problem\n${problem}\n\n${renderCandidates(list)}\n\n` +
      `Find the final answer that the candidates agree on most, and pick the candidate (A to ${letterOf(list.length - 1)}) that states it best. ` +
      'Reply with <reason>a short comparison</reason> and <choice>the letter</choice>.',
  );
  let chosenIndex = readLetter(readTag(reply, 'choice'), list.length);
  if (chosenIndex === undefined) {
    chosenIndex = pluralityIndex(keys) ?? 0;
    call.note(
      `choice unreadable: took candidate ${letterOf(chosenIndex)} by ${pluralityIndex(keys) === undefined ? 'position' : 'majority'}`,
    );
  }
  const response = list[chosenIndex] ?? '';
  const reason = readTag(reply, 'reason') ?? '';
  return { text: response, output: { response, chosen_index: chosenIndex, reason, used_llm: true } };
};
