import { runScripted } from '../test-support/scripted-chat';

describe('Plan', () => {
  it('reads approach, insights and numbered steps', async () => {
    const { outcome, chat } = await runScripted(
      ['<approach>Multiply.</approach><insights>6*7 is a times-table fact</insights><steps>\n1. Take 6\n2. Multiply by 7\n</steps>'],
      { operator: 'Plan', prompt: 'Keep the plan to two steps.' },
    );
    expect(outcome.output).toMatchObject({
      approach: 'Multiply.',
      key_insights: '6*7 is a times-table fact',
      steps_list: ['Take 6', 'Multiply by 7'],
    });
    expect(outcome.text).toContain('Steps:\n1. Take 6\n2. Multiply by 7');
    expect(chat.userText(0)).toContain('Keep the plan to two steps.');
  });

  it('plans for the original problem even in a later position', async () => {
    const { chat } = await runScripted(['<steps>1. x</steps>'], { operator: 'Plan', inputs: 'some earlier output' });
    expect(chat.userText(0)).toContain('## Problem\nWhat is 6 * 7?');
    expect(chat.userText(0)).toContain('Earlier work (context only)');
  });

  it('reads numbered lines without tags, and passes junk on verbatim', async () => {
    const numbered = await runScripted(['Here is my plan:\n1. Read\n2. Compute'], { operator: 'Plan' });
    expect(numbered.outcome.output).toMatchObject({ steps_list: ['Read', 'Compute'] });
    expect(numbered.outcome.notes[0]).toMatch(/steps tag missing/);
    const junk = await runScripted(['just multiply them'], { operator: 'Plan' });
    expect(junk.outcome.text).toBe('just multiply them');
    expect(junk.outcome.notes).toContainEqual(expect.stringMatching(/no plan structure/));
  });
});

describe('Decompose', () => {
  it('lists 2–5 sub-questions', async () => {
    const { outcome } = await runScripted(['<reasoning>two facts</reasoning><parts>1. What is 6?\n2. What is 7?</parts>'], {
      operator: 'Decompose',
    });
    expect(outcome.output).toEqual({
      sub_problems: '1. What is 6?\n2. What is 7?',
      reasoning: 'two facts',
      sub_problems_list: ['What is 6?', 'What is 7?'],
    });
    expect(outcome.text).toBe('1. What is 6?\n2. What is 7?');
  });

  it('caps at five and keeps the problem whole when nothing is listed', async () => {
    const many = await runScripted([`<parts>${[1, 2, 3, 4, 5, 6, 7].map((i) => `${i}. q${i}`).join('\n')}</parts>`], {
      operator: 'Decompose',
    });
    expect(many.outcome.output).toMatchObject({ sub_problems_list: ['q1', 'q2', 'q3', 'q4', 'q5'] });
    const none = await runScripted([''], { operator: 'Decompose' });
    expect(none.outcome.output).toMatchObject({ sub_problems_list: ['What is 6 * 7?'] });
    expect(none.outcome.notes).toContainEqual(expect.stringMatching(/problem stays whole/));
  });
});
