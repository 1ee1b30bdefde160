import { ApplicationFailure } from '@temporalio/activity';

/** Failure types a workflow can match on (`ApplicationFailure.type`). */
export const OPERATOR_FAILURE = {
  unknownOperator: 'UnknownOperator',
  badInput: 'BadOperatorInput',
} as const;

/** A resumed operator's journal does not fit what it does now (changed code or a corrupted journal). */
export function journalMismatch(purpose: string, expected: string, found: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: OPERATOR_FAILURE.badInput,
    nonRetryable: true,
    message: `${purpose}: the operator's journal does not match its steps (expected a ${expected} entry, found ${found}); it cannot be resumed`,
  });
}

export function unknownOperator(name: string, known: readonly string[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: OPERATOR_FAILURE.unknownOperator,
    nonRetryable: true,
    message: `unknown operator "${name}": it is not in the catalogue. Known operators: ${known.join(', ')}.`,
  });
}

export function badInput(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: OPERATOR_FAILURE.badInput, nonRetryable: true, message });
}
