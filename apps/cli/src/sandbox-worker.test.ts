import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TASK_QUEUES } from '@flowsteer/contracts';
import { readPid, sandboxWorkerEnv, spawnWorker, stopProcess } from './processes';
import { runtimePaths, sandboxTaskQueue } from './paths';
import { connectClient, describePollers, pollerLine, pollersOf } from './temporal';

jest.setTimeout(120_000);

describe('sandboxWorkerEnv', () => {
  it('keeps what the worker needs to reach Temporal and run, and drops every key and backend setting', () => {
    const env = sandboxWorkerEnv({
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_TLS_KEY: '/tls/client.key',
      FLOWSTEER_HOME: '/f',
      FLOWSTEER_TASK_QUEUE: 'flowsteer-canvas-x',
      FLOWSTEER_SANDBOX_MECHANISM: 'bubblewrap',
      OPENAI_API_KEY: 'sk-1',
      ANTHROPIC_API_KEY: 'sk-2',
      VLLM_API_KEY: 'k',
      HF_TOKEN: 't',
      AWS_SECRET_ACCESS_KEY: 's',
      FLOWSTEER_BACKENDS: '/b.yaml',
      FLOWSTEER_API_SIGNING_KEY: 'x',
      FLOWSTEER_API_TOKENS: 'a:admin:sha256:00',
      FLOWSTEER_RUNNER_TEST_SECRET: 'x',
      NODE_OPTIONS: '--require /tmp/evil.js',
      LD_PRELOAD: '/tmp/evil.so',
    });
    expect(Object.keys(env).sort()).toEqual(
      [
        'FLOWSTEER_HOME',
        'FLOWSTEER_SANDBOX_MECHANISM',
        'FLOWSTEER_TASK_QUEUE',
        'HOME',
        'LANG',
        'PATH',
        'TEMPORAL_ADDRESS',
        'TEMPORAL_TLS_KEY',
      ].sort(),
    );
  });
});

describe('pollerLine', () => {
  it('says what a worker polls for and which build it runs', () => {
    expect(pollerLine({ identity: 'w@h:1', workflow: true, activity: true, buildId: '1.4.0', deploymentName: 'flowsteer' })).toBe(
      'w@h:1 (workflow+activity, build 1.4.0 of flowsteer)',
    );
    expect(pollerLine({ identity: 'w@h:2', workflow: false, activity: true })).toBe('w@h:2 (activity, unversioned)');
  });
});

describe('flowsteer up: the sandbox worker process', () => {
  it('runs on its own, polls the paired sandbox queue, and has no backend key in its environment', async () => {
    const home = mkdtempSync(join(tmpdir(), 'flowsteer-cli-sandbox-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLOWSTEER_HOME: home,
      FLOWSTEER_TASK_QUEUE: `${TASK_QUEUES.canvas}-cli-${Math.random().toString(36).slice(2, 8)}`,
      OPENAI_API_KEY: 'sk-must-not-reach-the-sandbox-worker',
    };
    const queue = sandboxTaskQueue(env);
    expect(queue).toBe(env.FLOWSTEER_TASK_QUEUE?.replace(TASK_QUEUES.canvas, TASK_QUEUES.sandbox));
    const pid = spawnWorker('sandbox', env);
    const { client, connection } = await connectClient(env);
    try {
      const deadline = Date.now() + 90_000;
      let pollers: string[] = [];
      while (Date.now() < deadline) {
        pollers = await pollersOf(client, queue);
        if (pollers.some((p) => p.endsWith(`:${pid}`)) || !readPid(runtimePaths(env).sandboxWorkerPid)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const log = () => readFileSync(runtimePaths(env).sandboxWorkerLog, 'utf8');
      expect({ pollers, log: pollers.some((p) => p.endsWith(`:${pid}`)) ? '' : log() }).toEqual({
        pollers: [expect.stringMatching(new RegExp(`:${pid}$`))],
        log: '',
      });
      expect(await pollersOf(client, env.FLOWSTEER_TASK_QUEUE as string)).toEqual([]); // it serves no canvas work
      // what `flowsteer status` prints of it: activity tasks only, with its build id
      const [described] = (await describePollers(client, queue)).filter((p) => p.identity.endsWith(`:${pid}`));
      expect(described).toMatchObject({ workflow: false, activity: true, buildId: expect.any(String) });
      expect(pollerLine(described!)).toMatch(new RegExp(`:${pid} \\(activity, build \\S+\\)$`));
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environ).toContain('FLOWSTEER_WORKER_ROLES=sandbox');
      expect(environ.filter((e) => /API_KEY|^FLOWSTEER_BACKENDS=/.test(e))).toEqual([]);
    } finally {
      await connection.close();
      await stopProcess(pid);
    }
  });
});
