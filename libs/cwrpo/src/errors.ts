/** Raised for inputs CWRPO cannot work with; the message says what was wrong and what to pass instead. */
export class CwrpoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CwrpoError';
  }
}

/** Throws unless `value` is a finite number; `what` names it in the message. */
export function requireFinite(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CwrpoError(`${what} must be a finite number, got ${String(value)}`);
  }
  return value;
}
