import { readCode } from './code';
import { isBareNumber, lastNumber } from './numbers';
import { lastLine, readList, readTag, readVerdict, stripThinking } from './tags';

describe('readTag', () => {
  it('reads a closed tag, the last one winning over a restated format', () => {
    expect(readTag('use <answer>...</answer>\n<answer> 42 </answer>', 'answer')).toBe('42');
  });

  it('accepts case changes and an unclosed tag running to the next tag', () => {
    expect(readTag('<ANSWER>Paris\n<reason>capital</reason>', 'answer')).toBe('Paris');
    expect(readTag('<answer>Paris', 'answer')).toBe('Paris');
  });

  it('falls back to a "Label: value" line, with markdown bold', () => {
    expect(readTag('thinking...\n**Answer:** 17', 'answer')).toBe('17');
    expect(readTag('key insights: none really', 'key_insights')).toBe('none really');
  });

  it('strips one wrapping code fence', () => {
    expect(readTag('<solution>```\nx = 1\n```</solution>', 'solution')).toBe('x = 1');
  });

  it('returns undefined for junk and empty tags', () => {
    expect(readTag('no structure here', 'answer')).toBeUndefined();
    expect(readTag('<answer></answer>', 'answer')).toBe('');
    expect(readTag('<answer>   ', 'answer')).toBeUndefined();
  });
});

describe('readVerdict', () => {
  it.each([
    ['PASS', true],
    ['correct', true],
    ['incorrect', false],
    ['The answer is not correct', false],
    ['fail', false],
    ['maybe', undefined],
    [undefined, undefined],
  ])('%s -> %s', (text, expected) => expect(readVerdict(text)).toBe(expected));
});

describe('lists, lines, thinking', () => {
  it('reads numbered and bulleted items', () => {
    expect(readList('intro\n1. first\n2) second\nStep 3: third\n- fourth\nnot an item')).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('takes the last non-empty line', () => {
    expect(lastLine('a\n b \n\n')).toBe('b');
    expect(lastLine('')).toBe('');
  });

  it('removes closed and unclosed think blocks', () => {
    expect(stripThinking('<think>hmm</think>Answer')).toBe('Answer');
    expect(stripThinking('Answer<think>never closed')).toBe('Answer');
  });
});

describe('readCode', () => {
  it('prefers the fenced block that defines the required function', () => {
    const text = 'Here:\n```python\nprint("demo")\n```\nand\n```python\ndef solve():\n    return 2\n```';
    expect(readCode(text, 'solve')).toBe('def solve():\n    return 2');
  });

  it('reads a <code> tag, an unclosed fence and bare Python; rejects prose', () => {
    expect(readCode('<code>\ndef f():\n  pass\n</code>')).toBe('def f():\n  pass');
    expect(readCode('```python\nimport math\nx = 1')).toBe('import math\nx = 1');
    expect(readCode('def solve():\n    return 1')).toBe('def solve():\n    return 1');
    expect(readCode('I cannot write code today.')).toBeUndefined();
  });

  it('ignores fences in other languages', () => {
    expect(readCode('```bash\nls\n```')).toBeUndefined();
  });
});

describe('numbers', () => {
  it('normalises the last number', () => {
    expect(lastNumber('so 1,200 apples then 18.0 left')).toBe('18');
    expect(lastNumber('the ratio is 3/4')).toBe('3/4');
    expect(lastNumber('none')).toBeUndefined();
  });

  it('recognises bare numbers', () => {
    expect(isBareNumber(' -12.5 ')).toBe(true);
    expect(isBareNumber('12 apples')).toBe(false);
  });
});
