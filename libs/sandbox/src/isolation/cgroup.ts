import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A per-run memory limit across all the run's processes, with the kernel's memory cgroup: cgroup
 * v2 (`memory.max`) where the worker's cgroup has the memory controller, else cgroup v1's memory
 * hierarchy (`memory.limit_in_bytes`, and `memory.memsw.limit_in_bytes` so swap does not extend
 * it). Needs a root worker whose cgroup directory is writable; `detectMemoryCgroup` says whether
 * this machine allows it (undefined: only the per-process RLIMIT_AS applies).
 */
export interface MemoryCgroups {
  version: 1 | 2;
  /** The worker's own cgroup directory; runs get sub-directories of it. */
  parent: string;
}

export interface RunCgroup {
  /** The cgroup's `cgroup.procs`: the launching shell writes its pid there, then execs the launcher. */
  procsFile: string;
  /** Whether the kernel killed a process of the run for exceeding the limit. */
  oomKilled(): boolean;
  /** Hands the cgroup back for the next run when it is empty, else removes it once its processes are gone. */
  remove(): Promise<void>;
}

function ownCgroupPath(version: 1 | 2): string | undefined {
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, controllers, path] = line.split(':');
      if (version === 2 && line.startsWith('0::')) return path;
      if (version === 1 && controllers?.split(',').includes('memory')) return path;
    }
  } catch {
    /* no /proc */
  }
  return undefined;
}

function writable(dir: string): boolean {
  const probe = join(dir, `flowsteer-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

export function detectMemoryCgroup(): MemoryCgroups | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const v2 = ownCgroupPath(2);
  if (v2 !== undefined) {
    const dir = join('/sys/fs/cgroup', v2);
    try {
      // the controller must be enabled for children of this cgroup (cgroup v2's subtree_control)
      if (readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('memory') && writable(dir))
        return { version: 2, parent: dir };
    } catch {
      /* not v2 */
    }
  }
  const v1 = ownCgroupPath(1);
  if (v1 !== undefined) {
    const dir = join('/sys/fs/cgroup/memory', v1);
    try {
      readFileSync(join(dir, 'memory.limit_in_bytes'), 'utf8');
      if (writable(dir)) return { version: 1, parent: dir };
    } catch {
      /* no v1 memory controller */
    }
  }
  return undefined;
}

let counter = 0;

function readOomKills(dir: string, version: 1 | 2): number {
  try {
    const text = readFileSync(join(dir, version === 2 ? 'memory.events' : 'memory.oom_control'), 'utf8');
    return Number(/^oom_kill (\d+)/m.exec(text)?.[1] ?? '0');
  } catch {
    return 0;
  }
}

function setLimit(dir: string, version: 1 | 2, bytes: number): void {
  const limit = String(bytes);
  if (version === 2) {
    writeFileSync(join(dir, 'memory.max'), limit);
    try {
      writeFileSync(join(dir, 'memory.swap.max'), '0');
    } catch {
      /* no swap accounting */
    }
    return;
  }
  // v1: memsw.limit must stay >= limit, so the order of the two writes depends on the direction
  const memsw = join(dir, 'memory.memsw.limit_in_bytes');
  const mem = join(dir, 'memory.limit_in_bytes');
  try {
    writeFileSync(mem, limit);
    try {
      writeFileSync(memsw, limit);
    } catch {
      /* no swap accounting */
    }
  } catch {
    writeFileSync(memsw, limit);
    writeFileSync(mem, limit);
  }
}

function isEmpty(dir: string): boolean {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').trim() === '';
  } catch {
    return false;
  }
}

async function removeDir(dir: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    try {
      rmdirSync(dir);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Run cgroups, reused: creating a memory cgroup is cheap, but a fresh one makes the first
 * allocations of its processes slow (the kernel sets up per-cgroup accounting), about 15 ms per
 * run here. A cgroup goes back to the pool only when no process is left in it; the OOM counter is
 * compared with its value when the run took the cgroup.
 */
export class CgroupPool {
  private readonly free: string[] = [];
  constructor(private readonly cgroups: MemoryCgroups) {}

  take(bytes: number): RunCgroup {
    const { version } = this.cgroups;
    let dir = this.free.pop();
    if (dir) {
      try {
        setLimit(dir, version, bytes);
      } catch {
        void removeDir(dir);
        dir = undefined;
      }
    }
    if (!dir) {
      dir = join(this.cgroups.parent, `flowsteer-run-${process.pid}-${++counter}`);
      mkdirSync(dir);
      setLimit(dir, version, bytes);
    }
    const taken = dir;
    const oomAtStart = readOomKills(taken, version);
    return {
      procsFile: join(taken, 'cgroup.procs'),
      oomKilled: () => readOomKills(taken, version) > oomAtStart,
      remove: async () => {
        if (isEmpty(taken)) this.free.push(taken);
        else void removeDir(taken);
      },
    };
  }

  /** Removes the idle cgroups (runner.close). */
  async close(): Promise<void> {
    await Promise.all(this.free.splice(0).map(removeDir));
  }
}
