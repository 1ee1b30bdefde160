import { TASK_QUEUES } from '@flowsteer/contracts';
import { createSandbox, isolationWarnings } from '@flowsteer/sandbox';
import { readFileSync } from 'node:fs';
import { CliError, readPid, removeFile, runTemporalScript, spawnWorker, stopProcess, type WorkerRole } from '../processes';
import { canvasTaskQueue, runtimePaths, sandboxTaskQueue, temporalAddress, temporalUiUrl } from '../paths';
import { connectClient, describePollers, pollerLine, pollersOf } from '../temporal';

const WORKER_READY_TIMEOUT_MS = Number(process.env.FLOWSTEER_WORKER_START_TIMEOUT_MS ?? 120_000);

/** The two worker processes: the canvas worker (LLM calls, operators) and the sandbox worker (candidate code, no keys). */
function workers(env: NodeJS.ProcessEnv = process.env) {
  const paths = runtimePaths(env);
  return [
    { role: 'canvas' as WorkerRole, name: 'canvas worker', pid: paths.workerPid, log: paths.workerLog, queue: canvasTaskQueue(env) },
    {
      role: 'sandbox' as WorkerRole,
      name: 'sandbox worker',
      pid: paths.sandboxWorkerPid,
      log: paths.sandboxWorkerLog,
      queue: sandboxTaskQueue(env),
    },
  ];
}

/**
 * `flowsteer up`: the dev server, then the canvas worker and the sandbox worker as processes of
 * their own (the sandbox worker without backend keys), each started only if not already running,
 * and waits until each polls its queue.
 */
export async function up(): Promise<void> {
  const started = runTemporalScript('start');
  if (started === 2) throw new CliError('the temporal CLI is missing: run `bash scripts/setup.sh` (or `bash temporal/install.sh`)');
  if (started !== 0) throw new CliError(`the Temporal dev server did not start (exit ${started}); see the message above`);

  for (const w of workers()) {
    const running = readPid(w.pid);
    if (running) {
      console.log(`${w.name} already running (pid ${running}), log ${w.log}`);
      continue;
    }
    const pid = spawnWorker(w.role);
    console.log(`${w.name} starting (pid ${pid}), log ${w.log}`);
    await waitForWorker(w, pid);
  }
  console.log(`Temporal UI: ${temporalUiUrl()}`);
}

async function waitForWorker(w: ReturnType<typeof workers>[number], pid: number): Promise<void> {
  const { client, connection } = await connectClient();
  try {
    const deadline = Date.now() + WORKER_READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!readPid(w.pid)) {
        throw new CliError(`the ${w.name} (pid ${pid}) exited during start-up; last lines of ${w.log}:\n${tail(w.log, 15)}`);
      }
      const pollers = await pollersOf(client, w.queue);
      if (pollers.some((identity) => identity.endsWith(`:${pid}`))) {
        console.log(`${w.name} ready: polling ${w.queue}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new CliError(
      `the ${w.name} (pid ${pid}) did not start polling ${w.queue} within ${WORKER_READY_TIMEOUT_MS / 1000}s; see ${w.log}`,
    );
  } finally {
    await connection.close();
  }
}

/** `flowsteer down`: drain and stop both workers, then the dev server. */
export async function down(): Promise<void> {
  for (const w of workers()) {
    const pid = readPid(w.pid);
    if (pid) {
      const how = await stopProcess(pid);
      console.log(how === 'stopped' ? `${w.name} stopped (pid ${pid})` : `${w.name} did not drain in time and was killed (pid ${pid})`);
    } else {
      console.log(`${w.name} is not running`);
    }
    removeFile(w.pid);
  }
  const code = runTemporalScript('stop');
  if (code !== 0) throw new CliError(`stopping the Temporal dev server failed (exit ${code})`);
}

/**
 * `flowsteer status`: what runs where, and who polls each queue (candidate code runs only on the
 * sandbox queue); exit code 0 only when the server and both workers are up.
 */
export async function status(): Promise<number> {
  const serverCode = runTemporalScript('status');
  let up = serverCode === 0;
  for (const w of workers()) {
    const pid = readPid(w.pid);
    console.log(pid ? `${w.name}: running (pid ${pid}), log ${w.log}` : `${w.name}: stopped`);
    up &&= pid !== undefined;
  }
  await printSandbox();
  if (serverCode === 0) {
    const { client, connection } = await connectClient();
    try {
      const [canvas, sandbox] = workers().map((w) => w.queue);
      const queues = [
        {
          queue: canvas,
          what: 'workflows, director turns, operators',
          missing: 'WARNING: no worker: sessions, evaluations and training runs do not move',
        },
        {
          queue: sandbox,
          what: 'candidate code: runCode, scoring',
          missing: 'WARNING: no sandbox worker: code runs and scoring wait, then sessions fail saying so',
        },
        {
          queue: TASK_QUEUES.learner,
          what: 'CWRPO learner',
          missing: 'no learner worker (training steps wait for one: python -m flowsteer_learner.worker)',
          optional: true,
        },
      ];
      for (const { queue, what, missing, optional } of queues) {
        const pollers = await describePollers(client, queue as string);
        if (!pollers.length && !optional) up = false;
        console.log(`task queue ${queue} (${what}):${pollers.length ? '' : ` ${missing}`}`);
        for (const p of pollers) console.log(`  ${pollerLine(p)}`);
      }
    } finally {
      await connection.close();
    }
    console.log(`Temporal: ${temporalAddress()}  UI: ${temporalUiUrl()}`);
  }
  return up ? 0 : 1;
}

/** The code sandbox this machine gives a worker, and what is weaker than intended (issue #12). */
async function printSandbox(): Promise<void> {
  try {
    const sandbox = await createSandbox({ log: () => undefined });
    console.log(
      `sandbox: ${sandbox.isolation.label}${sandbox.memoryCgroups ? `, memory per run (cgroup v${sandbox.memoryCgroups.version})` : ''}`,
    );
    for (const w of isolationWarnings({ ...sandbox.isolation, memoryPerRun: sandbox.memoryCgroups !== undefined }))
      console.log(`sandbox WARNING: ${w}`);
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
