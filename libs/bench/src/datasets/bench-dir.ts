/** Where benchmark data lives: `FLOWSTEER_BENCH_DIR`, else `<repo>/../shared/bench`. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root: the nearest ancestor of `from` holding nx.json. */
function findRepoRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function defaultBenchDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.FLOWSTEER_BENCH_DIR;
  if (fromEnv && fromEnv.trim() !== '') return resolve(fromEnv);
  const root = findRepoRoot(__dirname) ?? findRepoRoot(process.cwd()) ?? process.cwd();
  return resolve(root, '..', 'shared', 'bench');
}
