import {
  isTextValue,
  type CodeRunResult,
  type OperatorActivities,
  type OperatorJournal,
  type OperatorJournalEntry,
  type OperatorOutcome,
  type OperatorSuspension,
  type RunOperatorInput,
  type TextValue,
} from '@flowsteer/contracts';
import { type Catalogue, findOperator, OPERATOR_CATALOGUE, operatorNames } from '@flowsteer/canvas';
import { ApplicationFailure } from '@temporalio/activity';
import { operatorCacheKey } from './core/cache-key';
import { badInput, OPERATOR_FAILURE, unknownOperator } from './core/failures';
import {
  DEFAULT_SAMPLING,
  type ExecutorSampling,
  NeedsCodeRun,
  OperatorCall,
  type OperatorImpl,
  type ResolvedOperatorInput,
} from './core/operator-call';
import type { ChatClient } from './core/ports';
import { genericOperator } from './ops/generic';
import { implementationOf } from './ops/registry';

export interface OperatorActivitiesOptions {
  /** The executor LLM client (libs/llm). */
  chat: ChatClient;
  /** Backend used when an input names none. */
  executorBackend?: string;
  sampling?: Partial<ExecutorSampling>;
  /**
   * The canvas catalogue (default: the 12 built-ins). A plug-in registered there without an
   * implementation here runs through the generic LLM operator driven by its spec (with its code
   * check, if declared); any other plug-in spec that declares `executesCode` fails clearly.
   */
  catalogue?: Catalogue;
  /**
   * Where long texts live (libs/artifacts): inputs that arrive by reference are read from it, and
   * long outputs and the structured output are written to it, so histories carry references and
   * previews. Without one, only whole texts are accepted and outputs travel whole.
   */
  texts?: TextStore;
}

/** The part of the artifact store operators need. */
export interface TextStore {
  putText(text: string): Promise<TextValue>;
  readText(value: TextValue): Promise<string>;
  putJsonBlob(content: unknown): Promise<string>;
  getJson<T = unknown>(ref: string): Promise<T>;
}

/** Journals and code requests larger than this travel by reference (when there is a store). */
export const INLINE_JSON_MAX_BYTES = 4 * 1024;

export const EMPTY_OUTPUT_FAILURE = 'EmptyOperatorOutput';

/**
 * Builds the `runOperator` activity: one call per canvas node. It validates the input, dispatches
 * by operator name, and returns the output with the ledger of its LLM calls and a cache key. It
 * never runs code: an operator that needs a run returns a suspension (the request and its journal)
 * and is called again with the result (`input.resume`), replaying its journal without new LLM calls.
 */
