import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ResolvedLimits } from '../limits';
import type { PythonInfo } from '../python';
import { SECCOMP_LOADER_PY, seccompProgram } from './seccomp';
import { tarArchive } from './tar';

export type MechanismName = 'bubblewrap' | 'unshare' | 'rlimits';

/** Where the program runs, inside the sandbox (a fresh private tmpfs for the namespace mechanisms). */
export const SANDBOX_DIR = '/sandbox';
/** The uid and gid the program sees inside a bubblewrap sandbox (the classic `nobody`). */
export const INNER_UID = 65534;
export const MAIN_FILE = 'main.py';

/** The fd on which the in-sandbox wrapper reports the program's exit status and CPU times. */
export const STATUS_FD = 3;
/** The first fd that carries file contents into the sandbox. */
export const FIRST_FILE_FD = 4;

/**
 * The in-sandbox wrapper: a POSIX shell (dash) that runs the program with the status fd closed, then
 * reports the program's exit status and its CPU time (`times`: user and system time of the children,
 * grandchildren included once reaped) on the status fd. It costs about a millisecond.
 */
export const WRAPPER = `"$@" ${STATUS_FD}>&-; r=$?; { echo "flowsteer-status $r"; times; } >&${STATUS_FD} 2>/dev/null; exit $r`;

/**
 * The wrapper for a worker that is not root: the process limit is set inside the new user
 * namespace (`ulimit -p`), where it counts only the sandbox's own processes. Set outside, it would
 * also count every process and thread of the worker's uid.
 */
export function wrapperScript(limits: ResolvedLimits, uid: number | undefined): string {
  return uid === undefined ? `ulimit -p ${limits.maxProcesses + 1} || exit 125; ${WRAPPER}` : WRAPPER;
}

/** Host /etc entries the interpreter and the DS-1000 libraries read; nothing secret (no passwd, shadow, hosts). */
const ETC_ENTRIES = ['alternatives', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'localtime', 'matplotlibrc', 'fonts', 'mime.types'];

/** Everything one mechanism needs to build the command of one run. */
export interface LaunchContext {
  python: PythonInfo;
  limits: ResolvedLimits;
  /** Files of the run, `main.py` first, by relative path. */
  files: { path: string; content: Buffer }[];
  /** Arguments after the interpreter, e.g. ["-s", "main.py", "arg1"]. */
  pythonArgs: string[];
  /** Environment of the program (already clean: built from scratch, never from the worker's). */
  env: Record<string, string>;
  /** Host uid that runs the program, or undefined when the worker is not root (it then runs as the worker's uid). */
  uid: number | undefined;
  /** A host directory with the synthetic /etc/passwd and /etc/group of the sandbox. */
  staticDir: string;
  features: MechanismFeatures;
}

export interface MechanismFeatures {
  /** bwrap understands --disable-userns (bubblewrap >= 0.8). */
  bwrapDisableUserns: boolean;
}

export interface LaunchPlan {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Contents for fds FIRST_FILE_FD, FIRST_FILE_FD+1, ... of the launched process. */
  fdContents: Buffer[];
  /** Removes what the run left on the host (rlimits mechanism only). */
  cleanup?: () => Promise<void>;
}

const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * `prlimit` options that apply the run's limits to the launched process and all it starts. The
 * process limit is set here only when the run has a host uid of its own (root worker); otherwise
 * the wrapper sets it inside the namespace (see wrapperScript).
 */
export function prlimitArgs(limits: ResolvedLimits, extraProcesses: number, uid: number | undefined): string[] {
  const mb = 1024 * 1024;
  return [
    `--as=${limits.memoryMb * mb}`,
    `--cpu=${limits.cpuTimeSec}:${limits.cpuTimeSec + 1}`,
    ...(uid !== undefined ? [`--nproc=${limits.maxProcesses + extraProcesses}`] : []),
    `--fsize=${limits.diskMb * mb}`,
    '--core=0',
    '--nofile=1024:1024',
    '--',
  ];
}

