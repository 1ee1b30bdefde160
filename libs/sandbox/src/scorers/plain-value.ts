/**
 * Validation of the plain values the call side returns (the codec of replay-harness.ts). Whatever
 * the candidate's process prints is parsed as JSON and must be exactly this shape before it reaches
 * the test side; anything else is the candidate's failure.
 */
export type PlainValue = null | boolean | number | string | PlainValue[] | { [tag: string]: unknown };

const FLOAT = /^-?(?:\d+(?:\.\d*)?(?:e[+-]?\d+)?|inf|nan)$/;
const INT = /^-?\d+$/;
const HEX = /^(?:[0-9a-f]{2})*$/;

export function isPlainValue(v: unknown, depth = 0): v is PlainValue {
  if (depth > 64) return false;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return true;
  if (typeof v === 'number') return Number.isSafeInteger(v);
  if (Array.isArray(v)) return v.every((x) => isPlainValue(x, depth + 1));
  if (typeof v !== 'object') return false;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length !== 1) return false;
  const [tag, x] = entries[0] as [string, unknown];
  const list = (y: unknown): boolean => Array.isArray(y) && y.every((e) => isPlainValue(e, depth + 1));
  switch (tag) {
    case '$f':
      return typeof x === 'string' && FLOAT.test(x);
    case '$i':
      return typeof x === 'string' && INT.test(x) && x.length <= 5000;
    case '$t':
    case '$s':
    case '$fs':
      return list(x);
    case '$d':
      return Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && list(p));
    case '$b':
      return typeof x === 'string' && HEX.test(x);
    case '$c':
      return Array.isArray(x) && x.length === 2 && x.every((p) => typeof p === 'string' && FLOAT.test(p));
    default:
      return false;
  }
}

/** One result of the call side: a plain return value, or the name and message of what it raised. */
export type CallResult = { v: PlainValue } | { e: string; m?: string };

export function isCallResult(r: unknown): r is CallResult {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return false;
  const o = r as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'v') return isPlainValue(o['v']);
  return (
    typeof o['e'] === 'string' &&
    /^[A-Za-z_]\w{0,80}$/.test(o['e']) &&
    (o['m'] === undefined || typeof o['m'] === 'string') &&
    keys.every((k) => k === 'e' || k === 'm')
  );
}

/** The last non-empty line of a run's stdout as JSON, if it is JSON. */
export function lastJsonLine(stdout: string): unknown {
  const lines = stdout.trim().split('\n');
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  try {
    return JSON.parse(last);
  } catch {
    return undefined;
  }
}
