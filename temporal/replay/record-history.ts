// Records the history of one real run of a workflow into temporal/histories/, for replay tests.
// Usage: npx tsx temporal/replay/record-history.ts <workflowType> '<json input>' <name>
// Starts a throw-away dev server and an in-process worker, so it needs nothing running.
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TASK_QUEUES } from '@flowsteer/contracts';
import { createCanvasWorker } from '../../apps/worker/src/worker';
import { startTestServer, stopTestServer } from '../../jest/test-server';
import { HISTORIES_DIR } from './histories';

async function main(): Promise<void> {
  const [workflowType, inputJson, name] = process.argv.slice(2);
  if (!workflowType || !inputJson || !name) throw new Error('usage: record-history.ts <workflowType> <json input> <name>');
  const server = await startTestServer();
  try {
    const connection = await NativeConnection.connect({ address: server.address });
    const worker = await createCanvasWorker(connection, {
      address: server.address,
      namespace: 'default',
      taskQueue: TASK_QUEUES.canvas,
      identity: 'history-recorder',
    });
    const clientConnection = await Connection.connect({ address: server.address });
    const client = new Client({ connection: clientConnection });
    const workflowId = name;
    const history = await worker.runUntil(async () => {
      const handle = await client.workflow.start(workflowType, {
        taskQueue: TASK_QUEUES.canvas,
        workflowId,
        args: [JSON.parse(inputJson)],
      });
      await handle.result();
      return handle.fetchHistory();
    });
    const file = join(HISTORIES_DIR, `${workflowId}.json`);
    writeFileSync(file, historyToJSON(history) + '\n');
    console.log(`recorded ${history.events?.length ?? 0} events to ${file}`);
    await clientConnection.close();
    await connection.close();
  } finally {
    stopTestServer(server.env, server.home);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
