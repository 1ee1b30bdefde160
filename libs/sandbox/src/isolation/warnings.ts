import { seccompProgram } from './seccomp';

/** The parts of the runner's isolation report the warnings read. */
export interface IsolationFacts {
  mechanism: 'bubblewrap' | 'unshare' | 'rlimits' | 'none';
  dropsPrivileges: boolean;
  /** A per-run memory cgroup is in use (runner.memoryCgroups); undefined: not known, not warned about. */
  memoryPerRun?: boolean;
}

/**
 * What is weaker than the intended set-up (bubblewrap, root worker), one line each, for the
 * worker's start-up log and `flowsteer status`. Empty when nothing is weaker, apart from what no
 * mechanism here enforces (listed by `isolationLimitsNote`).
 */
export function isolationWarnings(facts: IsolationFacts, arch: string = process.arch): string[] {
  const out: string[] = [];
  if (facts.mechanism === 'none') {
    out.push('NO SANDBOX: no isolation mechanism works here, every code run is refused (install bubblewrap: bash libs/sandbox/setup.sh)');
    return out;
  }
  if (facts.mechanism === 'rlimits') {
    out.push(
      'UNSAFE SANDBOX: rlimits only (FLOWSTEER_SANDBOX_UNSAFE=1): candidate code sees the host filesystem and network; no namespaces, no seccomp filter',
    );
  }
  if (facts.mechanism === 'unshare') {
    out.push(
      seccompProgram(arch)
        ? "WEAKER SANDBOX: bubblewrap is missing or does not work, using unshare: the sandbox is assembled by a root shell and the seccomp filter is installed by the sandbox's Python (one interpreter start more per run), nested user namespaces are not disabled; install bubblewrap (bash libs/sandbox/setup.sh)"
        : `WEAKER SANDBOX: bubblewrap is missing or does not work, using unshare: no seccomp filter for architecture ${arch} (the kernel keyrings are shared between runs and with the worker; io_uring, userfaultfd, ptrace and AF_VSOCK are reachable); install bubblewrap (bash libs/sandbox/setup.sh)`,
    );
  }
  if (facts.mechanism === 'bubblewrap' && !seccompProgram(arch)) {
    out.push(`WEAKER SANDBOX: no seccomp filter for architecture ${arch}: the kernel keyrings are shared between runs`);
  }
  if (facts.memoryPerRun === false) {
    out.push(
      'WEAKER SANDBOX: memory is limited per process (RLIMIT_AS), so a run may use up to maxProcesses x memoryMb; FLOWSTEER_SANDBOX_CGROUP=1 adds a per-run memory cgroup where the machine allows it (about 10 ms per run)',
    );
  }
  if (!facts.dropsPrivileges) {
    out.push(
      "WEAKER SANDBOX: the worker is not root, so runs share the worker's uid (no per-run uid; in rlimits mode the program can read the worker's environment)",
    );
  }
  return out;
}
