/**
 * Reference solutions through the code scorers: every one must pass.
 *
 *   FLOWSTEER_BENCH_DIR=../shared/bench npx tsx bench/sandbox/reference-solutions.ts [--impl DIR] [--datasets humaneval,mbpp,apps] [--limit N]
 *
 * HumanEval: the 164 canonical solutions; MBPP: the reference `code` of all 974 items of
 * mbpp.jsonl (canonical pass@1 uses test_list); APPS: MapCoder's selected150.jsonl has no
 * reference solutions, so the hand-written ones of the scorer tests (3 problems, 55 tests).
 * `--impl` loads the scorers from another copy of libs/sandbox/src (e.g. main's, unpacked with
 * `git archive main libs/sandbox | tar -x -C dist/main-sandbox`), to print before/after counts
 * from one invocation. Prints pass counts, the failing ids, and how verdicts were reached.
 */
import { resolve } from 'node:path';
import type * as SandboxLib from '../../libs/sandbox/src';
import { APPS_SOLUTIONS } from '../../libs/sandbox/src/test-support/apps-solutions';
import { appsItems, humanEvalItems, mbppItems } from '../../libs/sandbox/src/test-support/bench-data';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

type Lib = typeof SandboxLib;

async function main(): Promise<void> {
  const impl = resolve(arg('impl', resolve(__dirname, '../../libs/sandbox/src')));
  const lib = (await import(impl)) as Lib;
  const datasets = arg('datasets', 'humaneval,mbpp,apps').split(',');
  const limit = Number(arg('limit', '100000'));
  const runner = await lib.SandboxRunner.create({ log: () => undefined });
  console.log(`scorers from ${impl}; isolation ${runner.isolation.label}; concurrency ${runner.isolation.concurrency}`);
  const report = (name: string, pass: number, total: number, fails: string[], paths: Record<string, number>, ms: number) =>
    console.log(
      `${name}: ${pass}/${total} pass (${(ms / 1000).toFixed(1)} s)${Object.keys(paths).length ? ` paths ${JSON.stringify(paths)}` : ''}${fails.length ? `\n  failing: ${fails.join('; ')}` : ''}`,
    );
  const count = (paths: Record<string, number>, p: unknown) => {
    const k = typeof p === 'string' ? p : 'single-run';
    paths[k] = (paths[k] ?? 0) + 1;
  };
  if (datasets.includes('humaneval')) {
    const items = humanEvalItems().slice(0, limit);
    const t0 = Date.now();
    const fails: string[] = [];
    const paths: Record<string, number> = {};
    let pass = 0;
    await Promise.all(
      items.map(async (it) => {
        const r = await lib.scoreHumanEval(runner.runCode, it, it.canonical_solution ?? '');
        count(paths, (r as { path?: string }).path);
        if (r.passed) pass++;
        else fails.push(`${it.task_id} (${(r.error ?? r.status).slice(0, 120)})`);
      }),
    );
    report('HumanEval canonical', pass, items.length, fails, paths, Date.now() - t0);
  }
  if (datasets.includes('mbpp')) {
    const items = mbppItems().slice(0, limit);
    const checkPath: number[] = [];
    const t0 = Date.now();
    const fails: string[] = [];
    const paths: Record<string, number> = {};
    let pass = 0;
    await Promise.all(
      items.map(async (it) => {
        const r = await lib.scoreMbpp(runner.runCode, it, it.code ?? '');
        count(paths, (r as { path?: string }).path);
        if ((r as { path?: string }).path === 'check') checkPath.push(it.task_id);
        if (r.passed) pass++;
        else fails.push(`${it.task_id} (${(r.error ?? r.status).slice(0, 120)})`);
      }),
    );
    report('MBPP reference code', pass, items.length, fails, paths, Date.now() - t0);
    if (checkPath.length) console.log(`  on the check path: ${checkPath.sort((a, b) => a - b).join(', ')}`);
  }
  if (datasets.includes('apps')) {
    const items = appsItems();
    const t0 = Date.now();
    const fails: string[] = [];
    let pass = 0;
    let tests = 0;
    for (const [name, code] of Object.entries(APPS_SOLUTIONS)) {
      const item = items.find((i) => i.name === name);
      if (!item) continue;
      const r = await lib.scoreApps(runner.runCode, item, code);
      tests += r.results.length;
      if (r.strict) pass++;
      else fails.push(`${name} (${r.results.filter((x) => x !== true).length} tests fail)`);
    }
    report(`APPS hand-written (${tests} tests)`, pass, Object.keys(APPS_SOLUTIONS).length, fails, {}, Date.now() - t0);
  }
  await runner.close();
}

void main();
