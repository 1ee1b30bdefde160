/**
 * One error type for every LLM failure. It says which backend failed, what kind of failure it was
 * and whether trying again can help. Messages are built by us from sanitised parts: no API key,
 * no request headers and no raw SDK error object ever ends up in an `LlmError`.
 */

export type LlmErrorKind =
  /** The backend configuration is invalid or incomplete (file, env var, missing key variable). */
  | 'config'
  /** The request names a backend that is not configured. */
  | 'unknown-backend'
  /** The request itself is invalid (HTTP 400/404/409/413/422, prompt too long for the context, ...). */
  | 'bad-request'
  /** HTTP 401/403: the key is missing, wrong or lacks access. */
  | 'auth'
  /** HTTP 429 after all retries. */
  | 'rate-limit'
  /** HTTP 5xx (and 408) after all retries. */
  | 'server'
  /** The per-call hard timeout fired (after all retries). */
  | 'timeout'
  /** The connection failed or was reset (after all retries). */
  | 'connection'
  /** The backend answered with something that is not a usable chat completion (after all retries). */
  | 'bad-response'
  /** The caller (e.g. Temporal activity cancellation) aborted the call. */
  | 'cancelled'
  /** The embedded model file is absent: run the setup script. */
  | 'model-missing'
  /** The embedded model failed while loading or generating. */
  | 'local';

const RETRYABLE: ReadonlySet<LlmErrorKind> = new Set(['rate-limit', 'server', 'timeout', 'connection', 'bad-response']);

export function isRetryableKind(kind: LlmErrorKind): boolean {
  return RETRYABLE.has(kind);
}

export interface LlmErrorOptions {
  backend: string;
  kind: LlmErrorKind;
  /** Defaults to what the kind implies (429/5xx/timeout/connection/bad response: retryable). */
  retryable?: boolean;
  /** HTTP status when the backend answered with one. */
  status?: number;
  /** Attempts made before giving up (1 when the first attempt failed for good). */
  attempts?: number;
}

export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly backend: string;
  readonly kind: LlmErrorKind;
  readonly retryable: boolean;
  readonly status?: number;
  readonly attempts: number;

  constructor(message: string, options: LlmErrorOptions) {
    super(message);
    this.backend = options.backend;
    this.kind = options.kind;
    this.retryable = options.retryable ?? isRetryableKind(options.kind);
    this.status = options.status;
    this.attempts = options.attempts ?? 0;
  }

  /** A copy with a new message/attempt count (used when retries are exhausted). */
  withAttempts(attempts: number, prefix?: string): LlmError {
    return new LlmError(prefix ? `${prefix}${this.message}` : this.message, {
      backend: this.backend,
      kind: this.kind,
      retryable: this.retryable,
      status: this.status,
      attempts,
    });
  }

  /** Plain, serialisable details (what the activity boundary attaches to a Temporal failure). */
  toJSON(): { backend: string; kind: LlmErrorKind; retryable: boolean; status?: number; attempts: number; message: string } {
    return {
      backend: this.backend,
      kind: this.kind,
      retryable: this.retryable,
      status: this.status,
      attempts: this.attempts,
      message: this.message,
    };
  }
}

export function isLlmError(err: unknown): err is LlmError {
  // Duck-typed as well as instanceof: errors may cross realms (jest vm contexts, worker threads).
  return (
    err instanceof LlmError ||
    (typeof err === 'object' &&
      err !== null &&
      (err as { name?: unknown }).name === 'LlmError' &&
      typeof (err as { kind?: unknown }).kind === 'string')
  );
}

// ---------------------------------------------------------------------------------------------
// Redaction

/** Patterns that look like credentials, whatever backend they came from. */
const SECRET_PATTERNS: ReadonlyArray<{ re: RegExp; to: string }> = [
  { re: /\b(?:sk|pk|rk)-[A-Za-z0-9_*-]{8,}/g, to: '[redacted]' }, // OpenAI/DeepSeek-style keys, also masked ones
  { re: /\bBearer\s+[A-Za-z0-9._~+/=*-]{6,}/gi, to: 'Bearer [redacted]' },
  { re: /\b(api[_-]?key|token|secret|password)(["'\s:=]+)[A-Za-z0-9._~+/=*-]{8,}/gi, to: '$1$2[redacted]' },
  { re: /\b[a-f0-9]{40,}\b/gi, to: '[redacted]' }, // long hex tokens (e.g. Together keys)
  { re: /\/\/[^/\s:@]+:[^/\s@]+@/g, to: '//[redacted]@' }, // credentials in URLs
];

/**
 * Removes the given secrets (exact values and the 8-character head / 6-character tail that a
 * server may echo in a masked form, e.g. "sk-abc1...wxyz") and anything that looks like a credential.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join('[redacted]');
    if (secret.length >= 12) {
      out = out.split(secret.slice(0, 8)).join('[redacted]').split(secret.slice(-6)).join('[redacted]');
    }
  }
  for (const { re, to } of SECRET_PATTERNS) out = out.replace(re, to);
  return out;
}

/** Shortens server-provided text for error messages. */
export function clip(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
