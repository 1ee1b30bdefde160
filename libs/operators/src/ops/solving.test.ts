import { runScripted } from '../test-support/scripted-chat';

describe('Custom', () => {
  it('returns the result tag and injects the director prompt and the previous result', async () => {
    const { outcome, chat } = await runScripted(['thinking… <result>42</result>'], {
      operator: 'Custom',
      prompt: 'Multiply carefully and double-check the product.',
      inputs: 'Earlier step: 6 and 7 are the factors.',
    });
    expect(outcome.text).toBe('42');
    expect(outcome.output).toEqual({ response: '42' });
    expect(outcome.notes).toEqual([]);
    const sent = chat.userText(0);
    expect(sent).toContain('The workflow director asks for this step: Multiply carefully and double-check the product.');
    expect(sent).toContain('## Previous result\nEarlier step: 6 and 7 are the factors.');
    expect(sent.indexOf('Guidance')).toBeLessThan(sent.indexOf('## Problem'));
  });

  it('passes the whole answer on, with a note, when the tag is missing', async () => {
    const { outcome } = await runScripted(['The product is 42.'], { operator: 'Custom' });
    expect(outcome.text).toBe('The product is 42.');
    expect(outcome.notes[0]).toMatch(/result tag missing/);
  });

  it('drops reasoning blocks before parsing', async () => {
    const { outcome } = await runScripted(['<think>maybe <result>41</result></think><result>42</result>'], { operator: 'Custom' });
    expect(outcome.text).toBe('42');
  });

  it('sees a parallel block as one joined text', async () => {
    const { chat } = await runScripted(['<result>ok</result>'], { operator: 'Custom', inputs: ['first branch', 'second branch'] });
    expect(chat.userText(0)).toContain('first branch\n---\nsecond branch');
  });
});

describe('AnswerGenerate', () => {
  it('splits thought and answer', async () => {
    const { outcome } = await runScripted(['<thought>6 times 7</thought>\n<answer>42</answer>'], { operator: 'AnswerGenerate' });
    expect(outcome.output).toEqual({ thought: '6 times 7', answer: '42' });
    expect(outcome.text).toBe('42');
  });

  it('falls back to an "Answer:" line, then to the last line', async () => {
    const labelled = await runScripted(['I multiply.\nAnswer: 42'], { operator: 'AnswerGenerate' });
    expect(labelled.outcome.text).toBe('42');
    const bare = await runScripted(['<thought>6 times 7 is</thought>\n42'], { operator: 'AnswerGenerate' });
    expect(bare.outcome.text).toBe('42');
    expect(bare.outcome.notes[0]).toMatch(/answer tag missing/);
  });

  it('uses the director prompt and the short-answer rule for QA (the reference ignored both)', async () => {
    const { chat } = await runScripted(['<answer>Paris</answer>'], {
      operator: 'AnswerGenerate',
      taskType: 'qa',
      problem: 'Capital of France?',
      inputs: 'Capital of France?',
      prompt: 'Name the city only.',
    });
    expect(chat.userText(0)).toContain('Name the city only.');
    expect(chat.userText(0)).toMatch(/short span/);
    expect(chat.userText(0)).not.toContain('## Work so far');
  });
});
