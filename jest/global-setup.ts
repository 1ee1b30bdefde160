import { startTestServer } from './test-server';

/**
 * One real Temporal dev server for the whole jest run, unless TEMPORAL_ADDRESS points at one
 * already. Test workers inherit these variables; teardown stops only what we started.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_ADDRESS) return;
  const server = await startTestServer();
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.FLOWSTEER_TEST_TEMPORAL_UI = server.uiUrl;
  process.env.FLOWSTEER_TEST_SERVER_HOME = server.home;
  process.env.FLOWSTEER_TEST_SERVER_PORTS = `${server.env.FLOWSTEER_TEMPORAL_PORT},${server.env.FLOWSTEER_TEMPORAL_UI_PORT}`;
}
