import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ArtifactStore } from '@flowsteer/artifacts';
import { MAX_TURNS, effectiveSessionStatus, sessionInputProblems, type SessionInput, type TranscriptEntry } from '@flowsteer/contracts';
import { readSession, replayWorkflowChain, runInput } from '@flowsteer/temporal-runtime';
import { WORKSPACE_ROOT } from '../paths';
import { CliError } from '../processes';
import { startSessionInput } from '../solve/sessions';
import { connectClient } from '../temporal';
import { maxProblemBytes } from '../solve/limits';
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

export function artifactStore(): ArtifactStore {
  return ArtifactStore.fromEnv(process.env, WORKSPACE_ROOT);
}

/** The session's input (task, backends, limits), as its latest run was started with it. */
async function originalInput(client: Client, workflowId: string): Promise<SessionInput> {
  const input = await runInput(client, await client.workflow.getHandle(workflowId).fetchHistory());
  if (!input) throw new CliError(`${workflowId} has no recorded input; is it a canvasSession?`);
  const { carry: _carry, ...original } = input;
  return original;
}

function printTranscript(transcript: TranscriptEntry[]): void {
  for (const t of transcript) {
    const text = t.text.replace(/\s+/g, ' ').trim();
    console.log(`turn ${t.turn} ${t.actor}: ${text.length > 160 ? `${text.slice(0, 159)}…` : text}`);
    console.log(`   -> ${t.accepted ? 'accepted' : 'rejected'}: ${t.outcome}`);
  }
}

/** `flowsteer show <id>`: canvas DSL, transcript and ledger of a session, across all its runs. */
export async function show(workflowId: string, opts: { json?: boolean }): Promise<void> {
  await withClient(async (client) => {
    const read = await readSession(client, artifactStore(), workflowId);
    const { result, view } = read;
    if (opts.json) {
      console.log(JSON.stringify(read, null, 2));
      return;
    }
    const status = result?.status ?? effectiveSessionStatus(read.status, view?.status) ?? read.status;
    console.log(`${workflowId}  ${read.status} (${status})  ${uiLink(workflowId)}`);
    if (read.forkedFrom) console.log(`forked from ${read.forkedFrom.sessionId} at turn ${read.forkedFrom.turn}`);
    console.log(`workflow: ${result?.dsl ?? view?.dsl ?? '(empty)'}`);
    console.log(
      `turns: ${result?.turns ?? view?.turn ?? '?'}  runs: ${result?.runs ?? (view ? view.run + 1 : '?')}  answer: ${result?.answer ?? view?.lastAnswer ?? '(none yet)'}`,
    );
    if (result?.reason) console.log(`reason: ${result.reason}`);
    if (view?.waiting) console.log(`waiting for a backend since ${new Date(view.waiting.since).toISOString()}: ${view.waiting.reason}`);
    if (result?.score) console.log(`score: ${result.score.primary} ${JSON.stringify(result.score.metrics)}`);
    if (result) {
      const { director: d, executor: e } = result.ledger;
      console.log(
        `ledger: director ${d.calls} calls (${d.failedCalls} failed, ${d.attempts} requests) ${d.promptTokens}+${d.completionTokens} tokens; ` +
          `executor ${e.calls} calls (${e.failedCalls} failed, ${e.attempts} requests) ${e.promptTokens}+${e.completionTokens} tokens; cost $${result.totals.costUsd.toFixed(4)}`,
      );
      for (const [backend, b] of Object.entries(result.ledger.byBackend ?? {})) {
        console.log(
          `  backend ${backend}: ${b.calls} calls (${b.failedCalls} failed) ${b.promptTokens}+${b.completionTokens} tokens, $${b.costUsd.toFixed(4)}`,
        );
      }
    }
    console.log('');
    printTranscript(read.transcript);
  });
}

/**
 * `flowsteer replay <id>`: replays every run of the session's continue-as-new chain against the
 * current workflow code (the determinism check) and prints its transcript; no activity runs, so no
 * LLM is called.
 */
export async function replay(workflowId: string): Promise<void> {
  await withClient(async (client) => {
    const bundle = process.env.FLOWSTEER_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: process.env.FLOWSTEER_WORKFLOW_BUNDLE } } : {};
    const outcome = await replayWorkflowChain(client, workflowId, { ...bundle, replayName: 'flowsteer-cli-replay' });
    const events = outcome.runs.reduce((n, r) => n + r.events, 0);
    if (!outcome.ok)
      throw new CliError(
        `replay of ${workflowId} FAILED against the current workflow code (run ${outcome.divergence.runId}): ${outcome.divergence.message}`,
      );
    console.log(
      `replay ok: ${outcome.runs.length} run(s), ${events} history events of ${workflowId} replay deterministically on the current code`,
    );
    printTranscript((await readSession(client, artifactStore(), workflowId)).transcript);
  });
}

/** `flowsteer fork <id> --turn K`: a new session that starts from the canvas after turn K. */
export async function fork(
  workflowId: string,
  opts: { turn: string; director?: string; executor?: string; maxTurns?: string },
): Promise<void> {
  const turn = Number(opts.turn);
  if (!Number.isInteger(turn) || turn < 0) throw new CliError(`--turn must be a whole number >= 0, not "${opts.turn}"`);
  let maxTurns: number | undefined;
  if (opts.maxTurns !== undefined) {
    maxTurns = Number(opts.maxTurns);
    if (!Number.isInteger(maxTurns) || maxTurns < 1 || maxTurns > MAX_TURNS)
      throw new CliError(`--max-turns must be a whole number from 1 to ${MAX_TURNS}, not "${opts.maxTurns}"`);
  }
  await withClient(async (client) => {
    const original = await originalInput(client, workflowId);
    const read = await readSession(client, artifactStore(), workflowId);
    const available = read.result?.turns ?? read.view?.turn;
    if (available !== undefined && turn > available)
      throw new CliError(`${workflowId} has taken ${available} director turn(s); fork at a turn from 0 to ${available}`);
    const input: SessionInput = {
      ...original,
      directorBackend: opts.director ?? original.directorBackend,
      executorBackend: opts.executor ?? original.executorBackend,
      limits: { ...original.limits, ...(maxTurns !== undefined ? { maxTurns } : {}) },
      startFrom: { sessionId: workflowId, turn },
    };
    const problems = sessionInputProblems(input, { maxProblemBytes: maxProblemBytes() });
    if (problems.length) throw new CliError(`cannot fork: ${problems.join('; ')}`);
    if (maxTurns !== undefined && maxTurns <= turn)
      throw new CliError(`--max-turns ${maxTurns} leaves no turn after turn ${turn}: give more than ${turn}`);
    const handle = await startSessionInput(client, input, `fork${turn}-${Date.now().toString(36)}`);
    console.log(
      `forked ${workflowId} at turn ${turn}${available !== undefined ? `/${available}` : ''} -> ${handle.workflowId} (max ${input.limits.maxTurns} turns)`,
    );
    console.log(uiLink(handle.workflowId));
  });
}
