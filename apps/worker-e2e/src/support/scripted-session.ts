import { stringify as toYaml } from 'yaml';
import type { CanvasEvent } from '@flowsteer/canvas';
import type { ArtifactStore } from '@flowsteer/artifacts';
import type { SessionInput, SessionResult, SessionSegment, TranscriptEntry } from '@flowsteer/contracts';
import { reply, type FakeReply, type RecordedRequest } from '@flowsteer/llm/test-support';
import { SHORT_DIRECTOR_SCRIPT } from '../../../../libs/workflows/src/test-support/director-script';

/**
 * Stateless scripted LLMs for sessions that must give the same answers when a turn is retried
 * (after a worker crash, a server restart, in a benchmark): the director reads the round number
 * or the operator whose prompt is asked for from the request itself, and the executor computes
 * its answer from the problem in the request. No queue, so any process, any retry, any order
 * gets the same reply for the same request.
 */

/** Director actions by round (turn + 1); prompt turns are answered by operator name. */
export const DIRECTOR_ACTIONS: Record<string, string[]> = {
  // Plan -> [Custom, AnswerGenerate] -> ScEnsemble -> Review ? Revise : done -> Format, 14 turns
  long: [
    '<action>add</action><operator>Magic</operator>',
    '<action>add</action><operator>Plan</operator>',
    '',
    '<action>add</action><structure>parallel</structure><operators>Custom, AnswerGenerate</operators>',
    '',
    '',
    '<action>add</action><operator>ScEnsemble</operator>',
    '',
    '<action>add</action><structure>conditional</structure><condition>Review</condition><true>Revise</true><false>done</false>',
    '',
    '',
    '<action>add</action><operator>Format</operator>',
    '',
    '<action>finish</action>',
  ],
  // Plan -> Custom -> Verify ? Revise : done -> Format, then finish (11 turns)
  short: [...SHORT_DIRECTOR_SCRIPT, '<action>finish</action>'],
  // the long script without its finish, then more checkers until the turn limit (20 turns at maxTurns 20)
  twenty: [
    ...LONG_WITHOUT_FINISH(),
    '<action>add</action><operator>Verify</operator>',
    '',
    '<action>add</action><operator>Review</operator>',
    '',
    '<action>add</action><operator>AnswerGenerate</operator>',
    '',
    '<action>finish</action>',
  ],
};

function LONG_WITHOUT_FINISH(): string[] {
  return [
    '<action>add</action><operator>Magic</operator>',
    '<action>add</action><operator>Plan</operator>',
    '',
    '<action>add</action><structure>parallel</structure><operators>Custom, AnswerGenerate</operators>',
    '',
    '',
    '<action>add</action><operator>ScEnsemble</operator>',
    '',
    '<action>add</action><structure>conditional</structure><condition>Review</condition><true>Revise</true><false>done</false>',
    '',
    '',
    '<action>add</action><operator>Format</operator>',
    '',
  ];
}

/** The number of director turns a script variant takes when every finish is accepted. */
export const SCRIPT_TURNS = { long: DIRECTOR_ACTIONS.long!.length, short: DIRECTOR_ACTIONS.short!.length };

export const OPERATOR_PROMPTS: Record<string, string> = {
  Plan: 'Outline the arithmetic needed.',
  Custom: 'Compute the product directly.',
  AnswerGenerate: 'Answer with the final number only.',
  ScEnsemble: 'Pick the answer most branches agree on.',
  Review: 'Check the arithmetic carefully.',
  Revise: 'Fix the arithmetic if the check failed.',
  Format: 'Return only the number.',
  Programmer: 'Write a program that prints the product.',
  Verify: 'Verify the product.',
};

