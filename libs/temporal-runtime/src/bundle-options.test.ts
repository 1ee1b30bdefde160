import { bundleWorkflowCode } from '@temporalio/worker';
import { join } from 'node:path';
import vm from 'node:vm';
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

/**
 * The modules a workflow start evaluates: the worker reuses one V8 context and gives each workflow
 * execution fresh module instances, so everything a start requires is evaluated again at every start
 * (the bundle's module cache is routed through `globalThis.__webpack_module_cache__`; recording its
 * writes lists them). The call itself stops at the first workflow API it makes outside a workflow.
 */
async function modulesEvaluatedBy(code: string, workflow: string, input: unknown): Promise<string[]> {
  const evaluated: string[] = [];
  const cache = new Map<PropertyKey, unknown>();
  const context = vm.createContext({});
  const recording = new Proxy(
    {},
    {
      get: (_, id) => cache.get(id),
      set: (_, id, module) => {
        evaluated.push(String(id));
        cache.set(id, module);
        return true;
      },
    },
  );
  Object.defineProperty(context, '__webpack_module_cache__', { value: recording });
  vm.runInContext(code, context);
  const workflows = (
    context as { __TEMPORAL__: { importWorkflows(): Record<string, (input: unknown) => Promise<unknown>> } }
  ).__TEMPORAL__.importWorkflows();
  const from = evaluated.length;
  await workflows[workflow]?.(input).catch(() => undefined);
  return evaluated.slice(from);
}

const sessionInput = (extra: object = {}) => ({
  task: { dataset: 'adhoc', id: '1', taskType: 'math', problem: 'What is 2 + 2?', answers: ['4'] },
  limits: { maxTurns: 3 },
  directorBackend: 'embedded',
  executorBackend: 'embedded',
  ...extra,
});

const SCHEMA_MODULES =
  /node_modules[\\/]zod[\\/]|libs[\\/]contracts[\\/]src[\\/](session-start|training-config|run-start|plugins|names)\.ts/;

describe('what a workflow start evaluates (#18)', () => {
  let tuned = '';
  beforeAll(async () => {
    tuned = (await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietLogger })).code;
  });

  it('a session start builds no zod schema and loads no other workflow', async () => {
    const modules = await modulesEvaluatedBy(tuned, 'canvasSession', sessionInput());
    expect(modules).toContain('./libs/workflows/src/canvas-session/canvas-session.ts');
    expect(modules).toContain('./libs/contracts/src/session-input.ts');
    expect(modules.filter((m) => SCHEMA_MODULES.test(m))).toEqual([]);
    expect(modules.filter((m) => /eval-run|cwrpo-training/.test(m))).toEqual([]);
  });

  it('a session that declares plug-ins loads their schema to check them', async () => {
    const modules = await modulesEvaluatedBy(tuned, 'canvasSession', sessionInput({ plugins: [{ name: 'bad name' }] }));
    expect(modules).toContain('./libs/contracts/src/plugins.ts');
  });

  it('a training run loads its own schemas', async () => {
    const modules = await modulesEvaluatedBy(tuned, 'cwrpoTraining', {});
    expect(modules).toContain('./libs/contracts/src/training-config.ts');
  });

  it('with contracts evaluated whole, a session start builds every schema (the benchmark baseline)', async () => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(undefined, { contractsOnDemand: false }), logger: quietLogger });
    const modules = await modulesEvaluatedBy(code, 'canvasSession', sessionInput());
    expect(modules).toContain('./libs/contracts/src/training-config.ts');
    expect(modules).toContain('./libs/contracts/src/session-start.ts');
  });
});
