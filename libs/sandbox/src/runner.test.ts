import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxAbortedError, SandboxRequestError } from './errors';
import { tarArchive } from './isolation/tar';
import { DEFAULT_LIMITS, resolveLimits } from './limits';
import { classifyStop, parseStatus, requestFiles, type SandboxRunner, sandboxEnv } from './runner';
import { Semaphore } from './semaphore';
import { defaultRunner } from './test-support/sandboxes';

describe('limits', () => {
  it('fills defaults, lets the CPU limit follow a given wall limit, and clamps', () => {
    expect(resolveLimits(undefined)).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({ wallTimeMs: 2500 })).toMatchObject({ wallTimeMs: 2500, cpuTimeSec: 3 });
    expect(resolveLimits({ wallTimeMs: 2500, cpuTimeSec: 1 })).toMatchObject({ cpuTimeSec: 1 });
    expect(resolveLimits({ memoryMb: 1e9, maxProcesses: 0 })).toMatchObject({ memoryMb: 16 * 1024, maxProcesses: 1 });
  });

  it('rejects unknown and non-numeric limits with a clear message', () => {
    expect(() => resolveLimits({ wallTimeMs: Number.NaN })).toThrow(/wallTimeMs must be a finite number/);
    expect(() => resolveLimits({ wall: 3 } as never)).toThrow(/unknown sandbox limit "wall"/);
  });
});

describe('request checks', () => {
  const limits = resolveLimits(undefined);
  it('puts main.py first and keeps nested files', () => {
    const files = requestFiles({ code: 'print(1)', files: { 'data/in.txt': 'x' } }, limits);
    expect(files.map((f) => f.path)).toEqual(['main.py', 'data/in.txt']);
  });

  it.each(['/etc/passwd', '../x', 'a/../../x', 'a//b', './a', '', 'main.py', 'a\0b'])('refuses the file path %j', (path) => {
    expect(() => requestFiles({ code: '', files: { [path]: 'x' } }, limits)).toThrow(SandboxRequestError);
  });

  it('builds the environment from nothing and validates extra variables', () => {
    process.env.FLOWSTEER_RUNNER_TEST_SECRET = 'secret';
    const env = sandboxEnv({ MY_VAR: '1' });
    expect(env.MY_VAR).toBe('1');
    expect(Object.values(env)).not.toContain('secret');
    expect(() => sandboxEnv({ 'BAD NAME': 'x' })).toThrow(SandboxRequestError);
    delete process.env.FLOWSTEER_RUNNER_TEST_SECRET;
  });
});

describe('stop classification (pure)', () => {
  const limits = resolveLimits({ wallTimeMs: 1000, memoryMb: 128 });
  const base = { exitCode: 1, signal: null, cpuTimeMs: 10, limits, stderr: '' };
  it.each([
    [{ ...base, exitCode: 0 }, 'ok'],
    [{ ...base }, 'error'],
    [{ ...base, killedFor: 'timeout' as const }, 'timeout'],
    [{ ...base, killedFor: 'output-limit' as const }, 'output-limit'],
    [{ ...base, killedFor: 'cancelled' as const }, 'killed'],
    [{ ...base, exitCode: null, signal: 'SIGXCPU' }, 'timeout'],
    [{ ...base, exitCode: null, signal: 'SIGKILL', cpuTimeMs: 1000 }, 'timeout'],
    [{ ...base, exitCode: null, signal: 'SIGKILL' }, 'killed'],
    [{ ...base, exitCode: null, signal: 'SIGSEGV' }, 'error'],
    [{ ...base, exitCode: null, signal: 'SIGXFSZ' }, 'output-limit'],
    [{ ...base, stderr: 'Traceback...\nMemoryError\n' }, 'memory'],
    [{ ...base, stderr: 'numpy.core._exceptions._ArrayMemoryError: Unable to allocate 8.00 GiB for an array with shape (1,)' }, 'memory'],
    [{ ...base, stderr: "OSError: [Errno 28] No space left on device: 'x'" }, 'output-limit'],
    [{ ...base, stderr: 'AssertionError: MemoryError was expected\nfoo\nbar\nbaz\n' }, 'error'],
  ])('%j -> %s', (input, expected) => {
    expect(classifyStop(input).stopReason).toBe(expected);
  });

  it('parses the wrapper status (exit status and children CPU time)', () => {
    expect(parseStatus('flowsteer-status 3\n0m0.000000s 0m0.000000s\n0m1.250000s 0m0.500000s\n')).toEqual({ rc: 3, cpuTimeMs: 1750 });
    expect(parseStatus('garbage')).toBeUndefined();
  });
});

describe('semaphore', () => {
  it('never lets more than its capacity in, serves waiters in order, and drops aborted waiters', async () => {
    const sem = new Semaphore(2);
    const a = await sem.acquire();
    const b = await sem.acquire();
    const order: string[] = [];
    const c = sem.acquire().then((r) => (order.push('c'), r));
    const ac = new AbortController();
    const d = sem.acquire(ac.signal);
    const e = sem.acquire().then((r) => (order.push('e'), r));
    expect(sem.waiting).toBe(3);
    ac.abort();
    await expect(d).rejects.toThrow(SandboxAbortedError);
    a();
    b();
    (await c)();
    (await e)();
    expect(order).toEqual(['c', 'e']);
    expect(sem.inUse).toBe(0);
  });
});

