import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { CodeRunLimits, CodeRunRequest, CodeRunResult } from '@flowsteer/contracts';
import { SandboxRequestError, SandboxUnavailableError } from './errors';
import {
  bubblewrapPlan,
  FIRST_FILE_FD,
  INNER_UID,
  isRoot,
  type LaunchContext,
  type LaunchPlan,
  MAIN_FILE,
  type MechanismFeatures,
  type MechanismName,
  passwdFiles,
  rlimitsPlan,
  SANDBOX_DIR,
  STATUS_FD,
  unsharePlan,
} from './isolation/mechanisms';
import { CgroupPool, detectMemoryCgroup, type MemoryCgroups, type RunCgroup } from './isolation/cgroup';
import { inheritedFds, stdioCoveringInherited } from './isolation/fds';
import { DEFAULT_LIMITS, MAX_LIMITS, type ResolvedLimits, resolveLimits } from './limits';
import { childrenOf, cpuMsOfUid, killAllOfUid } from './procfs';
import { findPython, type PythonInfo } from './python';
import { Semaphore } from './semaphore';
import { classifyStop, parseStatus, signalName } from './stop';

export { classifyStop, parseStatus } from './stop';
import { returnUid, takeUid, uidBase } from './uid-pool';

export type { MechanismName } from './isolation/mechanisms';

export interface SandboxOptions {
  /**
   * A memory cgroup per run (limit `memoryMb` for all its processes) where the machine allows it.
   * Off by default: on this VM it adds about 10 ms per run (a fresh child memcg makes the program's
   * page faults slower), which breaks the 2x start-up budget. Env: FLOWSTEER_SANDBOX_CGROUP=1.
   */
  memoryCgroup?: boolean;
  /** 'auto' (default) probes bubblewrap, then unshare. Env: FLOWSTEER_SANDBOX_MECHANISM. */
  mechanism?: 'auto' | MechanismName;
  /**
   * Run code without namespaces (rlimits only) when no isolation works. Env:
   * FLOWSTEER_SANDBOX_UNSAFE=1. Never the default: LLM-written code then sees the host's files
   * and network.
   */
  allowUnsafe?: boolean;
  /** Runs at once in this worker; more wait in line. Env: FLOWSTEER_SANDBOX_CONCURRENCY; default: CPU count. */
  concurrency?: number;
  /** Interpreter. Env: FLOWSTEER_SANDBOX_PYTHON; default /usr/bin/python3, else python3 on PATH. */
  python?: string;
  /** Limits of a run that names none (merged over DEFAULT_LIMITS). */
  defaultLimits?: CodeRunLimits;
  /** Ceilings: a request asking for more is clamped (merged over MAX_LIMITS). */
  maxLimits?: CodeRunLimits;
  /** Where the start-up report and warnings go (default: console.error). */
  log?: (line: string) => void;
}

export interface MechanismProbe {
  mechanism: MechanismName;
  ok: boolean;
  detail: string;
}

/** What the runner found at start-up and uses for every run. */
export interface IsolationReport {
  /** The mechanism in use, or 'none' when runs are refused. */
  mechanism: MechanismName | 'none';
  /** The `isolation` field of every result, e.g. "bubblewrap+rlimits". */
  label: string;
  /** Namespaces (no network, private filesystem view, private pids) are in use. */
  isolated: boolean;
  /** The program runs as an unprivileged host uid of its own (never as the worker's uid or root). */
  dropsPrivileges: boolean;
  /** Running without isolation because the operator opted out (FLOWSTEER_SANDBOX_UNSAFE=1). */
  unsafe: boolean;
  python: PythonInfo | null;
  concurrency: number;
  probes: MechanismProbe[];
  /** One line for logs. */
  summary: string;
}

export interface RunOptions {
  /** Aborting kills the run (stop reason "killed") or takes it out of the waiting line. */
  signal?: AbortSignal;
}

