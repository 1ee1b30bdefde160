import { runScripted } from '../test-support/scripted-chat';
import { tidyAnswer } from './format';

describe('ScEnsemble', () => {
  it('returns the chosen candidate verbatim and shows every candidate lettered', async () => {
    const { outcome, chat } = await runScripted(['<reason>B and C agree</reason><choice>B</choice>'], {
      operator: 'ScEnsemble',
      inputs: ['so it is 48', 'so it is 42', 'I get 42'],
      prompt: 'Prefer the answer with a full derivation.',
    });
    expect(outcome.text).toBe('so it is 42');
    expect(outcome.output).toEqual({ response: 'so it is 42', chosen_index: 1, reason: 'B and C agree', used_llm: true });
    expect(chat.userText(0)).toMatch(/### Candidate A\nso it is 48[\s\S]*### Candidate C\nI get 42/);
    expect(chat.userText(0)).toContain('Prefer the answer with a full derivation.');
  });

  it('needs no LLM call when all candidates agree', async () => {
    const { outcome, chat } = await runScripted([], { operator: 'ScEnsemble', inputs: ['42', ' 42. '] });
    expect(chat.calls).toBe(0);
    expect(outcome.text).toBe('42');
    expect(outcome.ledger).toEqual([]);
  });

  it('falls back to the majority, then to the first candidate, when the choice is junk', async () => {
    const majority = await runScripted(['I like them all'], { operator: 'ScEnsemble', inputs: ['48', '42', '42'] });
    expect(majority.outcome.text).toBe('42');
    expect(majority.outcome.notes[0]).toMatch(/by majority/);
    const first = await runScripted(['<choice>Z</choice>'], { operator: 'ScEnsemble', inputs: ['48', '42'] });
    expect(first.outcome.text).toBe('48');
    expect(first.outcome.notes[0]).toMatch(/by position/);
  });

  it('fails clearly on an empty list', async () => {
    await expect(runScripted([], { operator: 'ScEnsemble', inputs: [] })).rejects.toThrow(/no candidate solutions/);
  });
});

describe('Aggregate', () => {
  it('takes the numeric plurality without an LLM call', async () => {
    const { outcome, chat } = await runScripted([], { operator: 'Aggregate', inputs: ['so 42', 'it is 42.0', 'maybe 48'] });
    expect(chat.calls).toBe(0);
    expect(outcome.text).toBe('42');
    expect(outcome.output).toMatchObject({ used_llm: false, selection_reason: '2 of 3 candidates give 42' });
  });

  it('asks the LLM when candidates disagree, injecting the director prompt', async () => {
    const { outcome, chat } = await runScripted(['<reason>A is derived</reason><answer>Paris</answer>'], {
      operator: 'Aggregate',
      inputs: ['Paris', 'Lyon'],
      prompt: 'Trust the candidate that cites a source.',
    });
    expect(outcome.text).toBe('Paris');
    expect(outcome.output).toEqual({ aggregated_answer: 'Paris', selection_reason: 'A is derived', used_llm: true });
    expect(chat.userText(0)).toContain('Trust the candidate that cites a source.');
  });

  it('falls back to the last line on a malformed reply, and accepts a single string', async () => {
    const malformed = await runScripted(['<reason>hmm</reason>\nParis'], { operator: 'Aggregate', inputs: ['Paris', 'Lyon'] });
    expect(malformed.outcome.text).toBe('Paris');
    const single = await runScripted([], { operator: 'Aggregate', inputs: 'Paris' });
    expect(single.outcome.text).toBe('Paris');
  });
});

describe('Format', () => {
  it('extracts and tidies the final value', async () => {
    const { outcome, chat } = await runScripted(['<final>The answer is $x = 42.0$.</final>'], {
      operator: 'Format',
      inputs: 'After long work, x = 42.',
      prompt: 'Integer only.',
    });
    expect(outcome.text).toBe('42');
    expect(chat.userText(0)).toContain('Integer only.');
  });

  it('uses the last line without the tag and needs no LLM for code', async () => {
    const untagged = await runScripted(['Sure!\n\\boxed{\\frac{1}{2}}'], { operator: 'Format', inputs: 'half' });
    expect(untagged.outcome.text).toBe('\\frac{1}{2}');
    const code = await runScripted([], { operator: 'Format', taskType: 'code', inputs: 'Here:\n```python\ndef f():\n    return 1\n```' });
    expect(code.outcome.text).toBe('def f():\n    return 1');
    expect(code.chat.calls).toBe(0);
  });

  it.each([
    ['Final answer: 12.', '12'],
    ['y = -3', '-3'],
    ['1,000.00', '1000'],
    ['Paris', 'Paris'],
  ])('tidyAnswer(%s) = %s', (raw, expected) => expect(tidyAnswer(raw)).toBe(expected));
});
