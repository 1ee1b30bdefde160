import { runScripted } from '../test-support/scripted-chat';
import { shouldOverwrite } from './verify-decision';

describe('Review', () => {
  it('passes the solution through and reports a failing verdict with feedback', async () => {
    const { outcome, chat } = await runScripted(['<verdict>fail</verdict><feedback>6*7 is 42, not 48</feedback>'], {
      operator: 'Review',
      inputs: 'The answer is 48',
      prompt: 'Check the arithmetic only.',
    });
    expect(outcome.text).toBe('The answer is 48');
    expect(outcome.passed).toBe(false);
    expect(outcome.feedback).toBe('6*7 is 42, not 48');
    expect(outcome.output).toEqual({ output: 'The answer is 48', review_result: false, feedback: '6*7 is 42, not 48' });
    expect(chat.userText(0)).toContain('Check the arithmetic only.');
  });

  it('reads a verdict from untagged text and lets unreadable junk pass with a note', async () => {
    const untagged = await runScripted(['FAIL. The product is wrong.'], { operator: 'Review', inputs: '48' });
    expect(untagged.outcome.passed).toBe(false);
    const junk = await runScripted(['¯\\_(ツ)_/¯'], { operator: 'Review', inputs: '42' });
    expect(junk.outcome.passed).toBe(true);
    expect(junk.outcome.notes).toEqual(['verdict unreadable: treated as pass']);
  });
});

describe('Verify', () => {
  it('keeps the original answer when it is judged correct', async () => {
    const { outcome } = await runScripted(
      ['<work>6*7=42</work><my_answer>42</my_answer><verdict>correct</verdict><confidence>high</confidence>'],
      { operator: 'Verify', inputs: '42' },
    );
    expect(outcome.passed).toBe(true);
    expect(outcome.text).toBe('42');
    expect(outcome.output).toMatchObject({
      is_correct: true,
      confidence: 'high',
      suggested_answer: '42',
      answer_overwritten: false,
      verification_steps: '6*7=42',
    });
  });

  it('keeps a plain wrong number (verifiers err) but reports the failure and its own answer', async () => {
    const { outcome } = await runScripted(
      ['<work>6*7=42</work><my_answer>42</my_answer><verdict>incorrect</verdict><confidence>high</confidence>'],
      { operator: 'Verify', inputs: '48' },
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.text).toBe('48');
    expect(outcome.feedback).toMatch(/incorrect; its own answer: 42/);
  });

  it('replaces an empty or error answer with its own', async () => {
    const { outcome } = await runScripted(['<my_answer>42</my_answer><verdict>incorrect</verdict><confidence>low</confidence>'], {
      operator: 'Verify',
      inputs: 'Programmer failed: exit code 1',
    });
    expect(outcome.text).toBe('42');
    expect(outcome.output).toMatchObject({ answer_overwritten: true, original_answer: 'Programmer failed: exit code 1' });
  });

  it('treats an unreadable verdict as correct with low confidence', async () => {
    const { outcome } = await runScripted(['no idea'], { operator: 'Verify', inputs: '42' });
    expect(outcome.passed).toBe(true);
    expect(outcome.output).toMatchObject({ confidence: 'low', answer_overwritten: false });
    expect(outcome.notes).toHaveLength(2);
  });

  it.each([
    [{ original: 'So the total is 12 apples', suggested: '12', isCorrect: false, confidence: 'high' as const }, true],
    [{ original: '-12', suggested: '12', isCorrect: false, confidence: 'high' as const }, true],
    [{ original: '-12', suggested: '12', isCorrect: false, confidence: 'medium' as const }, false],
    [{ original: '13', suggested: '12', isCorrect: false, confidence: 'high' as const }, false],
    [{ original: '', suggested: '', isCorrect: false, confidence: 'high' as const }, false],
  ])('override rule %#', (judgement, expected) => expect(shouldOverwrite(judgement)).toBe(expected));
});

describe('Revise', () => {
  it('rewrites using the checker feedback', async () => {
    const { outcome, chat } = await runScripted(['<revised>6*7 = 42</revised>'], {
      operator: 'Revise',
      inputs: '6*7 = 48',
      feedback: 'The product is wrong.',
    });
    expect(outcome.text).toBe('6*7 = 42');
    expect(outcome.output).toEqual({ solution: '6*7 = 42', feedback: 'The product is wrong.' });
    expect(chat.userText(0)).toContain('## Feedback\nThe product is wrong.');
  });

  it('asks for a self-check without feedback, takes untagged replies, extracts code for code tasks', async () => {
    const untagged = await runScripted(['Corrected: 42'], { operator: 'Revise', inputs: '48' });
    expect(untagged.outcome.text).toBe('Corrected: 42');
    expect(untagged.chat.userText(0)).toMatch(/No checker feedback/);
    const code = await runScripted(['<revised>```python\ndef f(x):\n    return x + 1\n```</revised>'], {
      operator: 'Revise',
      taskType: 'code',
      entryPoint: 'f',
      inputs: 'def f(x):\n    return x',
    });
    expect(code.outcome.text).toBe('def f(x):\n    return x + 1');
  });

  it('keeps the current solution when the revision is empty', async () => {
    const { outcome } = await runScripted(['<revised></revised>'], { operator: 'Revise', inputs: '42' });
    expect(outcome.text).toBe('42');
  });
});