interface RunOutcome {
  result: CodeRunResult;
  /** The runner killed the program (time, output, cancellation): its teardown may still be under way. */
  killed: boolean;
}

const PROBE_CODE = 'import os\nprint("flowsteer-probe", os.getuid())\n';

function envFlag(name: string): boolean {
  const v = process.env[name];
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

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
      if (other.startsWith(path + '/') || path.startsWith(other + '/')) throw new SandboxRequestError(`file ${path} collides with ${other}`);
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


function probeText(file: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 10_000, env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' } }, (_err, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
}

function hasCommand(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', `command -v ${name}`], { env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' } }, (err) => resolve(!err));
  });
}

/**
 * Runs Python programs in isolation, at most `concurrency` at once. Create it with
 * `SandboxRunner.create()`, which probes the mechanisms and reports what it chose.
 */
export class SandboxRunner {
  private readonly semaphore: Semaphore;
  /** fds this process inherited without close-on-exec: covered with /dev/null in every launch. */
  private readonly inheritedFds: number[];
  /** Where per-run memory cgroups go (root worker, writable memory cgroup), else undefined. */
  memoryCgroups: MemoryCgroups | undefined;
  private cgroupPool: CgroupPool | undefined;
  private readonly defaults: ResolvedLimits;
  private readonly max: ResolvedLimits;
  private readonly running = new Set<AbortController>();
  private completed = 0;
  private closed = false;

  private constructor(
    readonly isolation: IsolationReport,
    private readonly features: MechanismFeatures,
    private readonly staticDir: string,
    defaults: ResolvedLimits,
    max: ResolvedLimits,
    private readonly log: (line: string) => void,
  ) {
    this.semaphore = new Semaphore(isolation.concurrency);
    this.inheritedFds = inheritedFds();
    this.memoryCgroups = undefined;
    this.cgroupPool = undefined;
    this.defaults = defaults;
    this.max = max;
  }

