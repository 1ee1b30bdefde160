import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

/** The interpreter that runs sandboxed code, and the host directories it needs to see. */
export interface PythonInfo {
  /** Absolute path of the real interpreter binary (never a pyenv/asdf shim). */
  executable: string;
  version: string;
  /** Directories outside /usr that the interpreter needs (a pyenv or venv prefix), bound read-only. */
  extraDirs: string[];
}

const PROBE =
  'import sys, json; print(json.dumps({"exe": sys.executable, "prefix": sys.prefix, "base": sys.base_prefix, "version": sys.version.split()[0]}))';

function execFileText(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout);
    });
  });
}

/**
 * Finds the interpreter: FLOWSTEER_SANDBOX_PYTHON, else Debian's /usr/bin/python3 (which sees the
 * python3-numpy/pandas/... packages that libs/sandbox/setup.sh installs), else `python3` on PATH.
 */
export async function findPython(explicit?: string): Promise<PythonInfo> {
  const candidates = explicit ? [explicit] : ['/usr/bin/python3', 'python3'];
  const errors: string[] = [];
  for (const candidate of candidates) {
    if (candidate.startsWith('/') && !existsSync(candidate)) {
      errors.push(`${candidate}: not found`);
      continue;
    }
    try {
      const info = JSON.parse((await execFileText(candidate, ['-c', PROBE], 15_000)).trim()) as {
        exe: string;
        prefix: string;
        base: string;
        version: string;
      };
      const executable = realpathSync(info.exe);
      const dirs = new Set<string>();
      for (const d of [info.prefix, info.base, dirname(executable), dirname(info.exe)]) {
        const real = existsSync(d) ? realpathSync(d) : d;
        if (real !== '/usr' && !real.startsWith('/usr/')) dirs.add(real);
      }
      // A nested directory is covered by its parent's bind.
      const extraDirs = [...dirs].filter((d) => ![...dirs].some((o) => o !== d && d.startsWith(o + '/')));
      return { executable, version: info.version, extraDirs };
    } catch (e) {
      errors.push(`${candidate}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `no usable Python interpreter for the sandbox (${errors.join('; ')}). Install python3 (bash libs/sandbox/setup.sh) or set FLOWSTEER_SANDBOX_PYTHON.`,
  );
}
