import { openSync, readdirSync, readFileSync } from 'node:fs';

const O_CLOEXEC = 0o2000000;

/**
 * File descriptors of this process that a child would inherit although nobody meant to give them:
 * open without close-on-exec (Node opens everything with it; these came from the worker's own
 * parent). bwrap and the in-sandbox shell do not close fds they were not told about, so without
 * care such an fd (a pipe to a supervisor, a log file) reaches the sandboxed program.
 */
export function inheritedFds(): number[] {
  const out: number[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc/self/fdinfo');
  } catch {
    return out;
  }
  for (const name of names) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd <= 2) continue;
    try {
      const m = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${name}`, 'utf8'));
      if (m && (parseInt(m[1] as string, 8) & O_CLOEXEC) === 0) out.push(fd);
    } catch {
      /* closed meanwhile */
    }
  }
  return out.sort((a, b) => a - b);
}

let devNull: number | undefined;

/**
 * The stdio array for spawning a launcher: `base` for fds 0..n, and /dev/null over every inherited
 * fd above them (libuv dup2s it into place in the child), so the launcher, and the sandbox after
 * it, never hold the worker's inherited descriptors. Positions in between stay as they are ('ignore').
 */
export function stdioCoveringInherited<T extends string | number>(base: T[], inherited: readonly number[]): (T | 'ignore' | number)[] {
  const extra = inherited.filter((fd) => fd >= base.length);
  if (extra.length === 0) return base;
  devNull ??= openSync('/dev/null', 'r');
  const stdio: (T | 'ignore' | number)[] = [...base];
  const max = Math.max(...extra);
  for (let fd = base.length; fd <= max; fd++) stdio.push(extra.includes(fd) ? devNull : 'ignore');
  return stdio;
}
