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

  it('points free references to built-ins at the sandbox module', async () => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietLogger });
    const provided =
      code.match(/provided dependency \*\/ var (\w+) = __webpack_require__\([^)]*sandbox-builtins\.ts[^)]*\)\.sandbox(\w+);/g) ?? [];
    expect(provided.length).toBeGreaterThan(50);
    for (const line of provided) {
      const [, local, exported] = /var (\w+) = .*\.sandbox(\w+);/.exec(line) as RegExpExecArray;
      expect(local).toBe(exported); // Math is the sandbox's Math, never another built-in
    }
    // the canvas hash loop, which reads Math.imul several times a character, is among them
    const from = code.indexOf('/***/ "./libs/canvas/src/util/hash.ts"');
    expect(from).toBeGreaterThan(0);
    const hashModule = code.slice(from, code.indexOf('/***/ "', from + 5));
    expect(hashModule).toContain('var Math = __webpack_require__(');
  });

  it('leaves the built-ins alone when asked to (the benchmark baseline)', async () => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(undefined, { sandboxBuiltins: false }), logger: quietLogger });
    expect(code).not.toContain('sandbox-builtins');
  });

  it('fails to bundle without the alias hook', async () => {
    await expect(bundleWorkflowCode({ workflowsPath: workflowBundleOptions().workflowsPath, logger: quietLogger })).rejects.toThrow();
  });
});

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
