import { startTestServer } from './test-server';

/**
 * One real Temporal dev server for the whole jest run, unless TEMPORAL_ADDRESS points at one
 * already, or none of the selected test files needs one (`jest/temporal-scope.js`, noted by
 * `jest/test-sequencer.js`: `npx jest libs/canvas` starts no server). Test workers inherit these
 * variables; teardown stops only what we started.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_ADDRESS) return;
  if (process.env.FLOWSTEER_TEST_NEEDS_TEMPORAL === '0') return;
  const server = await startTestServer();
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.FLOWSTEER_TEST_TEMPORAL_UI = server.uiUrl;
  process.env.FLOWSTEER_TEST_SERVER_HOME = server.home;
  process.env.FLOWSTEER_TEST_SERVER_PORTS = `${server.env.FLOWSTEER_TEMPORAL_PORT},${server.env.FLOWSTEER_TEMPORAL_UI_PORT}`;
}
