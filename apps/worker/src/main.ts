// The worker process: connects, serves until SIGTERM/SIGINT, drains in-flight work, exits 0.
// Roles (FLOWSTEER_WORKER_ROLES, default "canvas"): the canvas queue (workflows, policy turns,
// operators; holds the backends' keys) or the sandbox queue (runCode and scoring: candidate code).
// Run the sandbox role as a process of its own, without backend keys (`flowsteer up` does).
// Every setting is an environment variable: see workerConfigFromEnv and infra/README.md.
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { roleWarnings, workerConfigFromEnv, type WorkerConfig } from './config';
import { createCanvasWorker, createSandboxWorker } from './worker';

async function main(): Promise<void> {
  const config = workerConfigFromEnv();
  // The runtime must be configured before the first connection creates the default one.
  if (config.metricsBindAddress) {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.metricsBindAddress } } } });
  }
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect({ address: config.address, tls: config.tls });
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${config.address}${config.tls ? ' over TLS' : ''} (${(err as Error).message}). Start it with \`npx flowsteer up\` or set TEMPORAL_ADDRESS.`,
    );
  }
  for (const warning of roleWarnings(config, process.env)) console.error(`WARNING: ${warning}`);
  try {
    const workers: Worker[] = [];
    if (config.roles.includes('canvas')) workers.push(await createCanvasWorker(connection, config));
    if (config.roles.includes('sandbox')) workers.push(await createSandboxWorker(connection, config));
    console.log(describe(config, workers));
    // The SDK's Runtime turns SIGINT/SIGTERM into a graceful shutdown: run() resolves once drained.
    await Promise.all(workers.map((w) => w.run()));
    console.log('flowsteer worker stopped gracefully');
  } finally {
    await connection.close();
  }
}

function describe(config: WorkerConfig, workers: Worker[]): string {
  const parts = [
    `flowsteer worker ${config.identity} serving ${workers.map((w) => w.options.taskQueue).join(' + ')} on ${config.address} (namespace ${config.namespace})`,
  ];
  if (config.deployment)
    parts.push(
      `version ${config.deployment.version.deploymentName}.${config.deployment.version.buildId} (${config.deployment.defaultVersioningBehavior})`,
    );
  if (config.metricsBindAddress) parts.push(`metrics http://${config.metricsBindAddress}/metrics`);
  if (config.tls) parts.push('TLS');
  return parts.join(', ');
}

main().catch((err: Error) => {
  console.error(`flowsteer worker failed: ${err.message}`);
  process.exit(1);
});
