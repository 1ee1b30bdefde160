import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ArtifactStore } from '@flowsteer/artifacts';
import { BackendRegistry, LlmClient, defaultLocalBackend } from '@flowsteer/llm';
import { WORKSPACE_ROOT } from '@flowsteer/temporal-runtime';
import { createActivities } from './activities';
import { createSandboxWorkerActivities } from './sandbox-activities';

/** Non-test TypeScript sources under `dir`. */
function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'test-support' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/**
 * Issue 12 item 4: candidate code runs only in sandbox worker processes. The canvas worker (which
 * holds the backends' keys) has no code runner among its activities' dependencies, so it cannot
 * run code by accident; `runCode` and `scoreSession` exist only on the sandbox worker.
 */
describe('the canvas worker has no code runner', () => {
  const artifactsDir = mkdtempSync(join(tmpdir(), 'flowsteer-isolation-'));
  const llm = new LlmClient(new BackendRegistry([defaultLocalBackend()], { director: 'local', executor: 'local' }, 'isolation test'));

  it('registers neither runCode nor scoreSession; the sandbox worker registers exactly those', async () => {
    const canvas = Object.keys(await createActivities({ identity: 'isolation-test', artifactsDir, llm }));
    expect(canvas).toContain('runOperator');
    expect(canvas).not.toContain('runCode');
    expect(canvas).not.toContain('scoreSession');
    const sandbox = Object.keys(await createSandboxWorkerActivities({ store: new ArtifactStore(artifactsDir), sandbox: null }));
    expect(sandbox.sort()).toEqual(['runCode', 'scoreSession']);
  });

  it('builds its activities from modules that never import a code runner', () => {
    // the canvas worker's activity modules, the operators and the LLM lib: none may reach the sandbox's
    // runner. The Test operator may import libs/sandbox's verdict logic (it builds the harness programs
    // and reads their results; the runs themselves happen on the sandbox queue): only that name.
    const canvasSide = [
      ...['activities.ts', 'session-activities.ts', 'eval-activities.ts', 'training-activities.ts'].map((f) =>
        join(WORKSPACE_ROOT, 'apps', 'worker', 'src', f),
      ),
      ...sources(join(WORKSPACE_ROOT, 'libs', 'operators', 'src')),
      ...sources(join(WORKSPACE_ROOT, 'libs', 'llm', 'src')),
    ];
    const VERDICT_ONLY = /import\s*\{\s*codeTestsVerdict\s*\}\s*from\s*'@flowsteer\/sandbox'/g;
    const importers = canvasSide.filter((f) =>
      /(?:from|require\()\s*'(?:@flowsteer\/sandbox|\.\/sandbox-activities|\.\/code-scorer)'/.test(
        readFileSync(f, 'utf8').replace(VERDICT_ONLY, ''),
      ),
    );
    expect(importers.map((f) => relative(WORKSPACE_ROOT, f))).toEqual([]);
  });
});
