import type { OperatorName } from '@flowsteer/canvas';
import type { OperatorImpl } from '../core/operator-call';
import { aggregate } from './aggregate';
import { answerGenerate } from './answer-generate';
import { custom } from './custom';
import { decompose } from './decompose';
import { format } from './format';
import { plan } from './plan';
import { programmer } from './programmer';
import { review } from './review';
import { revise } from './revise';
import { scEnsemble } from './sc-ensemble';
import { test } from './test';
import { verify } from './verify';

/** The 12 FlowSteer operators, by the names the canvas catalogue uses. */
export const OPERATOR_IMPLEMENTATIONS = {
  Plan: plan,
  Decompose: decompose,
  Custom: custom,
  AnswerGenerate: answerGenerate,
  Programmer: programmer,
  Review: review,
  Verify: verify,
  Test: test,
  Revise: revise,
  ScEnsemble: scEnsemble,
  Aggregate: aggregate,
  Format: format,
} as const satisfies Record<OperatorName, OperatorImpl<object>>;

export type ImplementedOperator = keyof typeof OPERATOR_IMPLEMENTATIONS;

export const IMPLEMENTED_OPERATORS = Object.keys(OPERATOR_IMPLEMENTATIONS) as ImplementedOperator[];

/** Operators that execute code and therefore need a sandbox. */
export const SANDBOX_OPERATORS: readonly ImplementedOperator[] = ['Programmer', 'Test'];

export function implementationOf(name: string): OperatorImpl<object> | undefined {
  return Object.prototype.hasOwnProperty.call(OPERATOR_IMPLEMENTATIONS, name)
    ? (OPERATOR_IMPLEMENTATIONS[name as ImplementedOperator] as OperatorImpl<object>)
    : undefined;
}
