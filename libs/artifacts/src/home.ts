import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function nearestWorkspace(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'libs'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The checkout this code runs from: the nearest folder above `start` holding `nx.json` and `libs/`,
 * else the nearest above the working directory, else the working directory.
 */
export function findWorkspaceRoot(start: string = __dirname, cwd: string = process.cwd()): string {
  return nearestWorkspace(start) ?? nearestWorkspace(cwd) ?? resolve(cwd);
}

export const WORKSPACE_ROOT = findWorkspaceRoot();

/** Where this installation keeps its state: `FLOWSTEER_HOME`, else `<workspace>/.flowsteer` (as temporal/env.sh). */
export function flowsteerHome(env: NodeJS.ProcessEnv = process.env, root: string = WORKSPACE_ROOT): string {
  return env.FLOWSTEER_HOME ? resolve(env.FLOWSTEER_HOME) : join(root, '.flowsteer');
}

/** Artifacts (texts, checkpoints, adapters): `FLOWSTEER_ARTIFACTS`, else `<home>/artifacts`. */
export function defaultArtifactsDir(env: NodeJS.ProcessEnv = process.env, root: string = WORKSPACE_ROOT): string {
  return env.FLOWSTEER_ARTIFACTS ?? join(flowsteerHome(env, root), 'artifacts');
}

/** Evaluation reports (`<dir>/<run>/report.*`): `FLOWSTEER_REPORTS`, else `<home>/reports`. */
export function defaultReportsDir(env: NodeJS.ProcessEnv = process.env, root: string = WORKSPACE_ROOT): string {
  return env.FLOWSTEER_REPORTS ?? join(flowsteerHome(env, root), 'reports');
}
