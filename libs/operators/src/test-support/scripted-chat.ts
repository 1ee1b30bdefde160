import {
  isOperatorSuspension,
  type ChatRequest,
  type ChatResult,
  type CodeRunRequest,
  type CodeRunResult,
  type LedgerEntry,
  type OperatorActivities,
  type OperatorOutcome,
  type OperatorSuspension,
  type RunOperatorInput,
} from '@flowsteer/contracts';
import { createOperatorActivities } from '../create-operator-activities';
import type { ChatClient, RunCode } from '../core/ports';

export type ScriptedAnswer = string | Error | ((req: ChatRequest) => string);

/**
 * An in-memory ChatClient answering from a script, one entry per call, in order. It records every
 * request and fails loudly when the script runs out, so a test notices unexpected extra calls.
 */
export class ScriptedChat implements ChatClient {
  readonly requests: ChatRequest[] = [];
  private next = 0;

  constructor(private readonly answers: ScriptedAnswer[]) {}

  async chat(req: ChatRequest): Promise<ChatResult> {
    this.requests.push(req);
    const answer = this.answers[this.next++];
    if (answer === undefined) throw new Error(`ScriptedChat: no answer scripted for call ${this.next} (${req.purpose ?? ''})`);
    if (answer instanceof Error) throw answer;
    const text = typeof answer === 'function' ? answer(req) : answer;
    return {
      text,
      finishReason: 'stop',
      ledger: {
        backend: req.backend,
        model: 'scripted',
        purpose: req.purpose,
        promptTokens: req.messages.reduce((n, m) => n + m.content.length, 0),
        completionTokens: text.length,
        latencyMs: 1,
        costUsd: 0.001,
        attempts: 1,
      },
    };
  }

  /** The user message of call `i` (0-based). */
  userText(i: number): string {
    return this.requests[i]?.messages.find((m) => m.role === 'user')?.content ?? '';
  }

  /** System plus user text of call `i`. */
  allText(i: number): string {
    return (this.requests[i]?.messages ?? []).map((m) => m.content).join('\n');
  }

  get calls(): number {
    return this.requests.length;
  }
}

export type ScriptedRun = Partial<CodeRunResult> | ((req: CodeRunRequest) => Partial<CodeRunResult>);

/** A fake code runner answering from a script; records each request. */
export function scriptedRunner(runs: ScriptedRun[]): RunCode & { requests: CodeRunRequest[] } {
  const requests: CodeRunRequest[] = [];
  let next = 0;
  const run = async (req: CodeRunRequest): Promise<CodeRunResult> => {
    requests.push(req);
    const scripted = runs[next++];
    if (scripted === undefined) throw new Error(`scriptedRunner: no run scripted for call ${next}`);
    const partial = typeof scripted === 'function' ? scripted(req) : scripted;
    return {
      stdout: '',
      stderr: '',
      exitCode: 0,
      signal: null,
      stopReason: 'ok',
      wallTimeMs: 5,
      cpuTimeMs: 5,
      isolation: 'scripted',
      ...partial,
    };
  };
  return Object.assign(run, { requests });
}

export function operatorInput(overrides: Partial<RunOperatorInput> & Pick<RunOperatorInput, 'operator'>): RunOperatorInput {
  return {
    nodeId: 'node_1',
    prompt: '',
    problem: 'What is 6 * 7?',
    taskType: 'math',
    inputs: 'What is 6 * 7?',
    executorBackend: 'executor-test',
    ...overrides,
  };
}

/**
 * Runs one operator through the public activity with a scripted executor, driving it the way the
 * workflow does: each suspension's code goes to `runCode` (standing in for the sandbox queue) and
 * the operator is called again with its journal and the result. The outcome's ledger is the sum of
 * every invocation's; `suspensions` are the steps it stopped at. Without `runCode` a suspension
 * fails the call (the canvas worker has no runner).
 */
export async function runScripted(
  answers: ScriptedAnswer[],
  input: Partial<RunOperatorInput> & Pick<RunOperatorInput, 'operator'>,
  runCode?: RunCode,
): Promise<{ outcome: OperatorOutcome; chat: ScriptedChat; suspensions: OperatorSuspension[] }> {
  const chat = new ScriptedChat(answers);
  const { runOperator } = createOperatorActivities({ chat });
  return { chat, ...(await driveOperator(runOperator, operatorInput(input), runCode)) };
}

/** Calls `runOperator` until it finishes, running each suspension's code with `runCode` (as the workflow does). */
export async function driveOperator(
  runOperator: OperatorActivities['runOperator'],
  input: RunOperatorInput,
  runCode?: RunCode,
): Promise<{ outcome: OperatorOutcome; suspensions: OperatorSuspension[] }> {
  const suspensions: OperatorSuspension[] = [];
  const ledger: LedgerEntry[] = [];
  let current = input;
  for (;;) {
    const step = await runOperator(current);
    ledger.push(...step.ledger);
    if (!isOperatorSuspension(step)) return { outcome: { ...step, ledger }, suspensions };
    suspensions.push(step);
    if (!runCode) throw new Error(`runScripted: ${step.operator} suspended for a code run (${step.step}) and no runner was given`);
    if (suspensions.length > 20) throw new Error('runScripted: more than 20 suspensions');
    const result = await runCode(step.request as CodeRunRequest);
    current = { ...current, resume: { journal: step.journal, result } };
  }
}
