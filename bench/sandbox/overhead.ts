/**
 * Sandbox start-up overhead and throughput.
 *
 *   npx tsx bench/sandbox/overhead.ts [--runs 100] [--throughput 200] [--mechanism auto|bubblewrap|unshare|all]
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
import { type MechanismName, SandboxRunner } from '../../libs/sandbox/src';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const RUNS = Number(arg('runs', '100'));
const THROUGHPUT = Number(arg('throughput', '200'));
const WANT = arg('mechanism', 'all');

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
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`python exited ${code}`))));
  });
}

async function timedRun(runner: SandboxRunner, code: string): Promise<{ endToEnd: number; inside: number }> {
  const t0 = process.hrtime.bigint();
  const r = await runner.run({ code, limits: { wallTimeMs: 30_000 } });
  if (r.stopReason !== 'ok') throw new Error(`sandbox run failed: ${r.stopReason} ${r.detail ?? ''} ${r.stderr}`);
  return { endToEnd: Number(process.hrtime.bigint() - t0) / 1e6, inside: r.wallTimeMs };
}

async function measure(mechanism: MechanismName | 'auto'): Promise<string[]> {
  const runner = await SandboxRunner.create({ mechanism, log: () => undefined });
  const iso = runner.isolation;
  if (iso.mechanism === 'none') {
    await runner.close();
    return [`${mechanism}: not available (${iso.probes.map((p) => `${p.mechanism}: ${p.detail}`).join('; ')})`];
  }
  const python = iso.python?.executable ?? 'python3';
  for (let i = 0; i < 5; i++) {
    await plainPython(python);
    await timedRun(runner, 'pass');
  }
  const plain: number[] = [];
  const sandboxed: number[] = [];
  const inside: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    plain.push(await plainPython(python));
    const t = await timedRun(runner, 'pass');
    sandboxed.push(t.endToEnd);
    inside.push(t.inside);
  }
  const pm = median(plain);
  const sm = median(sandboxed);

  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: THROUGHPUT }, () => timedRun(runner, 'pass')));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const light = 'print(sum(i * i for i in range(200000)))';
  const t1 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.max(20, THROUGHPUT / 4) }, () => timedRun(runner, light)));
  const lightSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  const lightN = Math.max(20, THROUGHPUT / 4);
  await runner.close();
  return [
    `mechanism: ${iso.label} (python ${iso.python?.version}, ${python})`,
    `  plain python3 -c pass      median ${pm.toFixed(1)} ms  (p10 ${pct(plain, 10).toFixed(1)}, p90 ${pct(plain, 90).toFixed(1)}) over ${RUNS} runs`,
    `  sandboxed pass, end to end median ${sm.toFixed(1)} ms  (p10 ${pct(sandboxed, 10).toFixed(1)}, p90 ${pct(sandboxed, 90).toFixed(1)}); spawn-to-exit median ${median(inside).toFixed(1)} ms`,
    `  overhead: +${(sm - pm).toFixed(1)} ms per run, ratio sandbox/plain = ${(sm / pm).toFixed(2)}x`,
    `  throughput (concurrency ${iso.concurrency}): ${THROUGHPUT} trivial runs in ${seconds.toFixed(2)} s = ${(THROUGHPUT / seconds).toFixed(1)} runs/s; ` +
      `${lightN} light runs (sum of 200k squares) in ${lightSeconds.toFixed(2)} s = ${(lightN / lightSeconds).toFixed(1)} runs/s`,
  ];
}

async function main(): Promise<void> {
  const mechanisms: (MechanismName | 'auto')[] = WANT === 'all' ? ['bubblewrap', 'unshare'] : [WANT as MechanismName | 'auto'];
  const lines = [
    `sandbox overhead benchmark: ${RUNS} runs each, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${new Date().toISOString()}`,
  ];
  for (const m of mechanisms) lines.push(...(await measure(m)));
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
