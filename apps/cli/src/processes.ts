import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WORKSPACE_ROOT, runtimePaths } from './paths';

export class CliError extends Error {}

/** Runs one of the temporal/*.sh scripts; their messages go straight to the user. */
export function runTemporalScript(name: 'install' | 'start' | 'stop' | 'status', env = process.env): number {
  const script = join(runtimePaths(env).temporalScripts, `${name}.sh`);
  const result = spawnSync('bash', [script], { stdio: 'inherit', env });
  return result.status ?? 1;
}

export function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export type WorkerRole = 'canvas' | 'sandbox';

/**
 * Starts a worker of one role detached (own session), stdout/stderr appended to its log. The canvas
 * worker gets the user's environment (backends, keys); the sandbox worker, where candidate code
 * runs, gets `sandboxWorkerEnv` of it: no keys, no backend settings.
 */
export function spawnWorker(role: WorkerRole, env = process.env): number {
  const paths = runtimePaths(env);
  const files =
    role === 'canvas' ? { pid: paths.workerPid, log: paths.workerLog } : { pid: paths.sandboxWorkerPid, log: paths.sandboxWorkerLog };
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(dirname(files.pid), { recursive: true });
  const log = openSync(files.log, 'a');
  const base = role === 'canvas' ? env : sandboxWorkerEnv(env);
  const child = spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(WORKSPACE_ROOT, 'apps', 'worker', 'src', 'main.ts')],
    {
      cwd: WORKSPACE_ROOT,
      env: { ...base, FLOWSTEER_WORKER_ROLES: role, TSX_TSCONFIG_PATH: join(WORKSPACE_ROOT, 'tsconfig.json') },
      detached: true,
      stdio: ['ignore', log, log],
    },
  );
  if (child.pid === undefined) throw new CliError(`could not start the ${role} worker process`);
  child.unref();
  writeFileSync(files.pid, String(child.pid));
  return child.pid;
}

/** Variables the sandbox worker may see: what it needs to reach Temporal, run Python and find its files. */
const SANDBOX_ENV_ALLOWED = /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|TERM|NODE_ENV|TEMPORAL_[A-Z_]+|FLOWSTEER_[A-Z_]+)$/;
/** ... minus the FlowSteer settings that name backends, models or secrets. */
const SANDBOX_ENV_DENIED =
  /^FLOWSTEER_(BACKENDS|API_[A-Z_]*|LOCAL_[A-Z_]*|DIRECTOR_BACKEND|EXECUTOR_BACKEND|OWNER)$|KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/;
/** The Temporal client's own TLS files are allowed: the worker needs them to connect. */
const SANDBOX_ENV_TEMPORAL_TLS = /^TEMPORAL_TLS_(CERT|KEY|CA|SERVER_NAME)$/;

/**
 * The sandbox worker's environment: an allow-list of the caller's. No `*_API_KEY`, no token, no
 * secret, no backend configuration: LLM-written code runs under this process (inside the sandbox,
 * which passes it nothing), so a sandbox escape finds no key to take.
 */
export function sandboxWorkerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([k]) => SANDBOX_ENV_TEMPORAL_TLS.test(k) || (SANDBOX_ENV_ALLOWED.test(k) && !SANDBOX_ENV_DENIED.test(k))),
  );
}

/** SIGTERM, wait for the graceful drain, SIGKILL after the grace period. */
export async function stopProcess(pid: number, graceMs = 20_000): Promise<'stopped' | 'killed'> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'stopped';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(pid, 'SIGKILL');
  return 'killed';
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
