import { ApplicationFailure } from '@temporalio/workflow';
import { recordExecution, recordOutcomes, replay, startExecution, type CallResult, type CanvasEvent, type CanvasState, type OperatorCall } from '@flowsteer/canvas';
import type { LedgerEntry, RunOperatorInput } from '@flowsteer/contracts';
import type { SessionActivityProxies } from './activities';

export interface ExecutionOutcome {
  events: CanvasEvent[];
  state: CanvasState;
  ledger: LedgerEntry[];
}

/**
 * Runs the canvas's execution plan: each batch of operator calls concurrently (parallel branches),
 * cache hits served by the canvas without a call. A failed operator becomes a failed execution
 * the director reads as feedback; it never fails the session.
 */
export async function executeCanvas(state: CanvasState, executorBackend: string, activities: SessionActivityProxies): Promise<ExecutionOutcome> {
  const ledger: LedgerEntry[] = [];
  let run = startExecution(state);
  while (run.status === 'running') {
    const results = await Promise.all(run.waiting.map((call) => runCall(call, executorBackend, activities, ledger)));
    run = recordOutcomes(run, results);
  }
  const decision = recordExecution(state, run);
  if (!decision.events) return { events: [], state, ledger }; // stale revision: nothing to record
  return { events: decision.events, state: replay(decision.events, state), ledger };
}

async function runCall(call: OperatorCall, executorBackend: string, activities: SessionActivityProxies, ledger: LedgerEntry[]): Promise<CallResult> {
  const input: RunOperatorInput = {
    operator: call.operator,
    nodeId: call.nodeId,
    prompt: call.prompt,
    problem: call.problem,
    taskType: call.taskType,
    inputs: call.inputs,
    executorBackend,
    ...(call.feedback !== undefined ? { feedback: call.feedback } : {}),
    ...(call.entryPoint !== undefined ? { entryPoint: call.entryPoint } : {}),
    ...(call.tests !== undefined ? { tests: call.tests } : {}),
  };
  try {
    const outcome = await activities.runOperator.executeWithOptions({ summary: call.summary.replace(' ', ' · ') } as never, [input]);
    ledger.push(...outcome.ledger);
    return { callId: call.callId, outcome: { text: outcome.text, passed: outcome.passed, feedback: outcome.feedback } };
  } catch (err) {
    const ledgerOfFailure = failureLedger(err);
    ledger.push(...ledgerOfFailure);
    return { callId: call.callId, error: describeFailure(err) };
  }
}

/** The innermost message of an activity failure: what the director should read. */
export function describeFailure(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  while (current instanceof Error && (current as { cause?: unknown }).cause) {
    current = (current as { cause?: unknown }).cause;
    if (current instanceof Error && current.message) message = current.message;
  }
  return message;
}

function failureLedger(err: unknown): LedgerEntry[] {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as { ledger?: LedgerEntry[] } | undefined;
    if (details && Array.isArray(details.ledger)) return details.ledger;
  }
  return [];
}
