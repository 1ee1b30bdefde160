import { join } from 'node:path';
import { createSandbox, type SandboxRunner } from '@flowsteer/sandbox';
import { loadDataset } from '@flowsteer/bench';
import type { BenchTask } from '@flowsteer/contracts';
import { createCodeScorer } from './code-scorer';

jest.setTimeout(120_000);

/** Real items from ../shared/bench through the real sandbox: gold solutions pass, broken ones fail. */
describe('code scorer (held-out tests through the sandbox)', () => {
  let sandbox: SandboxRunner;
  beforeAll(async () => {
    sandbox = await createSandbox({ log: () => undefined });
  });

  const find = (dataset: string, id: string, opts = {}): BenchTask => {
    const task = loadDataset(dataset, opts).tasks.find((t) => t.id === id);
    if (!task) throw new Error(`${dataset}/${id} not found`);
    return task;
  };

  it('passes a correct MBPP answer in a markdown fence and fails a wrong one', async () => {
    const score = createCodeScorer((req) => sandbox.run(req));
    const task = find('mbpp', '11');
    const good =
      '```python\ndef remove_Occ(s, ch):\n    s = s.replace(ch, "", 1)\n    i = s.rfind(ch)\n    return s if i < 0 else s[:i] + s[i + 1:]\n```';
    expect(await score(task, good)).toMatchObject({ primary: 1, metrics: { 'pass@1': 1 } });
    expect(await score(task, 'def remove_Occ(s, ch):\n    return s')).toMatchObject({ primary: 0, metrics: { 'pass@1': 0 } });
  });

  it('scores HumanEval with the problem prompt and check(entry_point)', async () => {
    const score = createCodeScorer((req) => sandbox.run(req));
    const task = find('humaneval', 'HumanEval/0');
    const good =
      'def has_close_elements(numbers, threshold):\n    return any(abs(a - b) < threshold for i, a in enumerate(numbers) for b in numbers[i + 1:])\n';
    expect((await score(task, good)).primary).toBe(1);
    expect((await score(task, 'def has_close_elements(numbers, threshold):\n    return False\n')).primary).toBe(0);
  });

  it('says when there is no code to score', async () => {
    const score = createCodeScorer((req) => sandbox.run(req));
    expect(await score(find('mbpp', '11'), 'I cannot solve this.')).toMatchObject({ primary: 0 });
  });

  it("FlowSteer-compatible pass@1 is the workflow's own Test verdict, next to canonical pass@1", async () => {
    const score = createCodeScorer((req) => sandbox.run(req));
    const task = find('mbpp', '11');
    const wrong = 'def remove_Occ(s, ch):\n    return s';
    // the workflow's Test said pass, the held-out tests say fail: both are reported, canonical stays independent
    expect((await score(task, wrong, true)).metrics).toEqual({ 'pass@1': 0, 'flowsteer_pass@1': 1 });
    expect((await score(task, wrong, false)).metrics['flowsteer_pass@1']).toBe(0);
    expect((await score(task, wrong, null)).metrics['flowsteer_pass@1']).toBe(0); // no Test ran
    // no session (a direct answer): the reference's text check
    expect((await score(task, `${wrong}\n# all tests passed`)).metrics['flowsteer_pass@1']).toBe(1);
  });
});

/** DS-1000 through the sandbox on the project's own fixtures (the real data is not in ../shared/bench). */
describe('code scorer: DS-1000 with its own harness semantics', () => {
  let sandbox: SandboxRunner;
  beforeAll(async () => {
    sandbox = await createSandbox({ log: () => undefined });
  });
  const FIXTURE = join(__dirname, '..', '..', '..', 'libs', 'bench', 'src', 'datasets', 'fixtures', 'ds1000.fixture.jsonl');
  const tasks = loadDataset('ds1000', { file: FIXTURE }).tasks;
  const byLib = (lib: string): BenchTask => {
    const t = tasks.find((x) => x.stratum === lib);
    if (!t) throw new Error(`no ${lib} fixture`);
    return t;
  };

  it('passes every reference solution (test_execution, and test_string where the item has one)', async () => {
    const score = createCodeScorer((req) => sandbox.run(req));
    expect(tasks).toHaveLength(3);
    for (const t of tasks)
      expect({ id: t.id, ...(await score(t, t.answers[0] ?? '')) }).toMatchObject({ id: t.id, primary: 1, metrics: { 'pass@1': 1 } });
  });

  it('fails a wrong result, and a right result that breaks the surface constraint (test_string: no loops)', async () => {
    const score = createCodeScorer((req) => sandbox.run(req));
    const t = byLib('Numpy');
    expect((await score(t, 'result = a.min(axis=1)')).primary).toBe(0);
    const loop = 'result = np.array([max(row) for row in a])';
    const out = await score(t, loop);
    expect(out.primary).toBe(0);
    expect(out.note).toMatch(/AssertionError/);
  });

  it('reads the answer the way test_ds1000.py postprocess does (fences, </code>, END SOLUTION)', async () => {
    const score = createCodeScorer((req) => sandbox.run(req));
    const t = byLib('Pandas');
    const ref = t.answers[0] ?? '';
    expect((await score(t, `\`\`\`python\n${ref}\n\`\`\``)).primary).toBe(1);
    expect((await score(t, `${ref}\n</code>\nEND SOLUTION and some words`)).primary).toBe(1);
    // prose before the fence stays in the program, as it does for the official harness
    expect((await score(t, `Here is the code:\n\`\`\`python\n${ref}\n\`\`\``)).primary).toBe(0);
  });
});