function requestText(req: RecordedRequest): string {
  const body = req.body as { messages?: Array<{ content?: unknown }> } | undefined;
  return (body?.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
}

/**
 * The director's answer to one request: `[script:NAME]` in the problem picks the variant (default
 * long); rounds past the end of the script (a refused finish) answer finish again.
 */
export function scriptedDirectorReply(req: RecordedRequest, extra: { delayMs?: number } = {}): FakeReply {
  const text = requestText(req);
  const variant = DIRECTOR_ACTIONS[/\[script:(\w+)\]/.exec(text)?.[1] ?? 'long'] ?? DIRECTOR_ACTIONS.long!;
  const promptFor = /Write the prompt for (\w+)/.exec(text)?.[1];
  if (promptFor) return reply.text(OPERATOR_PROMPTS[promptFor] ?? `Do the ${promptFor} step for this problem.`, extra);
  const round = Number(/Round (\d+)/.exec(text)?.[1] ?? NaN);
  if (!Number.isInteger(round)) return reply.status(400, `scripted director: no round and no prompt request in: ${text.slice(-200)}`);
  const action = variant[round - 1];
  return reply.text(action ? action : '<action>finish</action>', extra);
}

/** The executor's answer: the product of "What is A times B" found in the request, in the tags operators read. */
export function scriptedExecutorReply(req: RecordedRequest, extra: { delayMs?: number } = {}): FakeReply {
  const m = /What is (\d+) times (\d+)/.exec(requestText(req));
  const answer = m ? String(Number(m[1]) * Number(m[2])) : '0';
  return reply.text(
    [
      `<thought>Work it out: the result is ${answer}.</thought>`,
      `<response>${answer}</response>`,
      `<solution>${answer}</solution>`,
      `<review_result>true</review_result>`,
      `<feedback>The solution is consistent.</feedback>`,
      `<is_correct>true</is_correct><confidence>high</confidence>`,
      `<plan>1. Read. 2. Compute.</plan>`,
      `<result>${answer}</result>`,
      `<final>${answer}</final>`,
      `<answer>${answer}</answer>`,
    ].join('\n'),
    extra,
  );
}

/** The input of scripted session `i`: a distinct product, alternating long and short scripts. */
export function scriptedSessionInput(i: number, limits: Partial<SessionInput['limits']> = {}): SessionInput {
  const [a, b] = [6 + i, 7 + 2 * i];
  const script = i % 2 === 0 ? 'long' : 'short';
  return {
    task: {
      dataset: 'scripted',
      id: `item-${i}`,
      taskType: 'math',
      problem: `What is ${a} times ${b}? [script:${script}]`,
      answers: [String(a * b)],
    },
    directorBackend: 'director',
    executorBackend: 'executor',
    limits: { maxTurns: 20, ...limits },
  };
}

/** A session's whole record from its stored segments (every run of its continue-as-new chain). */
export async function sessionSegments(
  result: SessionResult,
  store: ArtifactStore,
): Promise<{ events: CanvasEvent[]; transcript: TranscriptEntry[] }> {
  const segments = await Promise.all(result.segments.map((ref) => store.getJson<SessionSegment>(ref)));
  return { events: segments.flatMap((s) => s.events as CanvasEvent[]), transcript: segments.flatMap((s) => s.transcript) };
}

/** What must be equal between two runs of the same scripted session (no latencies, ids or costs). */
export async function comparableResult(result: SessionResult, store: ArtifactStore) {
  const { events, transcript } = await sessionSegments(result, store);
  return {
    status: result.status,
    answer: result.answer,
    dsl: result.dsl,
    turns: result.turns,
    primary: result.score?.primary,
    events: events.map((e) => JSON.stringify(e)),
    transcript: transcript.map(({ turn, actor, text, outcome, accepted, feedback, eventRange }) => ({
      turn,
      actor,
      text,
      outcome,
      accepted,
      feedback,
      eventRange,
    })),
    directorCalls: result.ledger.director.calls,
    executorCalls: result.ledger.executor.calls,
  };
}

/** Operator results folded into the canvas: one ExecutionRecorded event per executed canvas. */
export async function executionsRecorded(result: SessionResult, store: ArtifactStore): Promise<number> {
  return (await sessionSegments(result, store)).events.filter((e) => e.type === 'ExecutionRecorded').length;
}

/** A backends file (FLOWSTEER_BACKENDS) pointing "director" and "executor" at two fake servers. */
export function backendsYaml(
  directorBaseURL: string,
  executorBaseURL: string,
  opts: { concurrency?: number; timeoutMs?: number } = {},
): string {
  const backend = (baseURL: string) => ({
    kind: 'openai-compatible',
    baseURL,
    model: 'fake-model',
    price: { inputPerMTok: 1, outputPerMTok: 2 },
    concurrency: opts.concurrency ?? 64,
    timeoutMs: opts.timeoutMs ?? 5_000,
    retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 },
    capabilities: { jsonSchema: true, grammar: 'llama-cpp', logprobs: true },
  });
  return toYaml({
    defaults: { director: 'director', executor: 'executor' },
    backends: { director: backend(directorBaseURL), executor: backend(executorBaseURL) },
  });
}

/**
 * The long-session probe (issue 16): build `nodes` Custom nodes (two turns each: the add, then its
 * prompt), then rewrite node_1's prompt every turn, so every node runs again on every turn. Stateless
 * like the other scripts: the round number in the request decides.
 */
export function probeDirectorReply(req: RecordedRequest, nodes = 15, extra: { delayMs?: number } = {}): FakeReply {
  const text = requestText(req);
  if (/Write the prompt for (\w+)/.test(text)) return reply.text('Restate the result and add one checked step.', extra);
  const round = Number(/Round (\d+)/.exec(text)?.[1] ?? NaN);
  if (!Number.isInteger(round)) return reply.status(400, `probe director: no round and no prompt request in: ${text.slice(-200)}`);
  if (round <= 2 * nodes) return reply.text('<action>add</action><operator>Custom</operator>', extra);
  return reply.text(`<action>set_prompt</action><target>node_1</target><prompt>Restate the result, revision ${round}.</prompt>`, extra);
}

/** An executor that answers every call with about `bytes` of text derived from the request (so it differs per input). */
export function bulkyExecutorReply(req: RecordedRequest, bytes = 4096, extra: { delayMs?: number } = {}): FakeReply {
  const text = requestText(req);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const line = `step ${h.toString(16)}: the intermediate result is consistent with the problem. `;
  const filler = line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
  return reply.text(`<result>${filler}\nSo the answer is 42 (${h.toString(16)}).</result>\n<answer>42</answer>`, extra);
}
