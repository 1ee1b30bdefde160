/**
 * Sandbox start-up overhead and throughput.
 *
 *   npx tsx bench/sandbox/overhead.ts [--runs 100] [--throughput 200] [--mechanism auto|bubblewrap|unshare|all] [--baseline DIR]
 *
 * `--baseline DIR` also measures the runner of another copy of libs/sandbox/src (e.g. main's,
 * unpacked with `git archive main libs/sandbox | tar -x -C dist/main-sandbox`), interleaved with
 * this one's in the same loop, so both ratios come from the same machine state.
 *
 * Overhead: the median wall time of a trivial program (`pass`) run through the sandbox, against
 * plain `python3 -c pass` (the same interpreter, spawned directly) measured in the same run; the
 * two are interleaved so that both see the same machine state. Sandbox times are end to end as a
 * caller sees them (slot, launch, namespaces, the program, the leftover sweep).
 * Throughput: `--throughput` trivial programs submitted at once, run with the worker's
 * concurrency limit (FLOWSTEER_SANDBOX_CONCURRENCY, default: the CPU count).
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { type MechanismName, SandboxRunner } from '../../libs/sandbox/src';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const RUNS = Number(arg('runs', '100'));
const THROUGHPUT = Number(arg('throughput', '200'));
const WANT = arg('mechanism', 'all');
const BASELINE = arg('baseline', '');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

function plainPython(python: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(python, ['-c', 'pass'], { stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`python exited ${code}`)),
    );
  });
}

async function timedRun(runner: SandboxRunner, code: string): Promise<{ endToEnd: number; inside: number }> {
  const t0 = process.hrtime.bigint();
  const r = await runner.run({ code, limits: { wallTimeMs: 30_000 } });
  if (r.stopReason !== 'ok') throw new Error(`sandbox run failed: ${r.stopReason} ${r.detail ?? ''} ${r.stderr}`);
  return { endToEnd: Number(process.hrtime.bigint() - t0) / 1e6, inside: r.wallTimeMs };
}

type Runner = Pick<SandboxRunner, 'run' | 'close' | 'isolation'>;
type Create = (mechanism: MechanismName | 'auto') => Promise<Runner>;

async function timedRunOf(runner: Runner, code: string): Promise<{ endToEnd: number; inside: number }> {
  return timedRun(runner as SandboxRunner, code);
}

async function measure(mechanism: MechanismName | 'auto', creators: { name: string; create: Create }[]): Promise<string[]> {
  const runners = await Promise.all(creators.map(async (c) => ({ name: c.name, runner: await c.create(mechanism) })));
  const iso = runners[0]?.runner.isolation as SandboxRunner['isolation'];
  if (iso.mechanism === 'none') {
    await Promise.all(runners.map((r) => r.runner.close()));
    return [`${mechanism}: not available (${iso.probes.map((p) => `${p.mechanism}: ${p.detail}`).join('; ')})`];
  }
  const python = iso.python?.executable ?? 'python3';
  for (let i = 0; i < 5; i++) {
    await plainPython(python);
    for (const r of runners) await timedRunOf(r.runner, 'pass');
  }
  const plain: number[] = [];
  const sandboxed = runners.map(() => [] as number[]);
  const inside = runners.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) {
    plain.push(await plainPython(python));
    for (const [k, r] of runners.entries()) {
      const t = await timedRunOf(r.runner, 'pass');
      sandboxed[k]?.push(t.endToEnd);
      inside[k]?.push(t.inside);
    }
  }
  const pm = median(plain);
  const lines = [
    `mechanism: ${iso.label} (python ${iso.python?.version}, ${python})`,
    `  plain python3 -c pass      median ${pm.toFixed(1)} ms  (p10 ${pct(plain, 10).toFixed(1)}, p90 ${pct(plain, 90).toFixed(1)}) over ${RUNS} runs`,
  ];
  for (const [k, r] of runners.entries()) {
    const xs = sandboxed[k] as number[];
    const sm = median(xs);
    lines.push(
      `  [${r.name}] sandboxed pass, end to end median ${sm.toFixed(1)} ms  (p10 ${pct(xs, 10).toFixed(1)}, p90 ${pct(xs, 90).toFixed(1)}); spawn-to-exit median ${median(inside[k] as number[]).toFixed(1)} ms`,
      `  [${r.name}] overhead: +${(sm - pm).toFixed(1)} ms per run, ratio sandbox/plain = ${(sm / pm).toFixed(2)}x`,
    );
  }
  for (const r of runners) {
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: THROUGHPUT }, () => timedRunOf(r.runner, 'pass')));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const light = 'print(sum(i * i for i in range(200000)))';
    const lightN = Math.max(20, THROUGHPUT / 4);
    const t1 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: lightN }, () => timedRunOf(r.runner, light)));
    const lightSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
    lines.push(
      `  [${r.name}] throughput (concurrency ${iso.concurrency}): ${THROUGHPUT} trivial runs in ${seconds.toFixed(2)} s = ${(THROUGHPUT / seconds).toFixed(1)} runs/s; ` +
        `${lightN} light runs (sum of 200k squares) in ${lightSeconds.toFixed(2)} s = ${(lightN / lightSeconds).toFixed(1)} runs/s`,
    );
    await r.runner.close();
  }
  return lines;
}

async function main(): Promise<void> {
  const mechanisms: (MechanismName | 'auto')[] = WANT === 'all' ? ['bubblewrap', 'unshare'] : [WANT as MechanismName | 'auto'];
  const lines = [
    `sandbox overhead benchmark: ${RUNS} runs each, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${new Date().toISOString()}`,
  ];
  const creators: { name: string; create: Create }[] = [
    { name: 'this', create: (mechanism) => SandboxRunner.create({ mechanism, log: () => undefined }) },
  ];
  if (BASELINE) {
    const lib = (await import(resolve(BASELINE))) as { SandboxRunner: typeof SandboxRunner };
    creators.push({ name: 'baseline', create: (mechanism) => lib.SandboxRunner.create({ mechanism, log: () => undefined }) });
    lines.push(`baseline: ${resolve(BASELINE)}`);
  }
  for (const m of mechanisms) lines.push(...(await measure(m, creators)));
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
