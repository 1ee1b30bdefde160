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

/** Starts the worker detached (own session), stdout/stderr appended to its log. */
export function spawnWorker(env = process.env): number {
  const paths = runtimePaths(env);
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(dirname(paths.workerPid), { recursive: true });
  const log = openSync(paths.workerLog, 'a');
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(WORKSPACE_ROOT, 'apps', 'worker', 'src', 'main.ts')], {
    cwd: WORKSPACE_ROOT,
    env: { ...env, TSX_TSCONFIG_PATH: join(WORKSPACE_ROOT, 'tsconfig.json') },
    detached: true,
    stdio: ['ignore', log, log],
  });
  if (child.pid === undefined) throw new CliError('could not start the worker process');
  child.unref();
  writeFileSync(paths.workerPid, String(child.pid));
  return child.pid;
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