/** `setpriv` options that drop root to the run's own unprivileged uid with no capabilities. */
export function dropPrivilegeArgs(uid: number): string[] {
  return [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--'];
}

/** How the host's top-level directories look (merged /usr: /bin -> usr/bin and so on). */
function rootLayout(): { name: string; symlink?: string; dir?: boolean }[] {
  const out: { name: string; symlink?: string; dir?: boolean }[] = [];
  for (const name of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const p = `/${name}`;
    try {
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.push({ name, symlink: readlinkSync(p) });
      else if (st.isDirectory()) out.push({ name, dir: true });
    } catch {
      /* absent */
    }
  }
  return out;
}

function etcEntries(): string[] {
  const found = ETC_ENTRIES.filter((e) => existsSync(`/etc/${e}`));
  try {
    for (const e of readdirSync('/etc')) if (/^python3(\.\d+)?$/.test(e)) found.push(e);
  } catch {
    /* no /etc */
  }
  return found;
}

/** The synthetic account database of the sandbox: one user, `sandbox`, whose home is the work dir. */
export function passwdFiles(uid: number, home: string): { passwd: string; group: string } {
  return {
    passwd: `root:x:0:0:root:/nonexistent:/usr/sbin/nologin\nsandbox:x:${uid}:${uid}:sandbox:${home}:/usr/sbin/nologin\n`,
    group: `root:x:0:\nsandbox:x:${uid}:\n`,
  };
}

// ---------------------------------------------------------------------------------------------
// bubblewrap

/**
 * bwrap with every namespace (user, mount, pid, net, ipc, uts, cgroup), as an unprivileged host uid
 * (root drops to the run's uid with setpriv first, so the program never holds host root's uid),
 * a read-only root made of /usr and a few /etc entries, a fresh size-limited tmpfs as /sandbox
 * (the work dir) and /tmp, a new /proc and a minimal /dev, nested user namespaces disabled, and the
 * whole sandbox killed when bwrap or its parent dies.
 */
export function bubblewrapPlan(ctx: LaunchContext): LaunchPlan {
  const { limits, python, files } = ctx;
  const diskBytes = String(limits.diskMb * 1024 * 1024);
  const args: string[] = [...prlimitArgs(limits, 3, ctx.uid)];
  if (ctx.uid !== undefined) args.push('setpriv', ...dropPrivilegeArgs(ctx.uid));
  args.push('bwrap', '--unshare-all', '--unshare-user');
  if (ctx.features.bwrapDisableUserns) args.push('--disable-userns');
  // --as-pid-1: the wrapper shell is the namespace's init, so when it ends the kernel kills
  // everything left in the sandbox, and bwrap waits for it (bwrap's own init would be left a
  // zombie for the host's init to reap, which not every init does).
  args.push(
    '--uid',
    String(INNER_UID),
    '--gid',
    String(INNER_UID),
    '--die-with-parent',
    '--new-session',
    '--as-pid-1',
    '--hostname',
    'sandbox',
  );
  args.push('--ro-bind', '/usr', '/usr');
  for (const entry of rootLayout()) {
    if (entry.symlink) args.push('--symlink', entry.symlink, `/${entry.name}`);
    else args.push('--ro-bind', `/${entry.name}`, `/${entry.name}`);
  }
  for (const e of etcEntries()) args.push('--ro-bind-try', `/etc/${e}`, `/etc/${e}`);
  args.push('--ro-bind', join(ctx.staticDir, 'passwd'), '/etc/passwd', '--ro-bind', join(ctx.staticDir, 'group'), '/etc/group');
  for (const d of python.extraDirs) args.push('--ro-bind', d, d);
  // a minimal /dev (null, zero, full, random, urandom, tty, pts) made read-only; bwrap's /dev/shm
  // would be a directory of that tmpfs, sized at half the host's RAM: a capped tmpfs of its own instead
  args.push('--proc', '/proc', '--dev', '/dev', '--size', diskBytes, '--tmpfs', '/dev/shm', '--remount-ro', '/dev');
  args.push('--size', diskBytes, '--tmpfs', '/tmp', '--size', diskBytes, '--tmpfs', SANDBOX_DIR);
  const dirs = new Set<string>();
  files.forEach((f, i) => {
    const parent = dirname(f.path);
    if (parent !== '.') {
      const segments = parent.split('/');
      for (let k = 1; k <= segments.length; k++) {
        const d = segments.slice(0, k).join('/');
        if (!dirs.has(d)) {
          dirs.add(d);
          args.push('--dir', `${SANDBOX_DIR}/${d}`);
        }
      }
    }
    args.push('--file', String(FIRST_FILE_FD + i), `${SANDBOX_DIR}/${f.path}`);
  });
  args.push('--chdir', SANDBOX_DIR, '--remount-ro', '/', '--clearenv');
  for (const [k, v] of Object.entries(ctx.env)) args.push('--setenv', k, v);
  const filter = seccompProgram();
  if (filter) args.push('--seccomp', String(FIRST_FILE_FD + files.length));
  args.push('--', '/bin/sh', '-c', wrapperScript(limits, ctx.uid), 'sh', python.executable, ...ctx.pythonArgs);
  return {
    file: 'prlimit',
    args,
    cwd: '/',
    env: { PATH: SYSTEM_PATH },
    fdContents: [...files.map((f) => f.content), ...(filter ? [filter] : [])],
  };
}

// ---------------------------------------------------------------------------------------------
// unshare (util-linux)

/**
 * Runs as root (real root, or root of a new user namespace when the worker is not root) inside new
 * mount, pid, net, ipc and uts namespaces. It builds the sandbox's root on a private tmpfs, unpacks
 * the request's files from a tar stream on fd 4 into the work dir, makes the root read-only, then
 * chroots and drops to the run's uid (or drops every capability when there is no uid to drop to).
 * Positional parameters: uid gid diskBytes pythonDirCount pythonDir... etcEntryCount etcEntry...
 * layoutCount (name kind target)... -- wrapper sh program...
 */
const UNSHARE_SETUP = String.raw`set -eu
uid=$1; gid=$2; disk=$3; shift 3
mount -t tmpfs -o size=64k,mode=700 fs-setup /tmp
R=/tmp/root; mkdir "$R"
mount -t tmpfs -o size=4m,mode=755 fs-root "$R"
cd "$R"
mkdir -p usr etc proc dev tmp sandbox
bindro() { mount --bind "$1" "$2"; mount -o remount,bind,ro,nosuid,nodev "$2" 2>/dev/null || mount -o remount,bind,ro "$2"; }
bindro /usr usr
n=$1; shift; while [ "$n" -gt 0 ]; do d=$1; shift; n=$((n-1)); mkdir -p ".$d"; bindro "$d" ".$d"; done
n=$1; shift; while [ "$n" -gt 0 ]; do e=$1; shift; n=$((n-1)); if [ -d "/etc/$e" ]; then mkdir -p "etc/$e"; else : > "etc/$e"; fi; bindro "/etc/$e" "etc/$e"; done
n=$1; shift; while [ "$n" -gt 0 ]; do name=$1; kind=$2; target=$3; shift 3; n=$((n-1)); if [ "$kind" = link ]; then ln -s "$target" "$name"; else mkdir -p "$name"; bindro "/$name" "$name"; fi; done
inner=0; [ "$uid" != "-" ] && inner=$uid
printf 'root:x:0:0:root:/nonexistent:/usr/sbin/nologin\nsandbox:x:%s:%s:sandbox:/sandbox:/usr/sbin/nologin\n' "$inner" "$inner" > etc/passwd
printf 'root:x:0:\nsandbox:x:%s:\n' "$inner" > etc/group
mount -t proc -o nosuid,nodev,noexec proc proc
mount -t tmpfs -o size=64k,mode=755 fs-dev dev
for d in null zero full random urandom tty; do : > "dev/$d"; mount --bind "/dev/$d" "dev/$d"; done
ln -s /proc/self/fd dev/fd; ln -s /proc/self/fd/0 dev/stdin; ln -s /proc/self/fd/1 dev/stdout; ln -s /proc/self/fd/2 dev/stderr
mkdir dev/shm; mount -t tmpfs -o "size=$disk,mode=1777,nosuid,nodev" fs-shm dev/shm
mount -t tmpfs -o "size=$disk,mode=1777,nosuid,nodev" fs-tmp tmp
mount -t tmpfs -o "size=$disk,mode=755,nosuid,nodev" fs-work sandbox
tar -x --no-same-owner --no-same-permissions -C sandbox -f - <&4
exec 4<&-
if [ "$uid" != "-" ]; then chown -R "$uid:$gid" sandbox; fi
mount -o remount,bind,ro "$R"
hostname sandbox 2>/dev/null || true
[ "$1" = "--" ] && shift
if [ "$uid" != "-" ]; then
  exec /usr/sbin/chroot "$R" /usr/bin/setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs -- "$@"
else
  exec /usr/sbin/chroot "$R" /usr/bin/setpriv --inh-caps=-all --bounding-set=-all --no-new-privs -- "$@"
fi
`;

/**
 * The program's command for launchers that run as root before dropping privileges: the request's
 * environment reaches only the program, through `env -i` after the drop; the root helpers
 * (prlimit, unshare, the setup shell, chroot, setpriv) run with a fixed PATH and nothing else.
 */
function programCommand(ctx: LaunchContext, inner: string[]): string[] {
  return ['/usr/bin/env', '-i', ...Object.entries(ctx.env).map(([k, v]) => `${k}=${v}`), ...inner];
}

export function unsharePlan(ctx: LaunchContext): LaunchPlan {
  const { limits, python } = ctx;
  const diskBytes = String(limits.diskMb * 1024 * 1024);
  const args: string[] = [...prlimitArgs(limits, 2, ctx.uid), 'unshare'];
  if (ctx.uid === undefined) args.push('--user', '--map-root-user');
  args.push('--mount', '--net', '--pid', '--ipc', '--uts', '--fork', '--kill-child', '--propagation', 'private', '--');
  const layout = rootLayout();
  const etc = etcEntries();
  args.push('/bin/sh', '-c', UNSHARE_SETUP, 'setup');
  args.push(ctx.uid === undefined ? '-' : String(ctx.uid), ctx.uid === undefined ? '-' : String(ctx.uid), diskBytes);
  args.push(String(python.extraDirs.length), ...python.extraDirs);
  args.push(String(etc.length), ...etc);
  args.push(String(layout.length));
  for (const l of layout) args.push(l.name, l.symlink ? 'link' : 'dir', l.symlink ?? '-');
  // the seccomp filter on the descriptor after the tar stream, installed by the sandbox's Python once setpriv has dropped everything
  const filter = seccompProgram();
  const loader = filter ? [python.executable, '-S', '-E', '-c', SECCOMP_LOADER_PY, String(FIRST_FILE_FD + 1)] : [];
  args.push(
    '--',
    ...programCommand(ctx, [
      ...loader,
      '/bin/sh',
      '-c',
      'cd /sandbox && exec /bin/sh -c "$0" "$@"',
      wrapperScript(limits, ctx.uid),
      'sh',
      python.executable,
      ...ctx.pythonArgs,
    ]),
  );
  return {
    file: 'prlimit',
    args,
    cwd: '/',
    env: { PATH: SYSTEM_PATH },
    fdContents: [tarArchive(ctx.files), ...(filter ? [filter] : [])],
  };
}

// ---------------------------------------------------------------------------------------------
// rlimits only (unsafe opt-out)

/**
 * No namespaces: the program sees the host's filesystem and network. It runs with the limits, a
 * clean environment, in a fresh host temp dir, as the run's own unprivileged uid when the worker is
 * root (so it can read only world-readable files and signal only its own processes). Only for
 * machines with no usable namespaces, and only with FLOWSTEER_SANDBOX_UNSAFE=1.
 */
export async function rlimitsPlan(ctx: LaunchContext): Promise<LaunchPlan> {
  const { limits, python } = ctx;
  const dir = await mkdtemp(join(tmpdir(), 'flowsteer-sandbox-'));
  for (const f of ctx.files) {
    const target = join(dir, f.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content);
  }
  if (ctx.uid !== undefined) {
    await chownTree(dir, ctx.uid);
  }
  await chmod(dir, 0o700);
  const env = { ...ctx.env, HOME: dir, TMPDIR: dir, MPLCONFIGDIR: join(dir, '.matplotlib') };
  const args: string[] = [...prlimitArgs(limits, 1, ctx.uid)];
  if (ctx.uid !== undefined) args.push('setpriv', ...dropPrivilegeArgs(ctx.uid));
  args.push(
    ...programCommand({ ...ctx, env }, ['/bin/sh', '-c', wrapperScript(limits, ctx.uid), 'sh', python.executable, ...ctx.pythonArgs]),
  );
  return {
    file: 'prlimit',
    args,
    cwd: dir,
    env: { PATH: SYSTEM_PATH },
    fdContents: [],
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

async function chownTree(dir: string, uid: number): Promise<void> {
  await chown(dir, uid, uid);
  const { readdir } = await import('node:fs/promises');
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(p, uid);
    else await chown(p, uid, uid);
  }
}
