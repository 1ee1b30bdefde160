import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');

/** Asks the OS for a free loopback port, so parallel test runs never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface TestServer {
  address: string;
  uiUrl: string;
  home: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Starts a throw-away dev server through the same script users run (temporal/start.sh). A port
 * asked for can be taken again before the server binds it (the server also binds ports of its own
 * next to the ones it is given): a start that fails is tried again on new ports, twice at most.
 */
export async function startTestServer(): Promise<TestServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreshPorts();
    } catch (err) {
      if (attempt >= 3) throw err;
      console.error(`the test server did not start (attempt ${attempt} of 3), trying again on new ports: ${(err as Error).message}`);
    }
  }
}

async function startOnFreshPorts(): Promise<TestServer> {
  const [port, uiPort] = [await freePort(), await freePort()];
  const home = join(ROOT, '.flowsteer', 'test-runs', `${process.pid}-${port}`);
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  const env = {
    ...process.env,
    FLOWSTEER_HOME: home,
    FLOWSTEER_TEMPORAL_PORT: String(port),
    FLOWSTEER_TEMPORAL_UI_PORT: String(uiPort),
  };
  try {
    execFileSync('bash', [join(ROOT, 'temporal', 'start.sh')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (err) {
    stopTestServer(env, home);
    throw err;
  }
  return { address: `127.0.0.1:${port}`, uiUrl: `http://127.0.0.1:${uiPort}`, home, env };
}

export function stopTestServer(env: NodeJS.ProcessEnv, home: string): void {
  execFileSync('bash', [join(ROOT, 'temporal', 'stop.sh')], { env, stdio: 'ignore' });
  rmSync(home, { recursive: true, force: true });
}
