import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeRunLimits, CodeRunRequest, CodeRunResult } from '@flowsteer/contracts';
import { SandboxRequestError, SandboxUnavailableError } from './errors';
import {
  bubblewrapPlan,
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
  unsharePlan,
} from './isolation/mechanisms';
import { CgroupPool, detectMemoryCgroup, type MemoryCgroups, type RunCgroup } from './isolation/cgroup';
import { inheritedFds } from './isolation/fds';
import { launch, type RunOutcome } from './launch';
import { DEFAULT_LIMITS, MAX_LIMITS, type ResolvedLimits, resolveLimits } from './limits';
import {
  announceIsolation,
  hostTools,
  type IsolationReport,
  isolationReport,
  type MechanismProbe,
  PROBE_CODE,
  unavailableReason,
} from './probe';
import { killAllOfUid } from './procfs';
import { checkRequest } from './request';
import { Semaphore } from './semaphore';
import { returnUid, takeUid, uidBase } from './uid-pool';

export { classifyStop, parseStatus } from './stop';
export { requestFiles, sandboxEnv } from './request';
export type { IsolationReport, MechanismProbe } from './probe';
export type { MechanismName } from './isolation/mechanisms';

function envFlag(name: string): boolean {
  const v = process.env[name];
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

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

export interface RunOptions {
  /** Aborting kills the run (stop reason "killed") or takes it out of the waiting line. */
  signal?: AbortSignal;
}

/**
 * Runs Python programs in isolation, at most `concurrency` at once. Create it with
 * `SandboxRunner.create()`, which probes the mechanisms and reports what it chose.
 * The parts: request.ts checks a request, probe.ts finds what isolates on this host,
 * isolation/mechanisms.ts builds a launch, launch.ts runs it and stop.ts says how it ended.
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
    const concurrency = Math.max(
      1,
      Math.min(256, Math.floor(options.concurrency ?? (envConcurrency > 0 ? envConcurrency : cpus().length || 1))),
    );
    const defaults = resolveLimits(options.defaultLimits, DEFAULT_LIMITS, MAX_LIMITS);
    const max = resolveLimits(options.maxLimits, MAX_LIMITS, MAX_LIMITS);
    const root = isRoot();
    if (root) uidBase(); // validates FLOWSTEER_SANDBOX_UID_BASE early

    const staticDir = mkdtempSync(join(tmpdir(), 'flowsteer-sandbox-etc-'));
    chmodSync(staticDir, 0o755);
    const accounts = passwdFiles(INNER_UID, SANDBOX_DIR);
    writeFileSync(join(staticDir, 'passwd'), accounts.passwd, { mode: 0o644 });
    writeFileSync(join(staticDir, 'group'), accounts.group, { mode: 0o644 });

    const tools = await hostTools(options.python ?? (process.env.FLOWSTEER_SANDBOX_PYTHON || undefined));
    const probes: MechanismProbe[] = [];
    const order: MechanismName[] = mechanism === 'auto' ? ['bubblewrap', 'unshare', 'rlimits'] : [mechanism as MechanismName];
    let chosen: MechanismName | 'none' = 'none';
    for (const m of order) {
      const reason = unavailableReason(m, tools, { root, allowUnsafe });
      if (reason) {
        probes.push({ mechanism: m, ok: false, detail: reason });
        continue;
      }
      const probeRunner = new SandboxRunner(
        isolationReport(m, tools.python, concurrency, probes, allowUnsafe, root),
        tools.features,
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
        probes.push({
          mechanism: m,
          ok: false,
          detail: `probe failed: ${r.stopReason} ${r.detail ?? ''}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`,
        });
      } catch (e) {
        probes.push({ mechanism: m, ok: false, detail: `probe failed: ${(e as Error).message}` });
      }
    }
    const report = isolationReport(chosen, tools.python, concurrency, probes, allowUnsafe, root);
    announceIsolation(report, log);
    const runner = new SandboxRunner(report, tools.features, staticDir, defaults, max, log);
    if (options.memoryCgroup ?? process.env.FLOWSTEER_SANDBOX_CGROUP === '1') {
      runner.memoryCgroups = detectMemoryCgroup();
      runner.cgroupPool = runner.memoryCgroups ? new CgroupPool(runner.memoryCgroups) : undefined;
      if (!runner.memoryCgroups)
        log('[sandbox] per-run memory cgroup requested, but no writable memory cgroup here: memory is limited per process only');
    }
    return runner;
  }

  /** Runs that hold a slot, and runs waiting for one. */
  stats(): { running: number; waiting: number; completed: number; concurrency: number } {
    return {
      running: this.semaphore.inUse,
      waiting: this.semaphore.waiting,
      completed: this.completed,
      concurrency: this.semaphore.capacity,
    };
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
    const { limits, files, args, stdin, env } = checkRequest(req, this.defaults, this.max);

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
      outcome = await launch(plan, {
        limits,
        stdin,
        uid,
        signal: controller.signal,
        cgroup,
        mechanism,
        label: this.isolation.label,
        inheritedFds: this.inheritedFds,
      });
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