  static async create(options: SandboxOptions = {}): Promise<SandboxRunner> {
    const log = options.log ?? ((line: string) => console.error(line));
    const envMechanism = process.env.FLOWSTEER_SANDBOX_MECHANISM?.trim();
    const mechanism = options.mechanism ?? ((envMechanism || 'auto') as SandboxOptions['mechanism']);
    if (!['auto', 'bubblewrap', 'unshare', 'rlimits'].includes(mechanism ?? '')) {
      throw new SandboxRequestError(`FLOWSTEER_SANDBOX_MECHANISM=${mechanism}: use auto, bubblewrap, unshare or rlimits`);
    }
    const allowUnsafe = options.allowUnsafe ?? envFlag('FLOWSTEER_SANDBOX_UNSAFE');
    const envConcurrency = Number(process.env.FLOWSTEER_SANDBOX_CONCURRENCY);
    const concurrency = Math.max(1, Math.min(256, Math.floor(options.concurrency ?? (envConcurrency > 0 ? envConcurrency : cpus().length || 1))));
    const defaults = resolveLimits(options.defaultLimits, DEFAULT_LIMITS, MAX_LIMITS);
    const max = resolveLimits(options.maxLimits, MAX_LIMITS, MAX_LIMITS);
    const root = isRoot();
    if (root) uidBase(); // validates FLOWSTEER_SANDBOX_UID_BASE early

    const staticDir = mkdtempSync(join(tmpdir(), 'flowsteer-sandbox-etc-'));
    chmodSync(staticDir, 0o755);
    const accounts = passwdFiles(INNER_UID, SANDBOX_DIR);
    writeFileSync(join(staticDir, 'passwd'), accounts.passwd, { mode: 0o644 });
    writeFileSync(join(staticDir, 'group'), accounts.group, { mode: 0o644 });

    let python: PythonInfo | null = null;
    const probes: MechanismProbe[] = [];
    let pythonError = '';
    try {
      python = await findPython(options.python ?? (process.env.FLOWSTEER_SANDBOX_PYTHON || undefined));
    } catch (e) {
      pythonError = (e as Error).message;
    }
    const bwrapHelp = (await hasCommand('bwrap')) ? await probeText('bwrap', ['--help']) : '';
    const features: MechanismFeatures = { bwrapDisableUserns: bwrapHelp.includes('--disable-userns') };
    const haveSetpriv = await hasCommand('setpriv');
    const havePrlimit = await hasCommand('prlimit');

    const order: MechanismName[] = mechanism === 'auto' ? ['bubblewrap', 'unshare', 'rlimits'] : [mechanism as MechanismName];
    let chosen: MechanismName | 'none' = 'none';
    for (const m of order) {
      if (m === 'rlimits' && !allowUnsafe) {
        probes.push({ mechanism: m, ok: false, detail: 'not isolation: needs FLOWSTEER_SANDBOX_UNSAFE=1 (or allowUnsafe)' });
        continue;
      }
      let reason = '';
      if (!python) reason = pythonError;
      else if (!havePrlimit) reason = 'prlimit (util-linux) not found';
      else if (root && !haveSetpriv) reason = 'setpriv (util-linux) not found: cannot drop root';
      else if (m === 'bubblewrap' && !bwrapHelp) reason = 'bwrap not installed (bash libs/sandbox/setup.sh installs it)';
      else if (m === 'unshare' && !(await hasCommand('unshare'))) reason = 'unshare (util-linux) not found';
      if (reason) {
        probes.push({ mechanism: m, ok: false, detail: reason });
        continue;
      }
      const probeRunner = new SandboxRunner(
        SandboxRunner.report(m, python, concurrency, probes, allowUnsafe, root),
        features,
        staticDir,
        defaults,
        max,
        log,
      );
      try {
        const r = await probeRunner.run({ code: PROBE_CODE, limits: { wallTimeMs: 10_000 } });
        if (r.stopReason === 'ok' && r.stdout.startsWith('flowsteer-probe')) {
          probes.push({ mechanism: m, ok: true, detail: `works (${(r.wallTimeMs / 1000).toFixed(2)} s probe)` });
          chosen = m;
          break;
        }
        probes.push({ mechanism: m, ok: false, detail: `probe failed: ${r.stopReason} ${r.detail ?? ''}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}` });
      } catch (e) {
        probes.push({ mechanism: m, ok: false, detail: `probe failed: ${(e as Error).message}` });
      }
    }
    const report = SandboxRunner.report(chosen, python, concurrency, probes, allowUnsafe, root);
    if (chosen === 'none') {
      log(
        `[sandbox] REFUSING TO RUN CODE: no isolation mechanism works here (${probes.map((p) => `${p.mechanism}: ${p.detail}`).join('; ')}). ` +
          'Install bubblewrap (bash libs/sandbox/setup.sh), or set FLOWSTEER_SANDBOX_UNSAFE=1 to run LLM-written code WITHOUT isolation.',
      );
    } else if (chosen === 'rlimits') {
      const bar = '!'.repeat(100);
      log(
        `${bar}\n[sandbox] WARNING: unsafe opt-out in effect (FLOWSTEER_SANDBOX_UNSAFE / allowUnsafe): LLM-written code runs WITHOUT namespaces (rlimits only).\n` +
          '[sandbox] It can read world-readable host files and reach the network. Only limits and a separate uid protect this machine.\n' +
          `${bar}`,
      );
    } else {
      log(`[sandbox] ${report.summary}`);
    }
    const runner = new SandboxRunner(report, features, staticDir, defaults, max, log);
    if (options.memoryCgroup ?? process.env.FLOWSTEER_SANDBOX_CGROUP === '1') {
      runner.memoryCgroups = detectMemoryCgroup();
      runner.cgroupPool = runner.memoryCgroups ? new CgroupPool(runner.memoryCgroups) : undefined;
      if (!runner.memoryCgroups) log('[sandbox] per-run memory cgroup requested, but no writable memory cgroup here: memory is limited per process only');
    }
    return runner;
  }

