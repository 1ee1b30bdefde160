import type { ChatMessage, LedgerEntry, RunOperatorInput } from '@flowsteer/contracts';
import { badInput } from './failures';
import { heartbeat } from './heartbeat';

/** Often enough for the session's 10 s heartbeat timeout, which lets a dead worker's call move on quickly. */
export const HEARTBEAT_EVERY_MS = 3_000;
import type { ChatClient, RunCode } from './ports';
import { stripThinking } from '../parse/tags';

/** Sampling used for every executor call (the reference runs its executor greedily). */
export interface ExecutorSampling {
  temperature: number;
  maxTokens: number;
}

export const DEFAULT_SAMPLING: ExecutorSampling = { temperature: 0, maxTokens: 2048 };

/** The operator's input with every text read whole (the activity resolves references first). */
export type ResolvedOperatorInput = Omit<RunOperatorInput, 'problem' | 'inputs' | 'tests'> & {
  problem: string;
  inputs: string | string[];
  tests?: string;
};

/**
 * What one operator implementation sees: its input (upstream text both joined and as a list), a
 * way to ask the executor LLM that keeps the ledger and heartbeats, the optional code runner, and
 * a place to leave notes about tolerated format problems.
 */
export class OperatorCall {
  readonly ledger: LedgerEntry[] = [];
  readonly notes: string[] = [];
  /** The upstream input as one text (a list is joined with a separator line). */
  readonly text: string;
  /** The upstream input as a list (a single string becomes a one-item list). */
  readonly list: string[];

  constructor(
    readonly input: ResolvedOperatorInput,
    private readonly chat: ChatClient,
    readonly runCode: RunCode | undefined,
    private readonly sampling: ExecutorSampling = DEFAULT_SAMPLING,
  ) {
    const inputs = input.inputs as unknown;
    if (typeof inputs === 'string') {
      this.list = [inputs];
    } else if (Array.isArray(inputs) && inputs.every((i) => typeof i === 'string')) {
      this.list = inputs;
    } else {
      throw badInput(`${input.operator} on ${input.nodeId}: inputs must be a string or a list of strings`);
    }
    this.text = this.list.length === 1 ? (this.list[0] ?? '') : this.list.join('\n---\n');
  }

  /** The upstream text, or the problem when there is none (a first node). */
  get subject(): string {
    return this.text.trim() ? this.text : this.input.problem;
  }

  /**
   * One executor call. `step` names it in the ledger ("node_3 Review"). Returns the completion with
   * reasoning blocks removed.
   */
  async ask(system: string, user: string, step?: string): Promise<string> {
    const purpose = `${this.input.nodeId} ${this.input.operator}${step ? ` ${step}` : ''}`;
    heartbeat({ phase: 'llm', purpose });
    const messages: ChatMessage[] = [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ];
    // A call can wait behind others for the backend's concurrency slot (the embedded model serves
    // one at a time), so keep heartbeating while it is in flight, not only around it.
    const started = Date.now();
    const beat = setInterval(() => heartbeat({ phase: 'llm', purpose, waitingMs: Date.now() - started }), HEARTBEAT_EVERY_MS);
    let result;
    try {
      result = await this.chat.chat({
        backend: this.input.executorBackend,
        messages,
        temperature: this.sampling.temperature,
        maxTokens: this.sampling.maxTokens,
        purpose,
      });
    } finally {
      clearInterval(beat);
    }
    this.ledger.push(result.ledger);
    heartbeat({ phase: 'llm-done', purpose });
    return stripThinking(result.text ?? '');
  }

  note(message: string): void {
    this.notes.push(message);
  }
}

/** What an implementation returns; the activity adds ledger, notes and cache key. */
export interface OperatorResult<O extends object = Record<string, unknown>> {
  text: string;
  output: O;
  passed?: boolean;
  feedback?: string;
}

export type OperatorImpl<O extends object = Record<string, unknown>> = (call: OperatorCall) => Promise<OperatorResult<O>>;
