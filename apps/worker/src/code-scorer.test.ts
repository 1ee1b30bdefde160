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
    const good = '```python\ndef remove_Occ(s, ch):\n    s = s.replace(ch, "", 1)\n    i = s.rfind(ch)\n    return s if i < 0 else s[:i] + s[i + 1:]\n```';
    expect(await score(task, good)).toMatchObject({ primary: 1, metrics: { 'pass@1': 1 } });
    expect(await score(task, 'def remove_Occ(s, ch):\n    return s')).toMatchObject({ primary: 0, metrics: { 'pass@1': 0 } });
  });

  it('scores HumanEval with the problem prompt and check(entry_point)', async () => {
    const score = createCodeScorer((req) => sandbox.run(req));
    const task = find('humaneval', 'HumanEval/0');
    const good = 'def has_close_elements(numbers, threshold):\n    return any(abs(a - b) < threshold for i, a in enumerate(numbers) for b in numbers[i + 1:])\n';
    expect((await score(task, good)).primary).toBe(1);
    expect((await score(task, 'def has_close_elements(numbers, threshold):\n    return False\n')).primary).toBe(0);
  });

  it('says when there is no code to score', async () => {
    const score = createCodeScorer((req) => sandbox.run(req));
    expect(await score(find('mbpp', '11'), 'I cannot solve this.')).toMatchObject({ primary: 0 });
  });
});
