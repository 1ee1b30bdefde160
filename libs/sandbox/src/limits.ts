import type { CodeRunLimits } from '@flowsteer/contracts';
import { SandboxRequestError } from './errors';

/** Limits with every field set, as the runner applies them. */
export type ResolvedLimits = Required<CodeRunLimits>;

/** Defaults for a run that names no limits: enough for DS-1000's pandas/sklearn imports. */
export const DEFAULT_LIMITS: ResolvedLimits = {
  wallTimeMs: 10_000,
  cpuTimeSec: 10,
  memoryMb: 1024,
  maxProcesses: 32,
  maxOutputBytes: 1024 * 1024,
  diskMb: 64,
};

/** Hard ceilings: a request asking for more is clamped to these (the worker's operator sets them). */
export const MAX_LIMITS: ResolvedLimits = {
  wallTimeMs: 10 * 60_000,
  cpuTimeSec: 10 * 60,
  memoryMb: 16 * 1024,
  maxProcesses: 1024,
  maxOutputBytes: 64 * 1024 * 1024,
  diskMb: 4096,
};

const MIN_LIMITS: ResolvedLimits = {
  wallTimeMs: 50,
  cpuTimeSec: 1,
  memoryMb: 64,
  maxProcesses: 1,
  maxOutputBytes: 0,
  diskMb: 1,
};

const KEYS = Object.keys(DEFAULT_LIMITS) as (keyof ResolvedLimits)[];

/**
 * Fills in and checks limits. A limit that is not a finite number is an error; a limit outside the
 * allowed range is clamped into it. Without an explicit CPU limit the CPU limit follows the wall
 * limit (rounded up to whole seconds), so a short wall limit is not undercut by a long CPU default.
 */
export function resolveLimits(
  requested: CodeRunLimits | undefined,
  defaults: ResolvedLimits = DEFAULT_LIMITS,
  max: ResolvedLimits = MAX_LIMITS,
): ResolvedLimits {
  const req = requested ?? {};
  for (const key of Object.keys(req)) {
    if (!KEYS.includes(key as keyof ResolvedLimits)) {
      throw new SandboxRequestError(`unknown sandbox limit "${key}": known limits are ${KEYS.join(', ')}`);
    }
  }
  const out = { ...defaults };
  for (const key of KEYS) {
    const value = req[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new SandboxRequestError(`sandbox limit ${key} must be a finite number, got ${JSON.stringify(value)}`);
    }
    out[key] = value;
  }
  if (req.cpuTimeSec === undefined && req.wallTimeMs !== undefined) {
    out.cpuTimeSec = Math.ceil(out.wallTimeMs / 1000);
  }
  for (const key of KEYS) {
    const v = key === 'wallTimeMs' || key === 'maxOutputBytes' ? Math.round(out[key]) : Math.ceil(out[key]);
    out[key] = Math.min(max[key], Math.max(MIN_LIMITS[key], v));
  }
  return out;
}
