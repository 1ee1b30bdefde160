import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type MechanismName, SandboxRunner } from '../runner';

/** The repository root (tests use it to prove the sandbox cannot see it). */
export const REPO_ROOT = resolve(__dirname, '../../../..');

/** Where the shared benchmark data lives (../shared/bench beside the repository, or FLOWSTEER_BENCH_DIR). */
export const BENCH_DIR = process.env.FLOWSTEER_BENCH_DIR ?? resolve(REPO_ROOT, '../shared/bench');
export const HAVE_BENCH = existsSync(BENCH_DIR);

const quiet = () => undefined;

/** A runner for each isolating mechanism that works on this machine. */
export async function isolatingRunners(concurrency = 2): Promise<{ mechanism: MechanismName; runner: SandboxRunner }[]> {
  const out: { mechanism: MechanismName; runner: SandboxRunner }[] = [];
  for (const mechanism of ['bubblewrap', 'unshare'] as const) {
    const runner = await SandboxRunner.create({ mechanism, concurrency, log: quiet });
    if (runner.isolation.mechanism === mechanism) out.push({ mechanism, runner });
    else await runner.close();
  }
  return out;
}

/** The runner the product would pick (auto), quietly. */
export function defaultRunner(concurrency = 2): Promise<SandboxRunner> {
  return SandboxRunner.create({ concurrency, log: quiet });
}
