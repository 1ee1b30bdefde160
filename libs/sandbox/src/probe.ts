import { execFile } from 'node:child_process';
import type { MechanismFeatures, MechanismName } from './isolation/mechanisms';
import { findPython, type PythonInfo } from './python';

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

/** The program a mechanism must run to be chosen. */
export const PROBE_CODE = 'import os\nprint("flowsteer-probe", os.getuid())\n';

const TOOL_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

function probeText(file: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 10_000, env: { PATH: TOOL_PATH } }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`));
  });
}

function hasCommand(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', `command -v ${name}`], { env: { PATH: TOOL_PATH } }, (err) => resolve(!err));
  });
}

/** The host programs the mechanisms launch with (looked up on a fixed PATH, never the worker's). */
export interface HostTools {
  python: PythonInfo | null;
  pythonError: string;
  features: MechanismFeatures;
  bwrap: boolean;
  unshare: boolean;
  setpriv: boolean;
  prlimit: boolean;
}

export async function hostTools(python: string | undefined): Promise<HostTools> {
  let found: PythonInfo | null = null;
  let pythonError = '';
  try {
    found = await findPython(python);
  } catch (e) {
    pythonError = (e as Error).message;
  }
  const bwrapHelp = (await hasCommand('bwrap')) ? await probeText('bwrap', ['--help']) : '';
  const [unshare, setpriv, prlimit] = await Promise.all([hasCommand('unshare'), hasCommand('setpriv'), hasCommand('prlimit')]);
  return {
    python: found,
    pythonError,
    features: { bwrapDisableUserns: bwrapHelp.includes('--disable-userns') },
    bwrap: bwrapHelp !== '',
    unshare,
    setpriv,
    prlimit,
  };
}

/** Why `mechanism` cannot even be probed here, or '' when it can. */
export function unavailableReason(mechanism: MechanismName, tools: HostTools, host: { root: boolean; allowUnsafe: boolean }): string {
  if (mechanism === 'rlimits' && !host.allowUnsafe) return 'not isolation: needs FLOWSTEER_SANDBOX_UNSAFE=1 (or allowUnsafe)';
  if (!tools.python) return tools.pythonError;
  if (!tools.prlimit) return 'prlimit (util-linux) not found';
  if (host.root && !tools.setpriv) return 'setpriv (util-linux) not found: cannot drop root';
  if (mechanism === 'bubblewrap' && !tools.bwrap) return 'bwrap not installed (bash libs/sandbox/setup.sh installs it)';
  if (mechanism === 'unshare' && !tools.unshare) return 'unshare (util-linux) not found';
  return '';
}

export function isolationReport(
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

/** The start-up line: what was chosen, or loudly, that runs are refused or not isolated. */
export function announceIsolation(report: IsolationReport, log: (line: string) => void): void {
  if (report.mechanism === 'none') {
    log(
      `[sandbox] REFUSING TO RUN CODE: no isolation mechanism works here (${report.probes.map((p) => `${p.mechanism}: ${p.detail}`).join('; ')}). ` +
        'Install bubblewrap (bash libs/sandbox/setup.sh), or set FLOWSTEER_SANDBOX_UNSAFE=1 to run LLM-written code WITHOUT isolation.',
    );
  } else if (report.mechanism === 'rlimits') {
    const bar = '!'.repeat(100);
    log(
      `${bar}\n[sandbox] WARNING: unsafe opt-out in effect (FLOWSTEER_SANDBOX_UNSAFE / allowUnsafe): LLM-written code runs WITHOUT namespaces (rlimits only).\n` +
        '[sandbox] It can read world-readable host files and reach the network. Only limits and a separate uid protect this machine.\n' +
        `${bar}`,
    );
  } else {
    log(`[sandbox] ${report.summary}`);
  }
}
