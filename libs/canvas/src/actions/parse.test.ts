import fc from 'fast-check';
import { action as actionArb } from '../test-support/arbitraries';
import { formatAction, parseAction, parsePromptReply, cleanDirectorText, type Action } from './index';

const ok = (text: string) => {
  const r = parseAction(text);
  if (!r.ok) throw new Error(`expected an action, got ${r.error.code}: ${r.error.message}`);
  return r;
};
const err = (text: unknown) => {
  const r = parseAction(text);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.action)}`);
  return r.error;
};

describe('parseAction: the tag grammar', () => {
  it.each<[string, Action]>([
    ['<action>add</action><operator>Plan</operator>', { type: 'add', operator: 'Plan' }],
    ['<action>add</action><operator>Custom</operator><position>2</position>', { type: 'add', operator: 'Custom', position: 2 }],
    [
      '<action>add</action><structure>parallel</structure><operators>Programmer, Custom;AnswerGenerate</operators>',
      { type: 'add_parallel', operators: ['Programmer', 'Custom', 'AnswerGenerate'] },
    ],
    [
      '<action>add</action><structure>parallel</structure><operators>[Programmer Custom]</operators>',
      { type: 'add_parallel', operators: ['Programmer', 'Custom'] },
    ],
    [
      '<action>add</action><structure>conditional</structure><condition>Review</condition><true>Revise</true><false>done</false>',
      { type: 'add_conditional', condition: 'Review', fix: 'Revise', otherwise: null },
    ],
    [
      '<action>add</action><structure>conditional</structure><condition>Test</condition><true>Programmer</true>',
      { type: 'add_conditional', condition: 'Test', fix: 'Programmer', otherwise: null },
    ],
    [
      '<action>add</action><structure>conditional</structure><condition>Verify</condition><true>Revise</true><false>Format</false>',
      { type: 'add_conditional', condition: 'Verify', fix: 'Revise', otherwise: 'Format' },
    ],
    [
      '<action>add</action><structure>loop</structure><operators>Revise, Review</operators><count>2</count>',
      { type: 'add_loop', operators: ['Revise', 'Review'], count: 2 },
    ],
    ['<action>add</action><structure>loop</structure><operators>Revise</operators>', { type: 'add_loop', operators: ['Revise'], count: 3 }],
    ['<action>delete</action><target>node_3</target>', { type: 'delete', target: 'node_3' }],
    [
      '<action>modify</action><target>node_2_p1</target><operator>AnswerGenerate</operator>',
      { type: 'modify', target: 'node_2_p1', operator: 'AnswerGenerate' },
    ],
    [
      '<action>set_prompt</action><target>node_1</target><prompt>Plan in three steps.</prompt>',
      { type: 'set_prompt', target: 'node_1', prompt: 'Plan in three steps.' },
    ],
    ['<action>finish</action>', { type: 'finish' }],
    ['<action>finish</action><answer>72</answer>', { type: 'finish', answer: '72' }],
  ])('%s', (text, expected) => {
    expect(ok(text).action).toEqual(expected);
  });

  it('accepts upper/mixed-case tags and values, whitespace and the bracket form', () => {
    expect(ok('<ACTION> Add </ACTION>\n<Operator> Plan </Operator>').action).toEqual({ type: 'add', operator: 'Plan' });
    expect(ok('[action]add[/action][operator]Review[/operator]').action).toEqual({ type: 'add', operator: 'Review' });
    expect(ok('[ACTION]delete[/ACTION][target]node_2[/target]').action).toEqual({ type: 'delete', target: 'node_2' });
    expect(ok('<action >finish</action >').action).toEqual({ type: 'finish' });
    expect(ok('<action>set-prompt</action><target>node_1</target><prompt>Be brief.</prompt>').action.type).toBe('set_prompt');
  });

  it('keeps operator names as written (the canvas checks case)', () => {
    expect(ok('<action>add</action><operator>custom</operator>').action).toEqual({ type: 'add', operator: 'custom' });
  });

  it('reads structures written as the action itself', () => {
    expect(ok('<action>parallel</action><operators>Custom, Programmer</operators>').action).toEqual({
      type: 'add_parallel',
      operators: ['Custom', 'Programmer'],
    });
  });

  it('reads the first action only, with only its own arguments', () => {
    const r = ok('<action>add</action><operator>Plan</operator><action>delete</action><target>node_1</target>');
    expect(r.action).toEqual({ type: 'add', operator: 'Plan' });
    expect(r.notes.join()).toMatch(/first action/);
    const r2 = ok('<action>delete</action><target>node_1</target>\n<action>add</action><operator>Plan</operator>');
    expect(r2.action).toEqual({ type: 'delete', target: 'node_1' });
  });

  it('strips thinking: complete, unterminated, leading close and think_only; reasoning; code fences', () => {
    expect(ok('<think>I could add <action>delete</action></think><action>add</action><operator>Plan</operator>').action).toEqual({
      type: 'add',
      operator: 'Plan',
    });
    expect(ok('the model thought here </think>\n<action>add</action><operator>Verify</operator>').action).toEqual({
      type: 'add',
      operator: 'Verify',
    });
    expect(ok('<reasoning>maybe <action>finish</action></reasoning><action>add</action><operator>Format</operator>').action).toEqual({
      type: 'add',
      operator: 'Format',
    });
    expect(ok('```xml\n<action>add</action><operator>Test</operator>\n```').action).toEqual({ type: 'add', operator: 'Test' });
    expect(err('<think>I will add a Programmer <action>add').code).toBe('think_only');
    expect(err('<think_only>add Programmer</think_only>').code).toBe('think_only');
    expect(err('<think>a</think>   ').code).toBe('think_only');
    const cleaned = cleanDirectorText('<thought>x</thought>y');
    expect(cleaned).toMatchObject({ text: 'y', reasoning: 'x' });
  });

  it('reads JSON actions (JSON-schema decoding)', () => {
    expect(ok('{"action":"add","operator":"Plan"}').action).toEqual({ type: 'add', operator: 'Plan' });
    expect(ok('{"action":"add","structure":"parallel","operators":["Programmer","Custom"]}').action).toEqual({
      type: 'add_parallel',
      operators: ['Programmer', 'Custom'],
    });
    expect(ok('{"action":"add","structure":"loop","operators":["Revise"],"count":2}').action).toEqual({
      type: 'add_loop',
      operators: ['Revise'],
      count: 2,
    });
    expect(ok('{"action":"add","structure":"conditional","condition":"Review","true":"Revise","false":null}').action).toEqual({
      type: 'add_conditional',
      condition: 'Review',
      fix: 'Revise',
      otherwise: null,
    });
    expect(err('{"action":"delete"}').code).toBe('missing_argument');
  });

  it('notes clamped loop counts and ignored positions', () => {
    const r = ok('<action>add</action><structure>loop</structure><operators>Revise</operators><count>50</count>');
    expect(r.action).toEqual({ type: 'add_loop', operators: ['Revise'], count: 10 });
    expect(r.notes.join()).toMatch(/clamped/);
    const p = ok('<action>add</action><operator>Plan</operator><position>first</position>');
    expect(p.action).toEqual({ type: 'add', operator: 'Plan' });
    expect(p.notes.join()).toMatch(/position/);
    expect(ok('<action>delete</action><target>3</target>').action).toEqual({ type: 'delete', target: 'node_3' });
  });
});

describe('parseAction: fallback without an action tag', () => {
  it('reads finish phrases and exactly one operator name', () => {
    expect(ok("I think the workflow is complete, let's finish.").action).toEqual({ type: 'finish' });
    const r = ok('I would add a programmer here.');
    expect(r.action).toEqual({ type: 'add', operator: 'Programmer' });
    expect(r.source).toBe('fallback');
  });
  it('refuses several names and text without any', () => {
    expect(err('Use Programmer then Verify').code).toBe('ambiguous_fallback');
    expect(err('hello world').code).toBe('no_action');
    expect(parseAction('add Programmer', { strict: true })).toMatchObject({ ok: false, error: { code: 'no_action' } });
  });
  it('recognises plug-in names when told', () => {
    expect(parseAction('use translate now', { operators: ['Translate'] })).toMatchObject({
      ok: true,
      action: { type: 'add', operator: 'Translate' },
    });
  });
});

describe('parseAction: precise errors', () => {
  it.each<[unknown, string]>([
    ['', 'empty'],
    ['   \n\t', 'empty'],
    [null, 'empty'],
    [42, 'empty'],
    ['\u0000\u0001\u0002', 'empty'],
    ['<action>add</action>', 'missing_argument'],
    ['<action>add</action><operator></operator>', 'empty_argument'],
    ['<action>add</action><operator>Plan', 'unclosed_tag'],
    ['<action>add', 'unclosed_tag'],
    ['<action>add</act', 'unclosed_tag'],
    ['blah </action>', 'unclosed_tag'],
    ['I will now <acti', 'unclosed_tag'],
    ['<action>jump</action>', 'unknown_action'],
    ['<action></action>', 'empty_argument'],
    ['<action>add</action><structure>tree</structure>', 'unknown_structure'],
    ['<action>add</action><structure>parallel</structure>', 'missing_argument'],
    ['<action>add</action><structure>conditional</structure><condition>Review</condition>', 'missing_argument'],
    ['<action>delete</action>', 'missing_argument'],
    ['<action>modify</action><target>node_1</target>', 'missing_argument'],
    ['<action>set_prompt</action><target>node_1</target>', 'missing_argument'],
    ['<action>add</action><operator>Programmer, Custom</operator>', 'invalid_argument'],
  ])('%j -> %s', (text, code) => {
    const e = err(text);
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(8);
    expect(e.hint.length).toBeGreaterThan(8);
  });
});

describe('parsePromptReply', () => {
  it('takes <prompt> content, or the whole text without tags and thinking', () => {
    expect(parsePromptReply('<prompt>Compute the total step by step.</prompt>')).toMatchObject({
      ok: true,
      action: { type: 'prompt', prompt: 'Compute the total step by step.' },
    });
    expect(parsePromptReply('<think>hmm</think>Compute the total.')).toMatchObject({ ok: true, action: { prompt: 'Compute the total.' } });
    expect(parsePromptReply('<action>add</action><operator>Plan</operator> Add the numbers.')).toMatchObject({
      ok: true,
      action: { prompt: 'Add the numbers.' },
    });
    expect(parsePromptReply('<prompt>Cut off here but usable')).toMatchObject({ ok: true, action: { prompt: 'Cut off here but usable' } });
    expect(parsePromptReply('{"prompt":"Check the sum twice."}')).toMatchObject({ ok: true, action: { prompt: 'Check the sum twice.' } });
  });
  it('refuses short, empty and thinking-only replies', () => {
    expect(parsePromptReply('ok')).toMatchObject({ ok: false, error: { code: 'prompt_too_short' } });
    expect(parsePromptReply('<think>long thoughts')).toMatchObject({ ok: false, error: { code: 'think_only' } });
    expect(parsePromptReply(undefined)).toMatchObject({ ok: false, error: { code: 'empty' } });
    expect(parsePromptReply('abc', { minChars: 2 })).toMatchObject({ ok: true });
  });
});

describe('formatAction', () => {
  it('round-trips every well-formed action through the parser', () => {
    fc.assert(
      fc.property(actionArb, (a) => {
        if (a.type === 'prompt') return;
        const clean = (s: string) => /^[A-Za-z0-9_]+$/.test(s) && s !== 'done';
        if ('operator' in a && !clean(a.operator)) return;
        if ('operators' in a && (a.operators.length === 0 || !a.operators.every(clean))) return;
        if (a.type === 'add_conditional' && (![a.condition, a.fix].every(clean) || (a.otherwise !== null && !clean(a.otherwise)))) return;
        if (a.type === 'add_loop' && (a.count < 1 || a.count > 10)) return;
        if ('target' in a && !/^node_\w+$/.test(a.target)) return;
        if (a.type === 'set_prompt' && (a.prompt.trim() === '' || a.prompt !== a.prompt.trim() || /[<>]/.test(a.prompt))) return;
        const r = parseAction(formatAction(a));
        expect(r).toMatchObject({ ok: true, action: a });
      }),
      { numRuns: 500 },
    );
  });
});

describe('robustness', () => {
  it('never throws and always answers with a result', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.anything()), (text) => {
        const r = parseAction(text);
        expect(typeof r.ok).toBe('boolean');
        const p = parsePromptReply(text);
        expect(typeof p.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('stays fast on adversarial inputs (linear scans)', () => {
    const inputs = [
      '<think>'.repeat(20_000),
      '<action>'.repeat(20_000),
      '<reasoning>'.repeat(20_000),
      `${'<prompt>'.repeat(15_000)}`,
      'a'.repeat(300_000),
    ];
    const start = Date.now(); // test-only timing
    for (const t of inputs) {
      parseAction(t);
      parsePromptReply(t);
    }
    expect(Date.now() - start).toBeLessThan(3000);
  });
});
