import { findOperator, findOperatorIgnoringCase, operatorNames, type Catalogue } from '../catalogue';
import { rejection, type Rejection } from '../rejection';
import { LOOP_COUNT, type StructureKind } from './types';

export interface NameRules {
  catalogue: Catalogue;
  /** Operators refused in this session (multiple-choice mode refuses Programmer). */
  disabled: readonly string[];
}

/** Checks an operator name exactly as written (case-sensitive); null when usable. */
export function checkOperatorName(rules: NameRules, name: string): Rejection | null {
  if (!findOperator(rules.catalogue, name)) {
    const near = findOperatorIgnoringCase(rules.catalogue, name);
    const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
    return rejection(
      'unknown_operator',
      `${shown} is not an operator (names are case-sensitive).`,
      near ? `Did you mean ${near.name}?` : `Use one of: ${operatorNames(rules.catalogue).join(', ')}.`,
    );
  }
  if (rules.disabled.includes(name)) {
    return rejection(
      'operator_disabled',
      `${name} is disabled for this problem (multiple-choice questions are answered without running code).`,
      'Use Custom or AnswerGenerate to work out the answer, then Format to give a single letter.',
    );
  }
  return null;
}

/** Checks the operators of a structure; null when it can be built. */
export function checkStructure(rules: NameRules, kind: StructureKind, operators: readonly string[], count?: number): Rejection | null {
  if (kind === 'parallel' && operators.length < 2) {
    return rejection(
      'too_few_operators',
      `A parallel block needs at least 2 operators, got ${operators.length}.`,
      'List two or more operators, e.g. <operators>Programmer, Custom</operators>.',
    );
  }
  if (kind === 'loop' && operators.length < 1) {
    return rejection(
      'too_few_operators',
      'A loop needs at least 1 operator.',
      'List the operators to repeat, e.g. <operators>Revise, Review</operators>.',
    );
  }
  if (kind === 'conditional' && (operators.length < 2 || operators.length > 3)) {
    return rejection(
      'too_few_operators',
      'A conditional needs a condition and a fix operator.',
      'Give <condition>, <true> (runs when the check fails) and optionally <false>.',
    );
  }
  for (const name of operators) {
    const bad = checkOperatorName(rules, name);
    if (bad) return bad;
  }
  if (kind === 'parallel') {
    const ensemble = operators.find((name) => findOperator(rules.catalogue, name)?.allowedInParallel === false);
    if (ensemble) {
      return rejection(
        'not_allowed_in_parallel',
        `${ensemble} cannot be a branch of a parallel block.`,
        `Add the parallel block without it, then add ${ensemble} after the block.`,
      );
    }
  }
  if (kind === 'loop' && count !== undefined && (!Number.isInteger(count) || count < LOOP_COUNT.min || count > LOOP_COUNT.max)) {
    return rejection(
      'invalid_count',
      `A loop count must be a whole number from ${LOOP_COUNT.min} to ${LOOP_COUNT.max}, got ${count}.`,
      'Use a small count such as 2 or 3.',
    );
  }
  return null;
}
