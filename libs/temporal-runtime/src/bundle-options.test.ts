import { bundleWorkflowCode } from '@temporalio/worker';
import { join } from 'node:path';
import { WORKSPACE_ROOT, workflowBundleOptions, workspaceAliases } from './bundle-options';

jest.setTimeout(120_000);

describe('workflow bundling with workspace path aliases', () => {
  it('maps every @flowsteer alias to a source file in the workspace', () => {
    const aliases = workspaceAliases();
    expect(aliases['@flowsteer/contracts$']).toBe(join(WORKSPACE_ROOT, 'libs/contracts/src/index.ts'));
    expect(Object.keys(aliases).every((k) => k.startsWith('@flowsteer/') && k.endsWith('$'))).toBe(true);
  });

  it('bundles the workflows, resolving @flowsteer imports', async () => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietLogger });
    expect(code).toContain('healthCheck');
    expect(code).toContain('libs/contracts'); // proves the alias was followed into the workspace
  });

  it('fails to bundle without the alias hook', async () => {
    await expect(bundleWorkflowCode({ workflowsPath: workflowBundleOptions().workflowsPath, logger: quietLogger })).rejects.toThrow();
  });
});

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
