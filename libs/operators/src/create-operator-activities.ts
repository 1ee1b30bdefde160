import type { OperatorActivities, OperatorOutcome, RunOperatorInput } from '@flowsteer/contracts';
import { type Catalogue, findOperator, OPERATOR_CATALOGUE, operatorNames } from '@flowsteer/canvas';
import { ApplicationFailure } from '@temporalio/activity';
import { operatorCacheKey } from './core/cache-key';
import { badInput, OPERATOR_FAILURE, unknownOperator } from './core/failures';
import { DEFAULT_SAMPLING, type ExecutorSampling, OperatorCall, type OperatorImpl } from './core/operator-call';
import type { ChatClient, RunCode } from './core/ports';
import { genericOperator } from './ops/generic';
import { implementationOf } from './ops/registry';

export interface OperatorActivitiesOptions {
  /** The executor LLM client (libs/llm). */
  chat: ChatClient;
  /** The sandbox (libs/sandbox). Without it Programmer and Test fail with "sandbox unavailable". */
  runCode?: RunCode;
  /** Backend used when an input names none. */
  executorBackend?: string;
  sampling?: Partial<ExecutorSampling>;
  /**
   * The canvas catalogue (default: the 12 built-ins). A plug-in registered there without an
   * implementation here runs through the generic LLM operator driven by its spec; a plug-in that
   * declares `executesCode` cannot, and fails clearly.
   */
  catalogue?: Catalogue;
}

export const EMPTY_OUTPUT_FAILURE = 'EmptyOperatorOutput';

/**
 * Builds the `runOperator` activity: one call per canvas node. It validates the input, dispatches
 * by operator name, and returns the output with the ledger of its LLM calls and a cache key.
 */
export function createOperatorActivities(options: OperatorActivitiesOptions): OperatorActivities {
  const sampling = { ...DEFAULT_SAMPLING, ...options.sampling };
  const catalogue = options.catalogue ?? OPERATOR_CATALOGUE;

  function resolve(name: string): OperatorImpl<object> {
    const implemented = implementationOf(name);
    if (implemented) return implemented;
    const spec = findOperator(catalogue, name);
    if (!spec) throw unknownOperator(name, operatorNames(catalogue));
    if (spec.executesCode) {
      throw ApplicationFailure.create({
        type: OPERATOR_FAILURE.unknownOperator,
        nonRetryable: true,
        message: `plug-in operator "${name}" declares executesCode, which the generic LLM operator cannot do: give it an implementation in libs/operators.`,
      });
    }
    return genericOperator(spec);
  }

  async function runOperator(raw: RunOperatorInput): Promise<OperatorOutcome> {
    const input = checked(raw, options.executorBackend);
    const impl = resolve(input.operator);
    const call = new OperatorCall(input, options.chat, options.runCode, sampling);
    const result = await impl(call);
    const outcome: OperatorOutcome = {
      operator: input.operator,
      nodeId: input.nodeId,
      text: result.text,
      output: result.output as Record<string, unknown>,
      ledger: call.ledger,
      cacheKey: operatorCacheKey(input),
      notes: call.notes,
    };
    if (result.passed !== undefined) outcome.passed = result.passed;
    if (result.feedback !== undefined) outcome.feedback = result.feedback;
    if (!outcome.text.trim()) {
      throw ApplicationFailure.create({
        type: EMPTY_OUTPUT_FAILURE,
        nonRetryable: true,
        message: `${input.operator} on ${input.nodeId} produced an empty result (${call.notes.join('; ') || 'the executor answered nothing'}). Check the executor backend "${input.executorBackend}" or the node prompt.`,
        details: [{ ledger: call.ledger, notes: call.notes }],
      });
    }
    return outcome;
  }

  return { runOperator };
}

function checked(input: RunOperatorInput, defaultBackend: string | undefined): RunOperatorInput {
  if (!input || typeof input !== 'object') throw badInput('runOperator needs an input object');
  for (const key of ['operator', 'nodeId', 'problem', 'taskType'] as const) {
    if (typeof input[key] !== 'string' || (key !== 'problem' && !input[key])) {
      throw badInput(`runOperator input.${key} must be a non-empty string (got ${JSON.stringify(input[key])})`);
    }
  }
  const executorBackend = input.executorBackend || defaultBackend;
  if (!executorBackend) throw badInput(`runOperator on ${input.nodeId}: no executor backend named and no default configured`);
  return { ...input, prompt: typeof input.prompt === 'string' ? input.prompt : '', executorBackend };
}
