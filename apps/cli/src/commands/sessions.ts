import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { cutEventsAtTurn, type CanvasEvent } from '@flowsteer/canvas';
import {
  canvasQuery,
  eventsQuery,
  sumLedger,
  transcriptQuery,
  type SessionInput,
  type SessionResult,
  type TranscriptEntry,
} from '@flowsteer/contracts';
import { workerWorkflowOptions } from '@flowsteer/temporal-runtime';
import { CliError } from '../processes';
import { startSessionInput } from '../solve/sessions';
import { connectClient } from '../temporal';
import { uiLink } from './solve';

async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const { client, connection } = await connectClient();
  try {
    return await fn(client);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new CliError(`no workflow with id ${err.workflowId ?? ''} in this namespace`);
    throw err;
  } finally {
    await connection.close();
  }
}

/** The session's own result, read from its history (no worker or LLM needed). */
async function completedResult(client: Client, workflowId: string): Promise<SessionResult | undefined> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  if (description.status.name !== 'COMPLETED') return undefined;
  return (await handle.result()) as SessionResult;
}

/** The input the session was started with: the first event of its history. */
async function originalInput(client: Client, workflowId: string): Promise<SessionInput> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  const [input] = await Promise.all(payloads.map((p) => client.options.loadedDataConverter.payloadConverter.fromPayload(p)));
  if (!input) throw new CliError(`${workflowId} has no recorded input; is it a canvasSession?`);
  return input as SessionInput;
}

function printTranscript(transcript: TranscriptEntry[]): void {
  for (const t of transcript) {
    const text = t.text.replace(/\s+/g, ' ').trim();
    console.log(`turn ${t.turn} ${t.actor}: ${text.length > 160 ? `${text.slice(0, 159)}…` : text}`);
    console.log(`   -> ${t.accepted ? 'accepted' : 'rejected'}: ${t.outcome}`);
  }
}

/** `flowsteer show <id>`: canvas DSL, transcript and ledger of a session. */
export async function show(workflowId: string, opts: { json?: boolean }): Promise<void> {
  await withClient(async (client) => {
    const handle = client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    const result = await completedResult(client, workflowId);
    const [view, transcript] = result ? [undefined, result.transcript] : await Promise.all([handle.query(canvasQuery), handle.query(transcriptQuery)]);
    if (opts.json) {
      console.log(JSON.stringify({ workflowId, status: description.status.name, result, canvas: view, transcript }, null, 2));
      return;
    }
    console.log(`${workflowId}  ${description.status.name}  ${uiLink(workflowId)}`);
    console.log(`workflow: ${result?.dsl ?? view?.dsl ?? '(empty)'}`);
    console.log(`turns: ${result?.turns ?? view?.turn}  answer: ${result?.answer ?? view?.lastAnswer ?? '(none yet)'}`);
    if (result?.score) console.log(`score: ${result.score.primary} ${JSON.stringify(result.score.metrics)}`);
    if (result) {
      const d = sumLedger(result.ledger.director);
      const e = sumLedger(result.ledger.executor);
      console.log(`ledger: director ${d.calls} calls ${d.promptTokens}+${d.completionTokens} tokens; executor ${e.calls} calls ${e.promptTokens}+${e.completionTokens} tokens; cost $${result.totals.costUsd.toFixed(4)}`);
    }
    console.log('');
    printTranscript(transcript);
  });
}

/**
 * `flowsteer replay <id>`: replays the session's history against the current workflow code (the
 * determinism check) and prints its transcript; no activity runs, so no LLM is called.
 */
export async function replay(workflowId: string): Promise<void> {
  await withClient(async (client) => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    try {
      await Worker.runReplayHistory({ ...workerWorkflowOptions(), replayName: 'flowsteer-cli-replay' }, history, workflowId);
    } catch (err) {
      throw new CliError(`replay of ${workflowId} FAILED against the current workflow code: ${(err as Error).message}`);
    }
    console.log(`replay ok: ${history.events?.length ?? 0} history events of ${workflowId} replay deterministically on the current code`);
    const result = await completedResult(client, workflowId);
    if (result) printTranscript(result.transcript);
    else console.log('(the session has not completed; `flowsteer show` reads its live transcript)');
  });
}

/** `flowsteer fork <id> --turn K`: a new session that starts from the canvas of turn K. */
export async function fork(workflowId: string, opts: { turn: string; director?: string; executor?: string; maxTurns?: string }): Promise<void> {
  const turn = Number(opts.turn);
  await withClient(async (client) => {
    const original = await originalInput(client, workflowId);
    const result = await completedResult(client, workflowId);
    const events = (result?.events ?? (await client.workflow.getHandle(workflowId).query(eventsQuery))) as CanvasEvent[];
    let cut;
    try {
      cut = cutEventsAtTurn(events, turn);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    const input: SessionInput = {
      ...original,
      directorBackend: opts.director ?? original.directorBackend,
      executorBackend: opts.executor ?? original.executorBackend,
      limits: { ...original.limits, ...(opts.maxTurns ? { maxTurns: Number(opts.maxTurns) } : {}) },
      startFrom: { sessionId: workflowId, turn, events: cut.events },
    };
    const handle = await startSessionInput(client, input, `fork${turn}-${Date.now().toString(36)}`);
    console.log(`forked ${workflowId} at turn ${turn}/${cut.availableTurns} -> ${handle.workflowId}`);
    console.log(uiLink(handle.workflowId));
  });
}
