import { TASK_QUEUES } from '@flowsteer/contracts';
import { createSandbox, isolationWarnings } from '@flowsteer/sandbox';
import { readFileSync } from 'node:fs';
import { CliError, readPid, removeFile, runTemporalScript, spawnWorker, stopProcess } from '../processes';
import { runtimePaths, temporalAddress, temporalUiUrl } from '../paths';
import { connectClient, pollersOf } from '../temporal';

const WORKER_READY_TIMEOUT_MS = Number(process.env.FLOWSTEER_WORKER_START_TIMEOUT_MS ?? 120_000);

/** `flowsteer up`: the dev server, then one worker, each started only if not already running. */
export async function up(): Promise<void> {
  const started = runTemporalScript('start');
  if (started === 2) throw new CliError('the temporal CLI is missing: run `bash scripts/setup.sh` (or `bash temporal/install.sh`)');
  if (started !== 0) throw new CliError(`the Temporal dev server did not start (exit ${started}); see the message above`);

  const paths = runtimePaths();
  const running = readPid(paths.workerPid);
  if (running) {
    console.log(`worker already running (pid ${running}), log ${paths.workerLog}`);
  } else {
    const pid = spawnWorker();
    console.log(`worker starting (pid ${pid}), log ${paths.workerLog}`);
    await waitForWorker(pid);
  }
  console.log(`Temporal UI: ${temporalUiUrl()}`);
}

async function waitForWorker(pid: number): Promise<void> {
  const paths = runtimePaths();
  const { client, connection } = await connectClient();
  try {
    const deadline = Date.now() + WORKER_READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!readPid(paths.workerPid)) {
        throw new CliError(`the worker (pid ${pid}) exited during start-up; last lines of ${paths.workerLog}:\n${tail(paths.workerLog, 15)}`);
      }
      const pollers = await pollersOf(client, TASK_QUEUES.canvas);
      if (pollers.some((identity) => identity.endsWith(`:${pid}`))) {
        console.log(`worker ready: polling ${TASK_QUEUES.canvas}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new CliError(`the worker (pid ${pid}) did not start polling within ${WORKER_READY_TIMEOUT_MS / 1000}s; see ${paths.workerLog}`);
  } finally {
    await connection.close();
  }
}

/** `flowsteer down`: drain and stop the worker, then the dev server. */
export async function down(): Promise<void> {
  const paths = runtimePaths();
  const pid = readPid(paths.workerPid);
  if (pid) {
    const how = await stopProcess(pid);
    console.log(how === 'stopped' ? `worker stopped (pid ${pid})` : `worker did not drain in time and was killed (pid ${pid})`);
  } else {
    console.log('worker is not running');
  }
  removeFile(paths.workerPid);
  const code = runTemporalScript('stop');
  if (code !== 0) throw new CliError(`stopping the Temporal dev server failed (exit ${code})`);
}

/** `flowsteer status`: what runs where; exit code 0 only when server and worker are both up. */
export async function status(): Promise<number> {
  const paths = runtimePaths();
  const serverCode = runTemporalScript('status');
  const pid = readPid(paths.workerPid);
  console.log(pid ? `worker: running (pid ${pid}), log ${paths.workerLog}` : 'worker: stopped');
  await printSandbox();
  if (serverCode === 0) {
    const { client, connection } = await connectClient();
    try {
      for (const queue of [TASK_QUEUES.canvas, TASK_QUEUES.sandbox, TASK_QUEUES.learner]) {
        const pollers = await pollersOf(client, queue);
        console.log(`task queue ${queue}: ${pollers.length ? pollers.join(', ') : 'no pollers'}`);
      }
    } finally {
      await connection.close();
    }
    console.log(`Temporal: ${temporalAddress()}  UI: ${temporalUiUrl()}`);
  }
  return serverCode === 0 && pid ? 0 : 1;
}

/** The code sandbox this machine gives a worker, and what is weaker than intended (issue #12). */
async function printSandbox(): Promise<void> {
  try {
    const sandbox = await createSandbox({ log: () => undefined });
    console.log(`sandbox: ${sandbox.isolation.label}${sandbox.memoryCgroups ? `, memory per run (cgroup v${sandbox.memoryCgroups.version})` : ''}`);
    for (const w of isolationWarnings({ ...sandbox.isolation, memoryPerRun: sandbox.memoryCgroups !== undefined })) console.log(`sandbox WARNING: ${w}`);
    await sandbox.close();
  } catch (e) {
    console.log(`sandbox WARNING: cannot start one here: ${(e as Error).message.split('\n')[0]}`);
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
