import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { LedgerEntry } from '@flowsteer/contracts';

/**
 * What an activity failure means for a session:
 * - `outage`: the backend (or the worker pool serving it) is not answering — rate limits, 5xx,
 *   timeouts, dropped connections, garbage instead of a completion, an activity that timed out.
 *   The session waits it out; it is never the director's fault and never a result.
 * - `config`: no retry and no wait can fix it (unknown backend, bad key, missing model, no
 *   sandbox): the session fails with the reason.
 * - `task`: the work itself failed (the executor's output was empty, the prompt too long for the
 *   context): an executor one is an execution error the director reads; a director one ends the session.
 */
export type FailureKind = 'outage' | 'config' | 'task';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** The innermost message, for people and for the director. */
  message: string;
  /** Calls made before the failure, the failed one included (when the activity reported them). */
  ledger: LedgerEntry[];
}

const OUTAGE_LLM_KINDS = new Set(['rate-limit', 'server', 'timeout', 'connection', 'bad-response', 'local']);
const CONFIG_LLM_KINDS = new Set(['config', 'unknown-backend', 'auth', 'model-missing']);
const CONFIG_TYPES = new Set(['InvalidBackendConfig', 'UnknownBackend', 'UnknownOperator', 'SandboxUnavailable', 'BadOperatorInput']);

export function classifyFailure(err: unknown): ClassifiedFailure {
  const message = innermostMessage(err);
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof TimeoutFailure)
    return {
      kind: 'outage',
      message: `${message} (${(cause.timeoutType ?? 'activity').toLowerCase().replace(/_/g, '-')} timeout)`,
      ledger: [],
    };
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as { ledger?: LedgerEntry[]; kind?: string } | undefined;
    const ledger = Array.isArray(details?.ledger) ? details.ledger : [];
    const type = cause.type ?? '';
    if (type.startsWith('LlmError.')) {
      const llmKind = type.slice('LlmError.'.length);
      if (OUTAGE_LLM_KINDS.has(llmKind)) return { kind: 'outage', message, ledger };
      if (CONFIG_LLM_KINDS.has(llmKind)) return { kind: 'config', message, ledger };
      return { kind: 'task', message, ledger };
    }
    if (type === 'LlmError') return { kind: 'outage', message, ledger };
    if (CONFIG_TYPES.has(type)) return { kind: 'config', message, ledger };
    return { kind: 'task', message, ledger };
  }
  return { kind: 'task', message, ledger: [] };
}

/**
 * A sandbox-queue call that no worker took within its schedule-to-start timeout: no sandbox worker
 * is polling (the pool is down or was never started). Returns the message the session fails with.
 */
export function sandboxPoolDown(err: unknown, queue: string, what: string): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof TimeoutFailure) || String(cause.timeoutType) !== 'SCHEDULE_TO_START') return undefined;
  return (
    `sandbox unavailable: no sandbox worker took ${what} from task queue "${queue}" in time (schedule-to-start timeout). ` +
    'Candidate code runs only on sandbox workers: start one (`flowsteer up` does; in Kubernetes the sandbox pool, FLOWSTEER_WORKER_ROLES=sandbox).'
  );
}

/** The innermost message of an activity failure. */
export function innermostMessage(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  while (current instanceof Error && (current as { cause?: unknown }).cause) {
    current = (current as { cause?: unknown }).cause;
    if (current instanceof Error && current.message) message = current.message;
  }
  return message;
}

/** Thrown inside the session's own code when a backend is out; the turn loop waits and retries. */
export class BackendOutage extends Error {
  override readonly name = 'BackendOutage';
  constructor(
    readonly role: 'director' | 'executor',
    message: string,
  ) {
    super(message);
  }
}

/** Thrown when the session cannot go on (a configuration error); it fails with this reason. */
export class SessionCannotContinue extends Error {
  override readonly name = 'SessionCannotContinue';
}

/** Waits between tries during an outage: `firstMs` (15 s by default), doubling, at most 5 min. */
export function outageBackoffMs(tries: number, firstMs = 15_000): number {
  return Math.min(5 * 60_000, firstMs * 2 ** Math.max(0, tries));
}