export function createOperatorActivities(options: OperatorActivitiesOptions): OperatorActivities {
  const sampling = { ...DEFAULT_SAMPLING, ...options.sampling };
  const catalogue = options.catalogue ?? OPERATOR_CATALOGUE;

  function resolve(name: string): OperatorImpl<object> {
    const implemented = implementationOf(name);
    if (implemented) return implemented;
    const spec = findOperator(catalogue, name);
    if (!spec) throw unknownOperator(name, operatorNames(catalogue));
    if (spec.executesCode && !spec.codeCheck) {
      throw ApplicationFailure.create({
        type: OPERATOR_FAILURE.unknownOperator,
        nonRetryable: true,
        message: `plug-in operator "${name}" declares executesCode, which the generic LLM operator cannot do: give it an implementation in libs/operators.`,
      });
    }
    return genericOperator(spec);
  }

  async function runOperator(raw: RunOperatorInput): Promise<OperatorOutcome | OperatorSuspension> {
    const input = checked(raw, options.executorBackend);
    const impl = resolve(input.operator);
    const texts = options.texts;
    const replayed = input.resume ? await resumedJournal(input, texts) : [];
    const call = new OperatorCall(await readTexts(input, texts), options.chat, sampling, replayed);
    let result: Awaited<ReturnType<typeof impl>>;
    try {
      result = await impl(call);
    } catch (err) {
      if (err instanceof NeedsCodeRun) return suspension(input, call, err, texts);
      throw withLedger(err, call);
    }
    const outcome: OperatorOutcome = {
      operator: input.operator,
      nodeId: input.nodeId,
      text: texts ? await texts.putText(result.text) : result.text,
      ...(texts ? { outputRef: await texts.putJsonBlob(result.output) } : { output: result.output as Record<string, unknown> }),
      ledger: call.ledger,
      cacheKey: operatorCacheKey(input),
      notes: call.notes,
    };
    if (result.passed !== undefined) outcome.passed = result.passed;
    if (result.feedback !== undefined) outcome.feedback = result.feedback;
    if (!result.text.trim()) {
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

/** What a suspended operator hands the workflow: small, everything large by reference. */
async function suspension(
  input: RunOperatorInput,
  call: OperatorCall,
  need: NeedsCodeRun,
  texts: TextStore | undefined,
): Promise<OperatorSuspension> {
  const byRef = async <T>(value: T): Promise<T | { ref: string }> =>
    texts && Buffer.byteLength(JSON.stringify(value)) > INLINE_JSON_MAX_BYTES ? { ref: await texts.putJsonBlob(value) } : value;
  const journal: OperatorJournal = await byRef({ entries: call.journal });
  return {
    suspended: true,
    operator: input.operator,
    nodeId: input.nodeId,
    step: need.step,
    request: await byRef(need.request),
    journal,
    ledger: call.ledger,
  };
}

/** The journal of a resumed operator with the awaited run's result appended. */
async function resumedJournal(input: RunOperatorInput, texts: TextStore | undefined): Promise<OperatorJournalEntry[]> {
  const resume = input.resume as NonNullable<RunOperatorInput['resume']>;
  const load = async <T>(value: T | { ref: string }, what: string): Promise<T> => {
    if (!value || typeof value !== 'object') throw badInput(`${input.operator} on ${input.nodeId}: resume.${what} is missing`);
    if (!('ref' in value) || typeof value.ref !== 'string') return value as T;
    if (!texts)
      throw badInput(`${input.operator} on ${input.nodeId}: resume.${what} arrived by reference but this worker has no artifact store`);
    return texts.getJson<T>(value.ref);
  };
  const journal = await load<{ entries: OperatorJournalEntry[] }>(resume.journal, 'journal');
  const result = await load<CodeRunResult>(resume.result, 'result');
  if (!Array.isArray(journal.entries)) throw badInput(`${input.operator} on ${input.nodeId}: resume.journal has no entries`);
  return [...journal.entries, { kind: 'code', result }];
}

function checked(input: RunOperatorInput, defaultBackend: string | undefined): RunOperatorInput {
  if (!input || typeof input !== 'object') throw badInput('runOperator needs an input object');
  for (const key of ['operator', 'nodeId', 'taskType'] as const) {
    if (typeof input[key] !== 'string' || !input[key]) {
      throw badInput(`runOperator input.${key} must be a non-empty string (got ${JSON.stringify(input[key])})`);
    }
  }
  if (!isTextValue(input.problem))
    throw badInput(`runOperator input.problem must be a text (got ${JSON.stringify(input.problem)?.slice(0, 100)})`);
  const inputs = input.inputs as unknown;
  if (!(isTextValue(inputs) || (Array.isArray(inputs) && inputs.every(isTextValue)))) {
    throw badInput(`${input.operator} on ${input.nodeId}: inputs must be a text or a list of texts`);
  }
  if (input.tests !== undefined && !isTextValue(input.tests)) throw badInput(`${input.operator} on ${input.nodeId}: tests must be a text`);
  const executorBackend = input.executorBackend || defaultBackend;
  if (!executorBackend) throw badInput(`runOperator on ${input.nodeId}: no executor backend named and no default configured`);
  return { ...input, prompt: typeof input.prompt === 'string' ? input.prompt : '', executorBackend };
}

/** Reads every text that arrived by reference; without a store only whole texts are accepted. */
async function readTexts(input: RunOperatorInput, texts: TextStore | undefined): Promise<ResolvedOperatorInput> {
  const read = async (value: TextValue): Promise<string> => {
    if (typeof value === 'string') return value;
    if (!texts) throw badInput(`${input.operator} on ${input.nodeId}: an input arrived by reference but this worker has no artifact store`);
    return texts.readText(value);
  };
  const { problem, inputs, tests, ...rest } = input;
  return {
    ...rest,
    problem: await read(problem),
    inputs: Array.isArray(inputs) ? await Promise.all(inputs.map(read)) : await read(inputs),
    ...(tests !== undefined ? { tests: await read(tests) } : {}),
  };
}

/**
 * An executor failure as the workflow needs it: an LLM error becomes a typed, non-retryable
 * failure (the client already retried; the workflow waits out outages) whose details carry every
 * call the operator made, the failed one included with the requests it took.
 */
function withLedger(err: unknown, call: OperatorCall): unknown {
  const e = err as {
    name?: unknown;
    kind?: unknown;
    backend?: unknown;
    attempts?: unknown;
    message?: unknown;
    retryable?: unknown;
    status?: unknown;
  };
  if (!(err instanceof Error) || e.name !== 'LlmError' || typeof e.kind !== 'string') return err;
  const failed = {
    backend: String(e.backend ?? call.input.executorBackend),
    model: '',
    purpose: `${call.input.nodeId} ${call.input.operator}`,
    promptTokens: 0,
    completionTokens: 0,
    latencyMs: 0,
    costUsd: 0,
    attempts: Math.max(1, Number(e.attempts) || 1),
    failed: true,
  };
  return ApplicationFailure.create({
    type: `LlmError.${e.kind}`,
    nonRetryable: true,
    message: `${call.input.operator} on ${call.input.nodeId}: ${String(e.message)}`,
    details: [
      {
        backend: failed.backend,
        kind: e.kind,
        retryable: e.retryable === true,
        status: e.status,
        attempts: failed.attempts,
        ledger: [...call.ledger, failed],
      },
    ],
  });
}
