/**
 * The reward-hacking red-team corpus (corpus.ts) through the code scorers, on every isolating
 * mechanism this machine has: each attack must score 0 (failed). Attacks are counted once, not
 * once per mechanism. Needs ../shared/bench (FLOWSTEER_BENCH_DIR).
 */
import type { SandboxRunner } from '../runner';
import { scoreApps } from '../scorers/apps';
import { scoreHumanEval } from '../scorers/humaneval';
import { scoreMbpp } from '../scorers/mbpp';
import { appsItems, humanEvalItems, mbppItems } from '../test-support/bench-data';
import { HAVE_BENCH, isolatingRunners } from '../test-support/sandboxes';
import { type Attack, ATTACKS } from './corpus';

const withBench = HAVE_BENCH ? describe : describe.skip;
jest.setTimeout(900_000);

async function score(runner: SandboxRunner, a: Attack): Promise<{ passed: boolean; why: string }> {
  if (a.dataset === 'humaneval') {
    const item = humanEvalItems().find((i) => i.task_id === a.item);
    if (!item) throw new Error(`no HumanEval item ${a.item}`);
    const r = await scoreHumanEval(runner.runCode, item, a.code, { timeoutSec: 2 });
    return { passed: r.passed, why: `${r.status} ${r.error ?? ''}` };
  }
  if (a.dataset === 'mbpp') {
    const item = mbppItems().find((i) => String(i.task_id) === a.item);
    if (!item) throw new Error(`no MBPP item ${a.item}`);
    const r = await scoreMbpp(runner.runCode, item, a.code, { timeoutSec: 2 });
    return { passed: r.passed, why: `${r.status} ${r.error ?? ''}` };
  }
  const item = appsItems().find((i) => i.name === a.item);
  if (!item) throw new Error(`no APPS item ${a.item}`);
  const r = await scoreApps(runner.runCode, item, a.code, { maxTests: 3, perTestTimeoutSec: 2 });
  return { passed: r.strict || r.passRate > 0, why: JSON.stringify(r.results) };
}

withBench('red-team corpus', () => {
  it('has at least 40 attacks across the loophole families, each on a real item', () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ATTACKS.map((a) => a.id)).size).toBe(ATTACKS.length);
    const families = new Set(ATTACKS.map((a) => a.family));
    for (const f of [
      'harness reporter',
      'monkeypatch runner',
      'early exit',
      'always-equal',
      'success marker',
      'sentinel attribute',
      'result file',
      'atexit',
      'thread',
      'fork',
      'signal',
      'forged exit status',
    ]) {
      expect(families).toContain(f);
    }
  });

  it('every attack scores 0 through every isolating mechanism of this machine', async () => {
    const runners = await isolatingRunners(2);
    expect(runners.length).toBeGreaterThan(0);
    const passed: string[] = [];
    try {
      for (const { mechanism, runner } of runners) {
        const outcomes = await Promise.all(ATTACKS.map(async (a) => ({ a, ...(await score(runner, a)) })));
        for (const o of outcomes)
          if (o.passed) passed.push(`${o.a.id} (${o.a.family}, ${o.a.dataset} ${o.a.item}) passed under ${mechanism}: ${o.why}`);
      }
    } finally {
      await Promise.all(runners.map((r) => r.runner.close()));
    }
    const broken = new Set(passed.map((p) => p.split(' ')[0]));
    console.log(
      `red-team corpus: ${ATTACKS.length} attacks, each through ${runners.map((r) => r.mechanism).join(' and ')}; ${ATTACKS.length - broken.size} scored 0 everywhere`,
    );
    expect(passed).toEqual([]);
  });
});
