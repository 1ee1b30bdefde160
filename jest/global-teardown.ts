import { stopTestServer } from './test-server';

export default async function globalTeardown(): Promise<void> {
  const home = process.env.FLOWSTEER_TEST_SERVER_HOME;
  const ports = process.env.FLOWSTEER_TEST_SERVER_PORTS;
  if (!home || !ports) return; // the server was provided from outside; leave it alone
  const [port, uiPort] = ports.split(',');
  stopTestServer({ ...process.env, FLOWSTEER_HOME: home, FLOWSTEER_TEMPORAL_PORT: port, FLOWSTEER_TEMPORAL_UI_PORT: uiPort }, home);
}
