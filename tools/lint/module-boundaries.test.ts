import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/**
 * Lints source text as if it lived at `relativePath`, with the workspace's real ESLint config,
 * in a child process (ESLint loads its config by dynamic import, which jest's VM does not allow).
 */
async function lintAs(relativePath: string, code: string): Promise<string[]> {
  const run = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'eslint'),
    ['--format', 'json', '--stdin', '--stdin-filename', join(ROOT, relativePath)],
    { cwd: ROOT, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout.slice(run.stdout.indexOf('['))) as { messages: LintMessage[] }[];
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries (DESIGN §3)', () => {
  jest.setTimeout(60_000);

  // The Nx rule reads the cached project graph; compute it the way `npm run lint` does.
  beforeAll(() => {
    const nx = spawnSync(join(ROOT, 'node_modules', '.bin', 'nx'), ['show', 'projects'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    if (nx.status !== 0) throw new Error(`nx could not build the project graph: ${nx.stderr}`);
  });

  it('rejects an I/O library imported from workflow code', async () => {
    const messages = await lintAs(
      'libs/workflows/src/forbidden-example.ts',
      "import { TASK_QUEUES } from '@flowsteer/contracts';\nimport * as llm from '@flowsteer/llm';\nexport const x = [TASK_QUEUES, llm];\n",
    );
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('rejects Node built-ins in pure libraries', async () => {
    const messages = await lintAs(
      'libs/canvas/src/forbidden-example.ts',
      "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    );
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('rejects the Temporal client in workflow code', async () => {
    const messages = await lintAs(
      'libs/workflows/src/forbidden-example.ts',
      "import { Client } from '@temporalio/client';\nexport const c = Client;\n",
    );
    expect(messages.length).toBeGreaterThan(0);
  });

  it('accepts workflow code that imports only pure libs and @temporalio/workflow', async () => {
    const messages = await lintAs(
      'libs/workflows/src/allowed-example.ts',
      "import { proxyActivities } from '@temporalio/workflow';\nimport { TASK_QUEUES } from '@flowsteer/contracts';\nexport const x = [proxyActivities, TASK_QUEUES];\n",
    );
    expect(messages).toEqual([]);
  });
});
