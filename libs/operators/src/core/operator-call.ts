import { randomBytes } from 'node:crypto';
import type { ChatMessage, CodeRunRequest, CodeRunResult, LedgerEntry, OperatorJournalEntry, RunOperatorInput } from '@flowsteer/contracts';
import { badInput, journalMismatch } from './failures';
import { heartbeat, withHeartbeat } from '@flowsteer/temporal-runtime/activity';

/** Often enough for the session's 10 s heartbeat timeout, which lets a dead worker's call move on quickly. */
export const HEARTBEAT_EVERY_MS = 3_000;
import type { ChatClient } from './ports';
import { stripThinking } from '../parse/tags';

/** Sampling used for every executor call (the reference runs its executor greedily). */
export interface ExecutorSampling {
  temperature: number;
  maxTokens: number;
}

export const DEFAULT_SAMPLING: ExecutorSampling = { temperature: 0, maxTokens: 2048 };

/** The operator's input with every text read whole (the activity resolves references first). */
export type ResolvedOperatorInput = Omit<RunOperatorInput, 'problem' | 'inputs' | 'tests' | 'resume'> & {
  problem: string;
  inputs: string | string[];
  tests?: string;
};

/**
 * Thrown by `OperatorCall.run` when the operator needs code run that its journal does not hold yet:
 * the activity returns a suspension and the workflow runs the code on the sandbox queue.
 */
export class NeedsCodeRun extends Error {
  override readonly name = 'NeedsCodeRun';
  constructor(
    readonly request: CodeRunRequest,
    readonly step: string,
  ) {
    super(`needs a code run (${step})`);
  }
}

/**
 * What one operator implementation sees: its input (upstream text both joined and as a list), a
 * way to ask the executor LLM that keeps the ledger and heartbeats, a way to have code run, and a
 * place to leave notes about tolerated format problems.
 *
 * Operators are resumable: every LLM answer and code result goes into `journal`. Code never runs
 * here: `run` past the end of the journal throws `NeedsCodeRun`, and the operator is called again
 * later with the result appended; it then replays its journal (same answers, no repeated LLM call)
 * and goes on. Implementations only need to be deterministic given their answers and results.
 */
export class OperatorCall {
  /** The LLM calls this invocation made (replayed ones were accounted for by an earlier one). */
  readonly ledger: LedgerEntry[] = [];
  readonly notes: string[] = [];
  /** Everything done so far, replayed entries first. */
  readonly journal: OperatorJournalEntry[];
  private cursor = 0;
  /** The upstream input as one text (a list is joined with a separator line). */
  readonly text: string;
  /** The upstream input as a list (a single string becomes a one-item list). */
  readonly list: string[];

  constructor(
    readonly input: ResolvedOperatorInput,
    private readonly chat: ChatClient,
    private readonly sampling: ExecutorSampling = DEFAULT_SAMPLING,
    private readonly replayed: readonly OperatorJournalEntry[] = [],
  ) {
    this.journal = [...replayed];
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
    const earlier = this.replay('llm', purpose);
    if (earlier) return stripThinking(earlier.text);
    const messages: ChatMessage[] = [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ];
    // A call can wait behind others for the backend's concurrency slot (the embedded model serves
    // one at a time), so keep heartbeating while it is in flight, not only around it.
    const started = Date.now();
    const result = await withHeartbeat(
      () => ({ phase: 'llm', purpose, waitingMs: Date.now() - started }),
      () =>
        this.chat.chat({
          backend: this.input.executorBackend,
          messages,
          temperature: this.sampling.temperature,
          maxTokens: this.sampling.maxTokens,
          purpose,
        }),
      { everyMs: HEARTBEAT_EVERY_MS },
    );
    this.ledger.push(result.ledger);
    this.journal.push({ kind: 'llm', text: result.text ?? '', ledger: result.ledger });
    this.cursor = this.journal.length;
    heartbeat({ phase: 'llm-done', purpose });
    return stripThinking(result.text ?? '');
  }

  /**
   * Runs code in the sandbox: the journal's result when this run was done before, else the
   * operator stops here (`NeedsCodeRun`) and the workflow runs it on the sandbox queue.
   */
  async run(request: CodeRunRequest, step: string): Promise<CodeRunResult> {
    const earlier = this.replay('code', `${this.input.nodeId} ${this.input.operator} ${step}`);
    if (earlier) return earlier.result;
    throw new NeedsCodeRun(request, step);
  }

  /** The next journal entry when replaying (it must be of the expected kind), else undefined. */
  private replay<K extends OperatorJournalEntry['kind']>(kind: K, purpose: string): Extract<OperatorJournalEntry, { kind: K }> | undefined {
    if (this.cursor >= this.replayed.length) return undefined;
    const entry = this.replayed[this.cursor++] as OperatorJournalEntry;
    if (entry.kind !== kind) throw journalMismatch(purpose, kind, entry.kind);
    return entry as Extract<OperatorJournalEntry, { kind: K }>;
  }

  /**
   * A random secret (hex) that stays the same when the operator is resumed from its journal: e.g.
   * the nonce of a verdict line, which must match the recorded run's output.
   */
  secret(purpose: string): string {
    const earlier = this.replay('secret', `${this.input.nodeId} ${this.input.operator} ${purpose}`);
    if (earlier) return earlier.value;
    const value = randomBytes(16).toString('hex');
    this.journal.push({ kind: 'secret', value });
    this.cursor = this.journal.length;
    return value;
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
