import { launch } from './launch';
import { resolveLimits } from './limits';

// The uid sweep that follows a run without namespaces, made slow: the run must not end before it
// does, or the runner hands the uid to the next run while the sweep still kills whatever that uid runs.
const sweep = { started: 0, ended: 0 };
jest.mock('./procfs', () => ({
  ...jest.requireActual('./procfs'),
  killAllOfUid: jest.fn(async () => {
    sweep.started = performance.now();
    await new Promise((r) => setTimeout(r, 400));
    sweep.ended = performance.now();
    return { killed: 0, zombies: 0 };
  }),
}));

const plan = { file: '/bin/sh', args: ['-c', 'echo done'], cwd: '/tmp', env: { PATH: '/usr/bin:/bin' }, fdContents: [] };
const run = (uid: number | undefined) => ({
  limits: resolveLimits({ wallTimeMs: 10_000 }),
  stdin: '',
  uid,
  signal: new AbortController().signal,
  mechanism: 'rlimits' as const,
  label: 'test',
  inheritedFds: [],
});

describe('launch without namespaces (rlimits)', () => {
  it('ends a run only after the sweep of its uid has finished', async () => {
    const outcome = await launch(plan, run(4_000_000_123));
    const endedAt = performance.now();
    expect(outcome.result.stdout).toBe('done\n');
    expect(sweep.started).toBeGreaterThan(0);
    expect(sweep.ended).toBeGreaterThan(0);
    expect(endedAt).toBeGreaterThanOrEqual(sweep.ended);
  });

  it('does not wait for a sweep when the run has no uid of its own', async () => {
    sweep.started = 0;
    const outcome = await launch(plan, run(undefined));
    expect(outcome.result.stdout).toBe('done\n');
    expect(sweep.started).toBe(0);
  });
});
