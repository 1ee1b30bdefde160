/**
 * The probes of issue #12, each as a test that failed on main before the fix: forged exit status,
 * the status channel outside the output limit, a writable /dev and an uncapped /dev/shm under
 * bubblewrap, the shared kernel keyring (and AF_VSOCK), the request's environment reaching the
 * root launcher, descriptors the worker inherited, and the `__main__` reporter of the check harness. Run against every isolating
 * mechanism that works here (the keyring and /dev probes: bubblewrap, where they are contained).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectMemoryCgroup } from './isolation/cgroup';
import { seccompProgram } from './isolation/seccomp';
import { isolationWarnings } from './isolation/warnings';
import { type MechanismName, SandboxRunner } from './runner';
import { scoreHumanEval } from './scorers/humaneval';
import { isolatingRunners, REPO_ROOT } from './test-support/sandboxes';

jest.setTimeout(120_000);

let runners: { mechanism: MechanismName; runner: SandboxRunner }[] = [];
beforeAll(async () => {
  runners = await isolatingRunners(2);
});
afterAll(() => Promise.all(runners.map((r) => r.runner.close())));

const each = (fn: (mechanism: MechanismName, runner: SandboxRunner) => Promise<void>) => async () => {
  expect(runners.length).toBeGreaterThan(0);
  for (const { mechanism, runner } of runners) await fn(mechanism, runner);
};

// The wrapper (pid 1) keeps its status channel (a socket, moved by the shell to fd 10 while the
// program runs). A socket cannot be opened through /proc/1/fd, but pidfd_getfd copies it (same uid).
const GRAB_STATUS_FD = `import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def grab():
    for n in os.listdir('/proc/1/fd'):
        if int(n) <= 2 or not os.readlink('/proc/1/fd/' + n).startswith('socket:'):
            continue
        try:
            return os.open('/proc/1/fd/' + n, os.O_WRONLY)
        except OSError:
            pass
        pidfd = libc.syscall(434, 1, 0)  # pidfd_open(1)
        if pidfd >= 0:
            fd = libc.syscall(438, pidfd, int(n), 0)  # pidfd_getfd
            if fd >= 0:
                return fd
    return None
fd = grab()
print('GOT' if fd is not None else 'no status fd', flush=True)
`;

describe('issue #12 probes', () => {
  it(
    "the exit status is the real one: a status report forged on the wrapper's status fd does not make a killed program exit 0",
    each(async (mechanism, runner) => {
      const code = `${GRAB_STATUS_FD}if fd is not None:\n    os.write(fd, b'flowsteer-status 0\\n0m0.000s 0m0.000s\\n0m0.000s 0m0.000s\\n')\nimport signal\nos.kill(os.getpid(), signal.SIGKILL)\n`;
      const r = await runner.run({ code, limits: { wallTimeMs: 10_000 } });
      expect([mechanism, r.exitCode, r.signal, r.stopReason]).toEqual([mechanism, null, 'SIGKILL', 'killed']);
    }),
  );

  it(
    'the status channel counts against the output limit',
    each(async (mechanism, runner) => {
      const code = `${GRAB_STATUS_FD}if fd is not None:\n    for _ in range(64):\n        os.write(fd, b'x' * 4096)\n`;
      const r = await runner.run({ code, limits: { wallTimeMs: 10_000, maxOutputBytes: 32 * 1024 } });
      // the seccomp filter (bubblewrap's, and the unshare launcher's where the architecture has one)
      // denies pidfd_getfd: the channel cannot be reached at all; where it can, it is counted
      if (r.stdout.startsWith('GOT')) expect([mechanism, r.stopReason]).toEqual([mechanism, 'output-limit']);
      else expect(seccompProgram() !== undefined).toBe(true);
    }),
  );

  it('bubblewrap: /dev is read-only and /dev/shm is capped at diskMb (was: 1 GB written with diskMb=8)', async () => {
    const bw = runners.find((r) => r.mechanism === 'bubblewrap');
    if (!bw) return console.warn('bubblewrap not available: /dev probe not run');
    const code = `import os
total = 0
try:
    for i in range(16):
        with open('/dev/shm/f%d' % i, 'wb') as f:
            f.write(b'x' * (4 << 20))
        total += 4
except OSError as e:
    print('stopped', e.errno)
print('shm MB', total)
try:
    open('/dev/planted', 'w').write('x')
    print('DEV WRITABLE')
except OSError as e:
    print('dev', e.errno)
`;
    const r = await bw.runner.run({ code, limits: { diskMb: 8, wallTimeMs: 20_000 } });
    const mb = Number(/shm MB (\d+)/.exec(r.stdout)?.[1] ?? '999');
    expect(mb).toBeLessThanOrEqual(8);
    expect(r.stdout).not.toContain('DEV WRITABLE');
  });

  it(
    'the kernel keyrings and AF_VSOCK are denied by a seccomp filter (bubblewrap and unshare)',
    each(async (mechanism, runner) => {
      const code = `import ctypes, errno, socket
libc = ctypes.CDLL(None, use_errno=True)
r = libc.syscall(248, b"user", b"flowsteer-probe", b"secret", 6, -3)  # add_key to the session keyring
print('add_key', r, errno.errorcode.get(ctypes.get_errno()))
r = libc.syscall(250, 0, -3, 0)  # keyctl(KEYCTL_GET_KEYRING_ID, session)
print('keyctl', r, errno.errorcode.get(ctypes.get_errno()))
try:
    socket.socket(40, socket.SOCK_STREAM)
    print('VSOCK OPEN')
except OSError as e:
    print('vsock', e.errno)
`;
      const r = await runner.run({ code, limits: { wallTimeMs: 10_000 } });
      expect(`${mechanism}: ${r.stdout}`).toContain('add_key -1 EPERM');
      expect(`${mechanism}: ${r.stdout}`).toContain('keyctl -1 EPERM');
      expect(r.stdout).not.toContain('VSOCK OPEN');
      expect(r.exitCode).toBe(0);
      expect(r.isolation).toContain(mechanism);
    }),
  );

  it('the request environment reaches only the program, never the root launcher (a planted prlimit on PATH)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-planted-'));
    const marker = join(dir, 'RAN');
    writeFileSync(join(dir, 'prlimit'), `#!/bin/sh\ntouch ${marker}\nexit 0\n`);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'prlimit'), 0o755);
    const unsafe = await SandboxRunner.create({ mechanism: 'rlimits', allowUnsafe: true, concurrency: 1, log: () => undefined });
    try {
      for (const runner of [...runners.map((r) => r.runner), unsafe]) {
        const r = await runner.run({
          code: "import os\nprint(os.environ['PATH'], os.environ.get('LD_PRELOAD'))",
          env: { PATH: dir, LD_PRELOAD: join(dir, 'evil.so') },
        });
        expect([runner.isolation.mechanism, existsSync(marker)]).toEqual([runner.isolation.mechanism, false]);
        expect(r.stdout).toContain(dir); // the program does get its environment
      }
    } finally {
      await unsafe.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('descriptors the worker inherited (without close-on-exec) do not reach the sandbox', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-fd-'));
    const secret = `inherited-secret-${process.pid}`;
    writeFileSync(join(dir, 'secret'), secret);
    try {
      const out = execFileSync(
        'bash',
        ['-c', 'exec 250<"$1"; exec node --import tsx "$2"', 'bash', join(dir, 'secret'), join(__dirname, 'test-support/fd-probe.ts')],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
          timeout: 90_000,
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' },
        },
      );
      expect(out).toMatch(/probe ran under/);
      expect(out).not.toContain(secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with memoryCgroup, memory is limited per run across its processes where the machine has a writable memory cgroup (was: 4 x 180 MB with memoryMb=256)', async () => {
    const code = `import os, time
pids = []
for i in range(4):
    pid = os.fork()
    if pid == 0:
        block = 'x' * (180 << 20)
        time.sleep(1.5)
        os._exit(0)
    pids.append(pid)
alive = sum(1 for p in pids if os.waitpid(p, 0)[1] == 0)
print('children that kept 180 MB:', alive)
`;
    if (!detectMemoryCgroup()) return console.warn('no writable memory cgroup here: only RLIMIT_AS per process applies');
    const withCgroup = await Promise.all(
      runners.map(async ({ mechanism }) => ({
        mechanism,
        runner: await SandboxRunner.create({ mechanism, memoryCgroup: true, concurrency: 1, log: () => undefined }),
      })),
    );
    for (const { mechanism, runner } of withCgroup) {
      const r = await runner.run({ code, limits: { memoryMb: 256, maxProcesses: 16, wallTimeMs: 30_000 } });
      const alive = Number(/kept 180 MB: (\d+)/.exec(r.stdout)?.[1] ?? '0');
      expect([mechanism, alive <= 1]).toEqual([mechanism, true]);
      await runner.close();
    }
  });

  it('a HumanEval completion cannot report "passed" through the harness in __main__', async () => {
    const { runner } = runners[0] as { runner: SandboxRunner };
    const item = {
      task_id: 'HumanEval/53',
      prompt: 'def add(x: int, y: int):\n    """Add two numbers"""\n',
      entry_point: 'add',
      test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n',
    };
    const r = await scoreHumanEval(
      runner.runCode,
      item,
      '    import __main__\n    __main__._report({"status": "passed"})\n    __main__._exit(0)\n',
    );
    expect(r.passed).toBe(false);
  });

  it('a sandbox weaker than bubblewrap is announced, naming what is weaker', () => {
    expect(isolationWarnings({ mechanism: 'bubblewrap', dropsPrivileges: true }, 'x64')).toEqual([]);
    expect(isolationWarnings({ mechanism: 'unshare', dropsPrivileges: true }, 'x64').join('\n')).toMatch(/using unshare/);
    expect(isolationWarnings({ mechanism: 'unshare', dropsPrivileges: true }, 'x64').join('\n')).not.toMatch(/no seccomp/);
    expect(isolationWarnings({ mechanism: 'unshare', dropsPrivileges: true }, 'riscv64').join('\n')).toMatch(/no seccomp filter.*keyrings/);
    expect(isolationWarnings({ mechanism: 'rlimits', dropsPrivileges: true }).join('\n')).toMatch(/UNSAFE/);
    expect(isolationWarnings({ mechanism: 'none', dropsPrivileges: false }).join('\n')).toMatch(/NO SANDBOX/);
  });
});
