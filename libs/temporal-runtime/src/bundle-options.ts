import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { WORKSPACE_ROOT } from '@flowsteer/artifacts';

export { WORKSPACE_ROOT };

export const WORKFLOWS_ENTRY = join(WORKSPACE_ROOT, 'libs', 'workflows', 'src', 'index.ts');

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

/**
 * Options for bundleWorkflowCode / Worker.create: webpack does not read tsconfig paths, so the
 * hook adds the workspace aliases. `workflowsPath` may point at another entry (tests do that).
 */
export function workflowBundleOptions(workflowsPath = WORKFLOWS_ENTRY): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> {
  const aliases = workspaceAliases();
  return {
    workflowsPath,
    webpackConfigHook: (config) => {
      config.resolve = config.resolve ?? {};
      config.resolve.alias = { ...(config.resolve.alias as Record<string, string> | undefined), ...aliases };
      return config;
    },
  };
}

/** The same, in the shape Worker.create and Worker.runReplayHistories take (hook under bundlerOptions). */
export function workerWorkflowOptions(workflowsPath = WORKFLOWS_ENTRY) {
  const { webpackConfigHook } = workflowBundleOptions(workflowsPath);
  return { workflowsPath, bundlerOptions: { webpackConfigHook } };
}
