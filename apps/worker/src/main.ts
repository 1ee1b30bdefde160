// The worker process: connects, serves until SIGTERM/SIGINT, drains in-flight work, exits 0.
import { NativeConnection } from '@temporalio/worker';
import { workerConfigFromEnv } from './config';
import { createCanvasWorker } from './worker';

async function main(): Promise<void> {
  const config = workerConfigFromEnv();
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect({ address: config.address });
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${config.address} (${(err as Error).message}). Start it with \`npx flowsteer up\` or set TEMPORAL_ADDRESS.`,
    );
  }
  try {
    const worker = await createCanvasWorker(connection, config);
    console.log(`flowsteer worker ${config.identity} polling ${config.taskQueue} on ${config.address} (namespace ${config.namespace})`);
    // The SDK's Runtime turns SIGINT/SIGTERM into a graceful shutdown: run() resolves once drained.
    await worker.run();
    console.log('flowsteer worker stopped gracefully');
  } finally {
    await connection.close();
  }
}

main().catch((err: Error) => {
  console.error(`flowsteer worker failed: ${err.message}`);
  process.exit(1);
});
