import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every Linux we target). */
const CLK_TCK = 100;

interface ProcInfo {
  pid: number;
  /** utime + stime + cutime + cstime in ms. */
  cpuMs: number;
}

async function readStatus(pid: number): Promise<{ uid: number; euid: number; zombie: boolean } | undefined> {
  try {
    const text = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^Uid:\s+(\d+)\s+(\d+)/m.exec(text);
    if (!m) return undefined;
    const state = /^State:\s+(\S)/m.exec(text)?.[1];
    return { uid: Number(m[1]), euid: Number(m[2]), zombie: state === 'Z' || state === 'X' };
  } catch {
    return undefined; // gone meanwhile
  }
}

async function readCpuMs(pid: number): Promise<number> {
  try {
    const text = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ") ".
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); utime..cstime are fields 14..17.
    const ticks = [11, 12, 13, 14].reduce((s, i) => s + Number(rest[i] ?? 0), 0);
    return (ticks * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Processes of `uid` on the host: the live ones, and how many zombies wait to be reaped. */
export async function scanUid(uid: number): Promise<{ live: ProcInfo[]; zombies: number }> {
  let entries: string[];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    return { live: [], zombies: 0 };
  }
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  const live: ProcInfo[] = [];
  let zombies = 0;
  await Promise.all(
    pids.map(async (pid) => {
      const st = await readStatus(pid);
      if (!st || (st.uid !== uid && st.euid !== uid)) return;
      if (st.zombie) zombies++;
      else live.push({ pid, cpuMs: await readCpuMs(pid) });
    }),
  );
  return { live, zombies };
}

/** Every live process (or thread group) on the host whose real or effective uid is `uid`. */
export async function processesOfUid(uid: number): Promise<ProcInfo[]> {
  return (await scanUid(uid)).live;
}

/** CPU time used so far by the live processes of `uid` (and the children they have reaped). */
export async function cpuMsOfUid(uid: number): Promise<number> {
  const procs = await processesOfUid(uid);
  return procs.reduce((s, p) => s + p.cpuMs, 0);
}

function run(cmd: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
}

/**
 * Kills every process of `uid`. As root it runs `kill -KILL -1` as that uid, which the kernel applies
 * atomically with respect to fork (no escape by forking faster); otherwise, and as a second pass,
 * it kills by pid. Returns how many live processes it found first, and the zombies left at the end.
 */
export async function killAllOfUid(uid: number, asRoot: boolean): Promise<{ killed: number; zombies: number }> {
  let scan = await scanUid(uid);
  const killed = scan.live.length;
  // Killed processes of a dying pid namespace are zombies for a moment until the kernel reaps
  // them: wait for those too (up to ~2 s) before reporting zombies that nobody will reap.
  for (let round = 0; round < 25 && (scan.live.length > 0 || scan.zombies > 0); round++) {
    if (scan.live.length > 0) {
      if (asRoot) {
        await run('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--', 'kill', '-s', 'KILL', '--', '-1']);
      }
      for (const p of (await scanUid(uid)).live) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* already gone or not ours */
        }
      }
    }
    await new Promise((r) => setTimeout(r, Math.min(200, 5 * (round + 1))));
    scan = await scanUid(uid);
  }
  return { killed, zombies: scan.zombies };
}

/** Live processes whose real uid lies in [first, last] (tests: nothing of finished runs survives). */
export async function processesInUidRange(first: number, last: number): Promise<{ pid: number; uid: number; cmd: string }[]> {
  const entries = await fs.readdir('/proc').catch(() => [] as string[]);
  const out: { pid: number; uid: number; cmd: string }[] = [];
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (e) => {
        const pid = Number(e);
        const st = await readStatus(pid);
        if (!st || st.zombie || st.uid < first || st.uid > last) return;
        const cmd = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        out.push({ pid, uid: st.uid, cmd: cmd.replace(/\0/g, ' ').trim() });
      }),
  );
  return out;
}

/** Direct children of `pid` (from the tasks' "children" files in /proc, else by scanning parent pids). */
export async function childrenOf(pid: number): Promise<number[]> {
  try {
    const tasks = await fs.readdir(`/proc/${pid}/task`);
    const kids = await Promise.all(tasks.map((t) => fs.readFile(`/proc/${pid}/task/${t}/children`, 'utf8')));
    return kids.join(' ').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    const entries = await fs.readdir('/proc').catch(() => [] as string[]);
    const out: number[] = [];
    await Promise.all(
      entries
        .filter((e) => /^\d+$/.test(e))
        .map(async (e) => {
          const stat = await fs.readFile(`/proc/${e}/stat`, 'utf8').catch(() => '');
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          if (ppid === pid) out.push(Number(e));
        }),
    );
    return out;
  }
}
