import {
  recordExecution,
  recordOutcomes,
  replay,
  startExecution,
  type CallResult,
  type CanvasEvent,
  type CanvasState,
  type OperatorCall,
} from '@flowsteer/canvas';
import { isCancellation } from '@temporalio/workflow';
import {
  isOperatorSuspension,
  type LedgerEntry,
  type OperatorOutcome,
  type OperatorResume,
  type RunOperatorInput,
  type TextValue,
} from '@flowsteer/contracts';
import type { SessionActivityProxies } from './proxies';
import { BackendOutage, SessionCannotContinue, classifyFailure, sandboxPoolDown } from './failures';

/** More code runs than any operator does (Programmer: 2, Test: 2) means a looping operator. */
export const MAX_CODE_RUNS_PER_CALL = 8;

export interface ExecutionOutcome {
  events: CanvasEvent[];
  state: CanvasState;
}

/** Outcomes already paid for while an execution is retried after an outage, by cache key. */
export type ExecutionMemo = Map<string, CallResult>;

export interface ExecutionContext {
  /** The problem and code tests as they should travel (long ones by reference). */
  problem?: TextValue;
  tests?: TextValue;
  memo: ExecutionMemo;
  /** Receives every call's ledger as it comes back, so an interrupted execution still counts its calls. */
  ledger: LedgerEntry[];
  /**
   * Where suspended operators got to (journal and last code result), by cache key: an operator
   * interrupted by an outage after a code run resumes from there instead of asking the LLM again.
   */
  resumes?: Map<string, OperatorResume>;
}

/**
 * Runs the canvas's execution plan: each batch of operator calls concurrently (parallel branches),
 * cache hits served by the canvas without a call. A failed operator becomes a failed execution the
 * director reads as feedback. An outage (the executor not answering) is not a failed execution:
 * it throws `BackendOutage` and the session waits; calls that did answer stay in `memo` so the
 * retry does not pay for them again. A configuration error throws `SessionCannotContinue`.
 */
export async function executeCanvas(
  state: CanvasState,
  backends: { executor: string; director: string },
  activities: SessionActivityProxies,
  ctx: ExecutionContext = { memo: new Map(), ledger: [] },
): Promise<ExecutionOutcome> {
  let run = startExecution(state, backends);
  while (run.status === 'running') {
    const settled = await Promise.allSettled(
      run.waiting.map((call) => runCall(call, call.backend === 'director' ? backends.director : backends.executor, activities, ctx)),
    );
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    run = recordOutcomes(
      run,
      settled.map((s) => (s as PromiseFulfilledResult<CallResult>).value),
    );
  }
  const decision = recordExecution(state, run);
  if (!decision.events) return { events: [], state }; // stale revision: nothing to record
  return { events: decision.events, state: replay(decision.events, state) };
}

async function runCall(
  call: OperatorCall,
  executorBackend: string,
  activities: SessionActivityProxies,
  ctx: ExecutionContext,
): Promise<CallResult> {
  const { memo, ledger } = ctx;
  const paid = memo.get(call.cacheKey);
  if (paid) return { ...paid, callId: call.callId };
  const input: RunOperatorInput = {
    operator: call.operator,
    nodeId: call.nodeId,
    prompt: call.prompt,
    problem: ctx.problem ?? call.problem,
    taskType: call.taskType,
    // the first node's input is the problem itself: it travels by reference like the problem
    inputs: ctx.problem !== undefined && call.inputs === call.problem ? ctx.problem : call.inputs,
    executorBackend,
    ...(call.feedback !== undefined ? { feedback: call.feedback } : {}),
    ...(call.entryPoint !== undefined ? { entryPoint: call.entryPoint } : {}),
    ...(call.tests !== undefined ? { tests: ctx.tests ?? call.tests } : {}),
  };
  try {
    const outcome = await operatorWithCodeRuns(call, input, activities, ledger, ctx.resumes);
    const result: CallResult = {
      callId: call.callId,
      outcome: {
        text: outcome.text,
        ...(outcome.passed !== undefined ? { passed: outcome.passed } : {}),
        ...(outcome.feedback !== undefined ? { feedback: outcome.feedback } : {}),
      },
    };
    memo.set(call.cacheKey, result);
    return result;
  } catch (err) {
    if (err instanceof SessionCannotContinue || isCancellation(err)) throw err;
    const failure = classifyFailure(err);
    ledger.push(...failure.ledger);
    if (failure.kind === 'outage') throw new BackendOutage('executor', `${call.summary}: ${failure.message}`);
    if (failure.kind === 'config') throw new SessionCannotContinue(`${call.summary}: ${failure.message}`);
    return { callId: call.callId, error: failure.message };
  }
}

/**
 * One operator call, with its code runs: an operator that needs code run suspends (the canvas worker
 * never runs candidate code); the code runs as a `runCode` activity on the sandbox queue and the
 * operator is called again with its journal and the result, replaying without new LLM calls.
 */
async function operatorWithCodeRuns(
  call: OperatorCall,
  input: RunOperatorInput,
  activities: SessionActivityProxies,
  ledger: LedgerEntry[],
  resumes: Map<string, OperatorResume> = new Map(),
): Promise<OperatorOutcome> {
  const earlier = resumes.get(call.cacheKey);
  let current: RunOperatorInput = earlier ? { ...input, resume: earlier } : input;
  for (let runs = earlier ? 1 : 0; ; runs++) {
    const step = await activities.runOperator.executeWithOptions({ summary: call.summary.replace(' ', ' · ') }, [current]);
    if (activities.llmCalls === 'local') activities.unsynced.note(step);
    ledger.push(...step.ledger);
    if (!isOperatorSuspension(step)) return step;
    if (runs >= MAX_CODE_RUNS_PER_CALL) throw new Error(`${call.summary}: asked for more than ${MAX_CODE_RUNS_PER_CALL} code runs`);
    let result;
    try {
      result = await activities.runCode.executeWithOptions({ summary: `runCode · ${call.nodeId} · ${call.operator} · ${step.step}` }, [
        step.request,
      ]);
    } catch (err) {
      if (isCancellation(err)) throw err;
      const down = sandboxPoolDown(err, activities.sandboxQueue, `the code run of ${call.summary}`);
      if (down) throw new SessionCannotContinue(down);
      throw err;
    }
    const resume = { journal: step.journal, result };
    resumes.set(call.cacheKey, resume);
    current = { ...input, resume };
  }
}