describe('tar archive of the request files', () => {
  it('unpacks with the system tar to the same files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tar-test-'));
    try {
      const long = `${'d'.repeat(90)}/${'e'.repeat(60)}/file.txt`;
      const archive = tarArchive([
        { path: 'main.py', content: Buffer.from('print(1)\n') },
        { path: 'a/b/c.txt', content: Buffer.from('é'.repeat(300)) },
        { path: long, content: Buffer.alloc(0) },
      ]);
      execFileSync('tar', ['-x', '-C', dir, '-f', '-'], { input: archive });
      expect(execFileSync('cat', [join(dir, 'main.py')]).toString()).toBe('print(1)\n');
      expect(execFileSync('cat', [join(dir, 'a/b/c.txt')]).toString()).toBe('é'.repeat(300));
      expect(execFileSync('cat', [join(dir, long)]).toString()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SandboxRunner', () => {
  let runner: SandboxRunner;
  beforeAll(async () => {
    runner = await defaultRunner(2);
  });
  afterAll(() => runner.close());

  it('reports the mechanism it chose at start-up', () => {
    expect(['bubblewrap', 'unshare']).toContain(runner.isolation.mechanism);
    expect(runner.isolation.isolated).toBe(true);
    expect(runner.isolation.summary).toMatch(/isolation: (bubblewrap|unshare)\+rlimits/);
    expect(runner.isolation.probes.some((p) => p.ok)).toBe(true);
  });

  it('runs a program with stdin, args, extra files and extra env, and reports exit status and times', async () => {
    const r = await runner.run({
      code: 'import os, sys\ndata = sys.stdin.read()\nprint(data.upper(), sys.argv[1:], open("lib/data.txt").read(), os.environ["GREETING"])\nimport helper\nsys.exit(3)\n',
      stdin: 'hello',
      args: ['a', 'b c'],
      files: { 'lib/data.txt': 'payload', 'helper.py': 'import sys\nprint("helper loaded", file=sys.stderr)\n' },
      env: { GREETING: 'hi' },
    });
    expect(r.stdout).toBe("HELLO ['a', 'b c'] payload hi\n");
    expect(r.stderr).toBe('helper loaded\n');
    expect(r).toMatchObject({ exitCode: 3, signal: null, stopReason: 'error', isolation: runner.isolation.label });
    expect(r.wallTimeMs).toBeGreaterThan(0);
    expect(r.cpuTimeMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a Python exception as an error with its traceback, and a clean run as ok', async () => {
    const bad = await runner.run({ code: 'raise ValueError("nope")' });
    expect(bad).toMatchObject({ stopReason: 'error', exitCode: 1 });
    expect(bad.stderr).toContain('ValueError: nope');
    const ok = await runner.run({ code: 'print(sum(range(10)))' });
    expect(ok).toMatchObject({ stopReason: 'ok', exitCode: 0, stdout: '45\n' });
  });

  it('measures CPU time', async () => {
    const r = await runner.run({ code: 'import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3:\n    pass\n' });
    expect(r.cpuTimeMs).toBeGreaterThanOrEqual(250);
    expect(r.cpuTimeMs).toBeLessThan(2000);
  });

  it('never runs more programs at once than its concurrency limit', async () => {
    const code = 'import time\nprint(time.time())\ntime.sleep(0.3)\nprint(time.time())\n';
    const results = await Promise.all(Array.from({ length: 5 }, () => runner.run({ code })));
    const spans = results.map((r) => r.stdout.trim().split('\n').map(Number) as [number, number]);
    for (const [start] of spans) {
      const overlapping = spans.filter(([s, e]) => s <= start && start < e).length;
      expect(overlapping).toBeLessThanOrEqual(2);
    }
    expect(runner.stats()).toMatchObject({ running: 0, waiting: 0, concurrency: 2 });
  });

  it('kills a running program when its caller aborts, and drops a waiting one', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const pending = runner.run({ code: 'import time\ntime.sleep(30)\n', limits: { wallTimeMs: 30_000 } }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    const r = await pending;
    expect(r).toMatchObject({ stopReason: 'killed', detail: 'cancelled by the caller' });
    expect(Date.now() - started).toBeLessThan(5000);
    const pre = new AbortController();
    pre.abort();
    await expect(runner.run({ code: 'print(1)' }, { signal: pre.signal })).rejects.toThrow(SandboxAbortedError);
  });

  it('refuses bad requests before running anything', async () => {
    await expect(runner.run({ code: 'print(1)', files: { '../escape.py': 'x' } })).rejects.toThrow(SandboxRequestError);
    await expect(runner.run({ code: 'print(1)', args: [1 as unknown as string] })).rejects.toThrow(/args must be a list of strings/);
    await expect(runner.run({ code: 'print(1)', limits: { memoryMb: Number.POSITIVE_INFINITY } })).rejects.toThrow(/finite/);
  });

  it('imports the DS-1000 libraries that the setup installs (numpy, pandas, scipy, sklearn, matplotlib)', async () => {
    const r = await runner.run({
      code: 'import numpy, pandas, scipy, sklearn, matplotlib\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.savefig("p.png")\nprint("ok", numpy.__version__)\n',
      limits: { wallTimeMs: 60_000, memoryMb: 2048 },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok /);
  });
});
