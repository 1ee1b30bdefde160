/** Where benchmark data lives: `FLOWSTEER_BENCH_DIR`, else `<repo>/../shared/bench`. */
import { resolve } from 'node:path';
import { WORKSPACE_ROOT } from '@flowsteer/artifacts';

export function defaultBenchDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.FLOWSTEER_BENCH_DIR;
  if (fromEnv && fromEnv.trim() !== '') return resolve(fromEnv);
  return resolve(WORKSPACE_ROOT, '..', 'shared', 'bench');
}