  private static report(
    mechanism: MechanismName | 'none',
    python: PythonInfo | null,
    concurrency: number,
    probes: MechanismProbe[],
    allowUnsafe: boolean,
    root: boolean,
  ): IsolationReport {
    const isolated = mechanism === 'bubblewrap' || mechanism === 'unshare';
    const label = mechanism === 'none' ? 'none' : mechanism === 'rlimits' ? 'rlimits (UNSAFE: no isolation)' : `${mechanism}+rlimits`;
    const who = root ? 'an unprivileged uid of its own' : 'the worker uid (not root)';
    const summary =
      mechanism === 'none'
        ? 'no isolation available: runs are refused'
        : `isolation: ${label}; code runs as ${who}; python ${python?.executable} ${python?.version}; concurrency ${concurrency}`;
    return {
      mechanism,
      label,
      isolated,
      dropsPrivileges: root && mechanism !== 'none',
      unsafe: mechanism === 'rlimits' && allowUnsafe,
      python,
      concurrency,
      probes: [...probes],
      summary,
    };
  }

  /** Runs that hold a slot, and runs waiting for one. */
  stats(): { running: number; waiting: number; completed: number; concurrency: number } {
    return { running: this.semaphore.inUse, waiting: this.semaphore.waiting, completed: this.completed, concurrency: this.semaphore.capacity };
  }

  /** The same as `run`, as a plain function (the shape operators take as `runCode`). */
  readonly runCode = (req: CodeRunRequest): Promise<CodeRunResult> => this.run(req);

  async run(req: CodeRunRequest, options: RunOptions = {}): Promise<CodeRunResult> {
    if (this.closed) throw new SandboxUnavailableError('the sandbox runner was closed');
    const { mechanism } = this.isolation;
    if (mechanism === 'none' || !this.isolation.python) {
      throw new SandboxUnavailableError(
        'no isolation mechanism is available, so LLM-written code is not run. ' +
          `Probes: ${this.isolation.probes.map((p) => `${p.mechanism}: ${p.detail}`).join('; ')}. ` +
          'Install bubblewrap (bash libs/sandbox/setup.sh) or, knowing the risk, set FLOWSTEER_SANDBOX_UNSAFE=1.',
      );
    }
    if (req === null || typeof req !== 'object') throw new SandboxRequestError('the request must be an object with a "code" string');
    const limits = resolveLimits(req.limits, this.defaults, this.max);
    const files = requestFiles(req, limits);
    const args = req.args ?? [];
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string' || a.includes('\0'))) {
      throw new SandboxRequestError('args must be a list of strings without NUL');
    }
    if (req.stdin !== undefined && typeof req.stdin !== 'string') throw new SandboxRequestError('stdin must be a string');
    const env = sandboxEnv(req.env);

