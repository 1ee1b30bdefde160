// The worker process: connects, serves until SIGTERM/SIGINT, drains in-flight work, exits 0.
// Roles (FLOWSTEER_WORKER_ROLES, default "canvas,sandbox"): the canvas queue (workflows, policy
// turns, operators) and the sandbox queue (code execution); run them in separate pools at scale.
import { NativeConnection, Worker } from '@temporalio/worker';
import { TASK_QUEUES } from '@flowsteer/contracts';
import { createSandboxActivities } from '@flowsteer/sandbox';
import { workerConfigFromEnv } from './config';
import { createCanvasWorker } from './worker';

async function main(): Promise<void> {
  const config = workerConfigFromEnv();
  const roles = new Set((process.env.FLOWSTEER_WORKER_ROLES ?? 'canvas,sandbox').split(',').map((r) => r.trim()));
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect({ address: config.address });
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${config.address} (${(err as Error).message}). Start it with \`npx flowsteer up\` or set TEMPORAL_ADDRESS.`,
    );
  }
  try {
    const workers: Worker[] = [];
    if (roles.has('canvas')) workers.push(await createCanvasWorker(connection, config));
    if (roles.has('sandbox')) {
      workers.push(
        await Worker.create({
          connection,
          namespace: config.namespace,
          taskQueue: process.env.FLOWSTEER_SANDBOX_TASK_QUEUE ?? TASK_QUEUES.sandbox,
          identity: config.identity,
          activities: createSandboxActivities(),
        }),
      );
    }
    if (!workers.length) throw new Error(`FLOWSTEER_WORKER_ROLES="${[...roles].join(',')}" names no known role (canvas, sandbox)`);
    console.log(`flowsteer worker ${config.identity} serving ${workers.map((w) => w.options.taskQueue).join(' + ')} on ${config.address} (namespace ${config.namespace})`);
    // The SDK's Runtime turns SIGINT/SIGTERM into a graceful shutdown: run() resolves once drained.
    await Promise.all(workers.map((w) => w.run()));
    console.log('flowsteer worker stopped gracefully');
  } finally {
    await connection.close();
  }
}

main().catch((err: Error) => {
  console.error(`flowsteer worker failed: ${err.message}`);
  process.exit(1);
});
