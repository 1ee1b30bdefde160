import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore } from '@flowsteer/artifacts';
import type { BenchTask } from '@flowsteer/contracts';
import { createSandbox, type SandboxRunner } from '@flowsteer/sandbox';
import { createSessionActivities } from './session-activities';

jest.setTimeout(120_000);

const task = (dataset: string, answers: string[], taskType: BenchTask['taskType'] = 'math', meta?: BenchTask['meta']): BenchTask => ({
  dataset,
  id: '1',
  taskType,
  problem: 'p',
  answers,
  ...(meta ? { meta } : {}),
});

/** The scoring activity as sessions and the direct baseline call it: every metric family, flattened. */
describe('scoreSession', () => {
  let sandbox: SandboxRunner;
  const store = new ArtifactStore(mkdtempSync(join(tmpdir(), 'flowsteer-score-')));
  beforeAll(async () => {
    sandbox = await createSandbox({ log: () => undefined });
  });

  it('reads a bare final answer as the official answer line, quirks intact', async () => {
    const { scoreSession } = createSessionActivities({ store });
    const gsm = task('gsm8k', ['480']);
    expect((await scoreSession({ task: gsm, answer: '480' })).metrics).toEqual({ accuracy: 1, lenient_accuracy: 1, flowsteer_accuracy: 1 });
    expect((await scoreSession({ task: gsm, answer: '$480' })).metrics).toEqual({
      accuracy: 0,
      lenient_accuracy: 1,
      flowsteer_accuracy: 1,
    });
    expect((await scoreSession({ task: gsm, answer: 'Janet earns 480 dollars.' })).metrics).toMatchObject({
      accuracy: 0,
      lenient_accuracy: 1,
    });
    expect((await scoreSession({ task: gsm, answer: 'so\n#### 480' })).primary).toBe(1);
  });

  it('adds the symbolic family through the sandbox (MATH, AIME, MathQA) and says when it cannot', async () => {
    const withCas = createSessionActivities({ store, runCode: (req) => sandbox.run(req) });
    const math = task('math', ['\\frac{1}{2}']);
    const r = await withCas.scoreSession({ task: math, answer: '\\frac{2}{4}' });
    expect(r.metrics).toEqual({ accuracy: 0, lenient_accuracy: 1, symbolic_accuracy: 1, flowsteer_accuracy: 1 });
    expect(r.primary).toBe(0); // the headline stays canonical
    const interval = await withCas.scoreSession({ task: task('math', ['(-\\infty, 3]']), answer: '\\boxed{\\left(-\\infty,3\\right]}' });
    expect(interval.metrics.symbolic_accuracy).toBe(1);
    expect((await withCas.scoreSession({ task: task('aime2025', ['70']), answer: '\\boxed{\\frac{140}{2}}' })).metrics).toMatchObject({
      accuracy: 0,
      symbolic_accuracy: 1,
    });
    const mathqa = task('mathqa', ['b'], 'multiple-choice', { option_a: '38', option_b: '0.5' });
    expect((await withCas.scoreSession({ task: mathqa, answer: '\\frac{1}{2}' })).metrics).toMatchObject({
      accuracy: 0,
      symbolic_accuracy: 1,
    });
    const without = createSessionActivities({ store });
    const plain = await without.scoreSession({ task: math, answer: '\\frac{2}{4}' });
    expect(plain.metrics.symbolic_accuracy).toBeUndefined();
    expect(plain.note).toMatch(/symbolic metric not computed/);
  });

  it('QA metrics keep their canonical names next to the FlowSteer-compatible ones', async () => {
    const { scoreSession } = createSessionActivities({ store });
    const r = await scoreSession({ task: task('hotpotqa', ['Eiffel Tower'], 'qa'), answer: 'the Eiffel Tower' });
    expect(r).toMatchObject({ primary: 1, metrics: { em: 1, f1: 1, flowsteer_em: 1, flowsteer_f1: 1, flowsteer_correct: 1 } });
  });
});
