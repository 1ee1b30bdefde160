import { ApplicationFailure } from '@temporalio/activity';

/** Failure types a workflow can match on (`ApplicationFailure.type`). */
export const OPERATOR_FAILURE = {
  sandboxUnavailable: 'SandboxUnavailable',
  unknownOperator: 'UnknownOperator',
  badInput: 'BadOperatorInput',
} as const;

export function sandboxUnavailable(operator: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: OPERATOR_FAILURE.sandboxUnavailable,
    nonRetryable: true,
    message:
      `sandbox unavailable: ${operator} executes Python but this worker was started without a code runner. ` +
      'Pass runCode to createOperatorActivities (libs/sandbox) or remove the operator from the workflow.',
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
