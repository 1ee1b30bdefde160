import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { BundleOptions } from '@temporalio/worker';
import type * as Webpack from 'webpack';
import { WORKSPACE_ROOT } from '@flowsteer/artifacts';

export { WORKSPACE_ROOT };

export const WORKFLOWS_ENTRY = join(WORKSPACE_ROOT, 'libs', 'workflows', 'src', 'index.ts');

/** The module whose exports stand in for the sandbox's global built-ins (see that file for why). */
export const SANDBOX_BUILTINS = join(WORKSPACE_ROOT, 'libs', 'workflows', 'src', 'shared', 'sandbox-builtins.ts');
const BUILTINS = ['Math', 'JSON', 'Object', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'Map', 'Set', 'RegExp'];

/** On by default; the engine benchmark turns it off to measure it (bench/engine/overhead.ts --bundle plain). */
export interface BundleTuning {
  sandboxBuiltins?: boolean;
  contractsOnDemand?: boolean;
}

const CONTRACTS_SOURCES = /[\\/]libs[\\/]contracts[\\/]src[\\/]/;

/** `@flowsteer/x` -> absolute source path, read from tsconfig.base.json so there is one truth. */
export function workspaceAliases(root = WORKSPACE_ROOT): Record<string, string> {
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const aliases: Record<string, string> = {};
  for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
    if (target) aliases[`${alias}$`] = join(root, target);
  }
  return aliases;
}

/** The webpack the Temporal SDK bundles with (its plugins must come from the same copy). */
function sdkWebpack(): typeof Webpack {
  return createRequire(require.resolve('@temporalio/worker'))('webpack');
}

/**
 * Options for bundleWorkflowCode / Worker.create: webpack does not read tsconfig paths, so the
 * hook adds the workspace aliases. `workflowsPath` may point at another entry (tests do that).
 * The hook also points free references to built-ins at SANDBOX_BUILTINS (see that module for why).
 */
export function workflowBundleOptions(
  workflowsPath = WORKFLOWS_ENTRY,
  { sandboxBuiltins = true, contractsOnDemand = true }: BundleTuning = {},
): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> {
  const aliases = workspaceAliases();
  return {
    workflowsPath,
    webpackConfigHook: (config) => {
      config.resolve = config.resolve ?? {};
      config.resolve.alias = { ...(config.resolve.alias as Record<string, string> | undefined), ...aliases };
      if (contractsOnDemand) {
        // contracts has no module-level side effects: an import of one name evaluates only the module
        // defining it, not every module of the index (their zod schemas are most of a workflow start)
        config.module = config.module ?? {};
        config.module.rules = [...(config.module.rules ?? []), { test: CONTRACTS_SOURCES, sideEffects: false }];
      }
      if (sandboxBuiltins) {
        const provided = Object.fromEntries(BUILTINS.map((name) => [name, [SANDBOX_BUILTINS, `sandbox${name}`]]));
        config.plugins = [...(config.plugins ?? []), new (sdkWebpack().ProvidePlugin)(provided)];
      }
      return config;
    },
  };
}

/** The same, in the shape Worker.create and Worker.runReplayHistories take (hook under bundlerOptions). */
export function workerWorkflowOptions(workflowsPath = WORKFLOWS_ENTRY) {
  const { webpackConfigHook } = workflowBundleOptions(workflowsPath);
  return { workflowsPath, bundlerOptions: { webpackConfigHook } };
}
