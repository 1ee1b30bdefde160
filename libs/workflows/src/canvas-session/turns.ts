import { isCancellation, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { takeTurn } from '@flowsteer/canvas';
import { SA, type LedgerEntry, type OperatorResume, type SessionInput } from '@flowsteer/contracts';
import type { SessionActivityProxies } from './proxies';
import type { HumanRequest, SessionControl } from './control';
import { directorRequest, feedbackText } from './director';
import { executeCanvas, type ExecutionMemo } from './execute';
import { BackendOutage, SessionCannotContinue, classifyFailure } from './failures';
import { withOutageWaits } from './outage';
import type { SessionRecord } from './session-record';

/** One director turn: ask (waiting out outages), decide and fold, execute when the graph changed, record. */
export async function directorTurn(
  record: SessionRecord,
  control: SessionControl,
  input: SessionInput,
  activities: SessionActivityProxies,
): Promise<void> {
  const turn = record.state.turn + 1;
  const request = directorRequest(record, input, turn);
  const reply = await withOutageWaits(record, control, input, () => askDirector(record, activities, request, turn));
  record.addLedger('director', [reply.ledger]);
  const outcome = takeTurn(record.state, reply.text, { actor: 'director' });
  const range = record.apply(outcome.events);
  const executorLedger = outcome.execute ? await runExecution(record, control, input, activities) : [];
  record.addTranscript({
    turn,
    actor: 'director',
    text: reply.text,
    outcome: outcome.accepted ? (outcome.action ? describe(outcome) : 'accepted') : `rejected: ${outcome.rejection?.reason ?? 'unknown'}`,
    accepted: outcome.accepted,
    feedback: feedbackText(record.state),
    eventRange: [range[0], record.eventCount],
    ledger: [reply.ledger, ...executorLedger],
    ...(reply.sampleRef ? { sampleRef: reply.sampleRef } : {}),
  });
  upsertTurns(record);
}

/** Workflow-time interval between two updates of the Turns search attribute while a session runs. */
export const TURNS_UPSERT_INTERVAL_MS = 10_000;

/**
 * The list view's turn count, updated on the first turn of a run and then at most every
 * TURNS_UPSERT_INTERVAL_MS (the end of the session always sets the final count, finish.ts). Each
 * update is a history event and a write to the server's visibility store; once per turn it was a
 * per-turn cost of every session (#18). Histories recorded before keep their update per turn.
 */
function upsertTurns(record: SessionRecord): void {
  if (patched('turns-search-attribute-throttled')) {
    const now = Date.now();
    if (record.turnsUpsertedAt !== undefined && now - record.turnsUpsertedAt < TURNS_UPSERT_INTERVAL_MS) return;
    record.turnsUpsertedAt = now;
  }
  upsertSearchAttributes([{ key: SA.turns, value: record.state.turn }]);
}

async function askDirector(
  record: SessionRecord,
  activities: SessionActivityProxies,
  request: ReturnType<typeof directorRequest>,
  turn: number,
) {
  try {
    const reply = await activities.policyTurn.executeWithOptions({ summary: `turn ${turn} · director` }, [request]);
    if (activities.llmCalls === 'local') activities.unsynced.note(reply);
    return reply;
  } catch (err) {
    if (isCancellation(err)) throw err;
    const failure = classifyFailure(err);
    record.addLedger('director', failure.ledger);
    if (failure.kind === 'outage') throw new BackendOutage('director', `director (turn ${turn}): ${failure.message}`);
    throw new SessionCannotContinue(`director (turn ${turn}): ${failure.message}`);
  }
}

/** Executes the canvas, waiting out executor outages; returns the ledger of the calls it made. */
export async function runExecution(
  record: SessionRecord,
  control: SessionControl,
  input: SessionInput,
  activities: SessionActivityProxies,
) {
  const memo: ExecutionMemo = new Map();
  const resumes = new Map<string, OperatorResume>();
  const ledger: LedgerEntry[] = [];
  try {
    const executed = await withOutageWaits(record, control, input, () =>
      executeCanvas(record.state, { executor: input.executorBackend, director: input.directorBackend }, activities, {
        memo,
        resumes,
        ledger,
        problem: record.problemText,
        tests: record.testsText,
      }),
    );
    record.apply(executed.events);
    return ledger;
  } finally {
    record.addLedger('executor', ledger); // failed calls count too, also when the outage ends the session
  }
}

/** A person's edits, applied between turns exactly like director actions (and executed the same way). */
export async function applyHumanActions(
  record: SessionRecord,
  control: SessionControl,
  input: SessionInput,
  activities: SessionActivityProxies,
): Promise<void> {
  while (control.humanQueue.length > 0) {
    const { text, done } = control.humanQueue.shift() as HumanRequest;
    const outcome = takeTurn(record.state, text, { actor: 'human' });
    const range = record.apply(outcome.events);
    const ledger = outcome.execute ? await runExecution(record, control, input, activities) : [];
    const result = {
      accepted: outcome.accepted,
      outcome: outcome.accepted ? describe(outcome) : `rejected: ${outcome.rejection?.reason ?? 'unknown'}`,
    };
    record.addTranscript({
      turn: record.state.turn,
      actor: 'human',
      text,
      outcome: result.outcome,
      accepted: outcome.accepted,
      feedback: feedbackText(record.state),
      eventRange: [range[0], record.eventCount],
      ledger,
    });
    done(result);
  }
}

function describe(outcome: ReturnType<typeof takeTurn>): string {
  const taken = outcome.events.find((e) => e.type === 'TurnTaken');
  return taken && taken.type === 'TurnTaken' ? taken.summary : 'accepted';
}
