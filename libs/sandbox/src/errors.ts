/** Errors the sandbox raises before any code runs. Each says what was wrong and what to do. */

/** No isolation mechanism works on this machine and the unsafe opt-out was not given. */
export class SandboxUnavailableError extends Error {
  override readonly name = 'SandboxUnavailableError';
}

/** The request itself is invalid (bad file path, absurd limits, ...): retrying cannot help. */
export class SandboxRequestError extends Error {
  override readonly name = 'SandboxRequestError';
}

/** The caller aborted the run while it waited for a free slot. */
export class SandboxAbortedError extends Error {
  override readonly name = 'SandboxAbortedError';
}
