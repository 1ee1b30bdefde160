import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { CodeRunResult } from '@flowsteer/contracts';
import { SandboxUnavailableError } from './errors';
import type { RunCgroup } from './isolation/cgroup';
import { stdioCoveringInherited } from './isolation/fds';
import { FIRST_FILE_FD, isRoot, type LaunchPlan, type MechanismName, STATUS_FD } from './isolation/mechanisms';
import type { ResolvedLimits } from './limits';
import { childrenOf, cpuMsOfUid, killAllOfUid } from './procfs';
import { classifyStop, parseStatus, signalName } from './stop';

export interface RunOutcome {
  result: CodeRunResult;
  /** The runner killed the program (time, output, cancellation): its teardown may still be under way. */
  killed: boolean;
}

/** One run's launch: its limits and input, the host uid it runs as, and the runner's facts. */
export interface LaunchRun {
  limits: ResolvedLimits;
  stdin: string;
  /** The host uid the program runs as (root worker), else undefined (it runs as the worker's uid). */
  uid: number | undefined;
  /** Aborting kills the run (stop reason "killed"). */
  signal: AbortSignal;
  cgroup?: RunCgroup;
  mechanism: MechanismName;
  /** The `isolation` field of the result. */
  label: string;
  /** fds the worker inherited without close-on-exec: covered with /dev/null in the launch. */
  inheritedFds: number[];
}

/**
 * Starts the launcher of `plan`, feeds its stdin and file descriptors, collects stdout, stderr and
 * the status channel up to the output limit, kills it on timeout, output overflow or abort, and
 * classifies how it stopped. The exit status is the launcher's, never the program's own report.
 */
export function launch(plan: LaunchPlan, run: LaunchRun): Promise<RunOutcome> {
  const { limits, stdin, uid, signal, cgroup } = run;
  return new Promise<RunOutcome>((resolve, reject) => {
    const started = process.hrtime.bigint();
    const stdio = stdioCoveringInherited(['pipe', 'pipe', 'pipe', 'pipe', ...plan.fdContents.map(() => 'pipe' as const)], run.inheritedFds);
    let child: ChildProcess;
    try {
      // with a memory cgroup, a shell joins it first and then becomes the launcher, so that
      // everything the launcher starts is in it (joining from here after spawn would race bwrap)
      const [file, args] = cgroup
        ? ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', cgroup.procsFile, plan.file, ...plan.args]]
        : [plan.file, plan.args];
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
    // The sweep of the run's uid when the launcher exits (rlimits). The run ends only once it is
    // done: the runner hands the uid to the next run after that, and a sweep still going would kill
    // the next run's processes (seen as a memory bomb "killed by SIGKILL" under load).
    let exitSweep: Promise<unknown> | undefined;

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
      const { stopReason, detail } = classifyStop({
        killedFor,
        exitCode,
        signal: sig,
        cpuTimeMs,
        limits,
        stderr: stderrText,
        oomKilled: cgroup?.oomKilled() ?? false,
      });
      const outcome: RunOutcome = {
        result: {
          stdout: stdoutText,
          stderr: stderrText,
          exitCode,
          signal: sig,
          stopReason,
          wallTimeMs: exited.wallMs,
          cpuTimeMs,
          isolation: run.label,
          ...(detail ? { detail } : {}),
        },
        killed: killedFor !== undefined,
      };
      if (exitSweep) void exitSweep.then(() => resolve(outcome));
      else resolve(outcome);
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
      if (run.mechanism === 'rlimits') {
        killTree();
        if (uid !== undefined) exitSweep = killAllOfUid(uid, isRoot()).catch(() => undefined);
      }
      closeTimer = setTimeout(() => {
        for (const s of child.stdio) s?.destroy();
        finish();
      }, 2000);
    });
    child.on('close', () => finish());
  });
}