    const release = await this.semaphore.acquire(options.signal);
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (options.signal?.aborted) controller.abort();
    this.running.add(controller);
    const root = isRoot();
    let uid: number | undefined;
    let plan: LaunchPlan | undefined;
    let outcome: RunOutcome | undefined;
    let cgroup: RunCgroup | undefined;
    try {
      if (root) {
        uid = takeUid();
        if (uid === undefined) throw new SandboxUnavailableError('all 256 sandbox uids of this worker are in use');
      }
      const ctx: LaunchContext = {
        python: this.isolation.python,
        limits,
        files,
        pythonArgs: ['-s', MAIN_FILE, ...args],
        env,
        uid,
        staticDir: this.staticDir,
        features: this.features,
      };
      plan = mechanism === 'bubblewrap' ? bubblewrapPlan(ctx) : mechanism === 'unshare' ? unsharePlan(ctx) : await rlimitsPlan(ctx);
      cgroup = this.cgroupPool?.take(limits.memoryMb * 1024 * 1024);
      outcome = await this.execute(plan, limits, req.stdin ?? '', uid, controller.signal, cgroup);
      return outcome.result;
    } finally {
      // With a pid namespace, a program that ended by itself took everything it started with it
      // (the kernel kills the namespace when its init, our wrapper, exits, before bwrap/unshare
      // return). Otherwise (killed by us, or no namespaces) sweep the run's uid until it is empty.
      if (uid !== undefined && (mechanism === 'rlimits' || !outcome || outcome.killed)) {
        // Zombies count against RLIMIT_NPROC until someone reaps them; a uid with zombies left
        // (an init that does not reap orphans, rlimits mechanism only) is not used again.
        const { zombies } = await killAllOfUid(uid, root);
        if (zombies === 0) returnUid(uid);
        else this.log(`[sandbox] uid ${uid} retired: ${zombies} unreaped zombie process(es) of a finished run`);
      } else if (uid !== undefined) {
        returnUid(uid);
      }
      await plan?.cleanup?.().catch(() => undefined);
      await cgroup?.remove();
      options.signal?.removeEventListener('abort', onOuterAbort);
      this.running.delete(controller);
      this.completed++;
      release();
    }
  }

  private execute(plan: LaunchPlan, limits: ResolvedLimits, stdin: string, uid: number | undefined, signal: AbortSignal, cgroup?: RunCgroup): Promise<RunOutcome> {
    return new Promise<RunOutcome>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const stdio = stdioCoveringInherited(['pipe', 'pipe', 'pipe', 'pipe', ...plan.fdContents.map(() => 'pipe' as const)], this.inheritedFds);
      let child: ChildProcess;
      try {
        // with a memory cgroup, a shell joins it first and then becomes the launcher, so that
        // everything the launcher starts is in it (joining from here after spawn would race bwrap)
        const [file, args] = cgroup ? ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', cgroup.procsFile, plan.file, ...plan.args]] : [plan.file, plan.args];
        child = spawn(file, args, { cwd: plan.cwd, env: plan.env, detached: true, stdio });
      } catch (e) {
        reject(e);
        return;
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const status: Buffer[] = [];
      let outputBytes = 0;
      let killedFor: 'timeout' | 'output-limit' | 'cancelled' | undefined;
      let cpuAtKill: number | undefined;
      let exited: { code: number | null; signal: NodeJS.Signals | null; wallMs: number } | undefined;
      let settled = false;

      const killTree = () => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          try {
            child.kill('SIGKILL');
          } catch {
            /* gone */
          }
        }
      };
      // Kill the launcher's child first (the namespace's init, or the program without namespaces):
      // the launcher then reaps it and exits by itself, so no orphan is left for the host's init to
      // reap. The whole process group follows shortly if the launcher does not end.
      const killChildrenThenTree = async () => {
        const kids = child.pid !== undefined ? await childrenOf(child.pid).catch(() => []) : [];
        for (const pid of kids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        if (kids.length === 0) killTree();
        else setTimeout(() => exited || killTree(), 300).unref();
      };
      const stop = (why: 'timeout' | 'output-limit' | 'cancelled') => {
        if (killedFor || exited) return;
        killedFor = why;
        // Sample the CPU time of the run's processes first: once killed, nobody reports it.
        const sample = uid === undefined ? Promise.resolve(undefined) : cpuMsOfUid(uid);
        sample
          .then((ms) => (cpuAtKill = ms))
          .catch(() => undefined)
          .finally(() => void killChildrenThenTree());
      };

      const collect = (target: Buffer[]) => (chunk: Buffer) => {
        const room = limits.maxOutputBytes - outputBytes;
        if (chunk.length > room) {
          if (room > 0) target.push(chunk.subarray(0, room));
          outputBytes = limits.maxOutputBytes;
          stop('output-limit');
          return;
        }
        outputBytes += chunk.length;
        target.push(chunk);
      };
      (child.stdout as Readable).on('data', collect(out));
      (child.stderr as Readable).on('data', collect(err));
      const statusStream = child.stdio[STATUS_FD] as Readable;
      // the status channel counts against the output limit too (the program can reach it)
      statusStream.on('data', (chunk: Buffer) => {
        if (status.reduce((s, b) => s + b.length, 0) < 4096) collect(status)(chunk);
        else collect([])(chunk);
      });
      const feed = (stream: Writable | null | undefined, data: string | Buffer) => {
        if (!stream) return;
        stream.on('error', () => undefined); // EPIPE when the program does not read it
        stream.end(data);
      };
      feed(child.stdin, stdin);
      plan.fdContents.forEach((content, i) => feed(child.stdio[FIRST_FILE_FD + i] as Writable, content));

      const timer = setTimeout(() => stop('timeout'), limits.wallTimeMs);
      const onAbort = () => stop('cancelled');
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();

      const finish = () => {
        if (settled || !exited) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(closeTimer);
        signal.removeEventListener('abort', onAbort);
        const stdoutText = Buffer.concat(out).toString('utf8');
        const stderrText = Buffer.concat(err).toString('utf8');
        const reported = parseStatus(Buffer.concat(status).toString('utf8'));
        // The exit status is the launcher's (bwrap/unshare pass on their init's, which is the
        // wrapper's, which is the program's): the in-sandbox report only gives the CPU times, since
        // the program can write to the status fd through /proc/1/fd before it dies.
        let exitCode: number | null = exited.code;
        let sig: string | null = exited.signal;
        if (sig === null && exitCode !== null && exitCode > 128 && exitCode < 128 + 65) {
          // The shell reports a program killed by signal N as 128+N (so do bwrap and unshare).
          sig = signalName(exitCode - 128);
          if (sig) exitCode = null;
        }
        const cpuTimeMs = reported?.cpuTimeMs ?? cpuAtKill ?? 0;
        const { stopReason, detail } = classifyStop({ killedFor, exitCode, signal: sig, cpuTimeMs, limits, stderr: stderrText, oomKilled: cgroup?.oomKilled() ?? false });
        resolve({
          result: {
            stdout: stdoutText,
            stderr: stderrText,
            exitCode,
            signal: sig,
            stopReason,
            wallTimeMs: exited.wallMs,
            cpuTimeMs,
            isolation: this.isolation.label,
            ...(detail ? { detail } : {}),
          },
          killed: killedFor !== undefined,
        });
      };
      let closeTimer: NodeJS.Timeout | undefined;
      child.on('error', (e) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (!settled) {
          settled = true;
          reject(new SandboxUnavailableError(`could not start the sandbox (${plan.file}): ${e.message}`));
        }
      });
      child.on('exit', (code, sig) => {
        exited = { code, signal: sig, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
        clearTimeout(timer);
        // Without a pid namespace, leftovers of the program may still hold our pipes: kill its
        // process group now (the caller's uid sweep gets the ones that left the group).
        if (this.isolation.mechanism === 'rlimits') {
          killTree();
          if (uid !== undefined) void killAllOfUid(uid, isRoot());
        }
        closeTimer = setTimeout(() => {
          for (const s of child.stdio) s?.destroy();
          finish();
        }, 2000);
      });
      child.on('close', () => finish());
    });
  }

  /** Kills every running program, refuses new runs, removes the runner's files. */
  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.running) c.abort();
    while (this.semaphore.inUse > 0) await new Promise((r) => setTimeout(r, 20));
    rmSync(this.staticDir, { recursive: true, force: true });
    await this.cgroupPool?.close();
  }
}

/** Same as `SandboxRunner.create`. */
export function createSandbox(options?: SandboxOptions): Promise<SandboxRunner> {
  return SandboxRunner.create(options);
}
