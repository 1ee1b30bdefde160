import { posix } from 'node:path';
import type { CodeRunRequest } from '@flowsteer/contracts';
import { SandboxRequestError } from './errors';
import { MAIN_FILE, SANDBOX_DIR } from './isolation/mechanisms';
import { type ResolvedLimits, resolveLimits } from './limits';

/** The program's environment: built from nothing, never from the worker's (API keys stay out). */
export function sandboxEnv(extra: Record<string, string> | undefined, home = SANDBOX_DIR): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    TMPDIR: '/tmp',
    USER: 'sandbox',
    LOGNAME: 'sandbox',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUTF8: '1',
    PYTHONIOENCODING: 'utf-8',
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
    NUMEXPR_NUM_THREADS: '1',
    MPLBACKEND: 'Agg',
    MPLCONFIGDIR: '/tmp/matplotlib',
  };
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new SandboxRequestError(`environment variable name ${JSON.stringify(k)} is not valid`);
    if (typeof v !== 'string' || v.includes('\0')) throw new SandboxRequestError(`environment variable ${k} must be a string without NUL`);
    env[k] = v;
  }
  return env;
}

/** Checks and normalises the request's files; `main.py` (the code) comes first. */
export function requestFiles(req: CodeRunRequest, limits: ResolvedLimits): { path: string; content: Buffer }[] {
  if (typeof req.code !== 'string') throw new SandboxRequestError('code must be a string of Python source');
  const files = [{ path: MAIN_FILE, content: Buffer.from(req.code, 'utf8') }];
  const entries = Object.entries(req.files ?? {});
  if (entries.length > 200) throw new SandboxRequestError(`at most 200 extra files per run, got ${entries.length}`);
  const seen = new Set([MAIN_FILE]);
  for (const [raw, content] of entries) {
    if (typeof content !== 'string') throw new SandboxRequestError(`file ${raw}: content must be a string`);
    const path = posix.normalize(raw);
    if (
      raw.length === 0 ||
      raw.includes('\0') ||
      raw.startsWith('/') ||
      path !== raw.replace(/\/+$/, '') ||
      path === '.' ||
      path.split('/').some((s) => s === '..' || s === '.' || s === '') ||
      Buffer.byteLength(path) > 250
    ) {
      throw new SandboxRequestError(`file path ${JSON.stringify(raw)} must be relative, normalised, without "..", at most 250 bytes`);
    }
    if (seen.has(path)) throw new SandboxRequestError(`file ${path} is given twice (main.py is the code itself)`);
    for (const other of seen) {
      if (other.startsWith(path + '/') || path.startsWith(other + '/'))
        throw new SandboxRequestError(`file ${path} collides with ${other}`);
    }
    seen.add(path);
    files.push({ path, content: Buffer.from(content, 'utf8') });
  }
  const total = files.reduce((s, f) => s + f.content.length, 0);
  if (total > limits.diskMb * 1024 * 1024) {
    throw new SandboxRequestError(`the files of the run (${total} bytes) exceed its disk limit of ${limits.diskMb} MB`);
  }
  return files;
}

/** A request checked and normalised: what a launch needs of it. */
export interface CheckedRequest {
  limits: ResolvedLimits;
  files: { path: string; content: Buffer }[];
  args: string[];
  stdin: string;
  env: Record<string, string>;
}

/**
 * Checks a run request (it comes from workflow input: anything may be in it) and resolves its
 * limits over the runner's defaults, clamped to its ceilings. Throws `SandboxRequestError`.
 */
export function checkRequest(req: CodeRunRequest, defaults: ResolvedLimits, max: ResolvedLimits): CheckedRequest {
  if (req === null || typeof req !== 'object') throw new SandboxRequestError('the request must be an object with a "code" string');
  const limits = resolveLimits(req.limits, defaults, max);
  const files = requestFiles(req, limits);
  const args = req.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string' || a.includes('\0'))) {
    throw new SandboxRequestError('args must be a list of strings without NUL');
  }
  if (req.stdin !== undefined && typeof req.stdin !== 'string') throw new SandboxRequestError('stdin must be a string');
  return { limits, files, args, stdin: req.stdin ?? '', env: sandboxEnv(req.env) };
}
