import { aimeCorrect, extractAimeInteger } from './aime';
import { extractOptionLetter, mathqaCorrect, mathqaFlowsteerCorrect, parseMathqaOptions } from './choice';
import {
  extractGsm8kGold,
  extractGsm8kHashAnswer,
  extractGsm8kPrediction,
  gsm8kFlowsteerCorrect,
  gsm8kNumbersEqual,
  gsm8kReferenceCorrect,
} from './gsm8k';

describe('GSM8K', () => {
  it('gold: text after "#### ", commas removed', () => {
    expect(extractGsm8kGold('She makes 9 * 2 = $<<9*2=18>>18 every day.\n#### 18')).toBe('18');
    expect(extractGsm8kGold('... #### 1,000')).toBe('1000');
    expect(extractGsm8kGold('#### -3.5')).toBe('-3.5');
  });
  it('reference extract_answer needs "#### " with a space', () => {
    expect(extractGsm8kHashAnswer('####18')).toBeNull();
    expect(gsm8kReferenceCorrect('so #### 1,000', '1000')).toBe(true);
    expect(gsm8kReferenceCorrect('The answer is 1000', '1000')).toBe(false);
  });
  it('prediction convention: ####, then \\boxed, then the last number', () => {
    expect(extractGsm8kPrediction('2+2=4 #### 5 and 6')).toEqual({ value: '5', how: 'hash' });
    expect(extractGsm8kPrediction('we get \\boxed{1,250} dollars, not 3')).toEqual({ value: '1250', how: 'boxed' });
    expect(extractGsm8kPrediction('It costs $1,250. Later 3 more.')).toEqual({ value: '3', how: 'last-number' });
    expect(extractGsm8kPrediction('She has 18.')).toEqual({ value: '18', how: 'last-number' });
    expect(extractGsm8kPrediction('none')).toEqual({ value: null, how: 'none' });
  });
  it('numeric comparison', () => {
    expect(gsm8kNumbersEqual('18.00', '18')).toBe(true);
    expect(gsm8kNumbersEqual('18.5', '18')).toBe(false);
    expect(gsm8kNumbersEqual(null, '18')).toBe(false);
    expect(gsm8kNumbersEqual('', '0')).toBe(false);
  });
  it('FlowSteer variant: boxed or last number with tolerance 1e-3', () => {
    expect(gsm8kFlowsteerCorrect('\\boxed{\\frac{36}{2}}', '18')).toBe(true);
    expect(gsm8kFlowsteerCorrect('about 18.0004', '18')).toBe(true);
    expect(gsm8kFlowsteerCorrect('19', '18')).toBe(false);
  });
});

describe('MathQA options', () => {
  it('parses the plain and the Python-list forms', () => {
    expect(parseMathqaOptions('a ) 38 , b ) 27.675 , c ) 30 , d ) data inadequate , e ) none of these')).toEqual({
      a: '38',
      b: '27.675',
      c: '30',
      d: 'data inadequate',
      e: 'none of these',
    });
    expect(parseMathqaOptions("['a ) 2 : 3', 'b ) 4 : 5', 'c ) 16 : 9', 'd ) 7 : 9', 'e ) 8 : 5']")).toEqual({
      a: '2 : 3',
      b: '4 : 5',
      c: '16 : 9',
      d: '7 : 9',
      e: '8 : 5',
    });
    expect(parseMathqaOptions('a ) 1,000 , b ) 2,000')).toEqual({ a: '1,000', b: '2,000' });
  });
  it.each([
    ['b', 'b'],
    ['(C)', 'c'],
    ['d.', 'd'],
    ['The answer is (e).', 'e'],
    ['Answer: a', 'a'],
    ['so \\boxed{B}', 'b'],
    ['between (a) and (c), we pick (c)', 'c'],
    ['27.675', 'b'],
    ['none of these', 'e'],
    ['42', null],
  ])('%j -> %s', (prediction, letter) => {
    expect(extractOptionLetter(prediction, { a: '38', b: '27.675', c: '30', d: 'data inadequate', e: 'none of these' })).toBe(letter);
  });
  it('correctness, canonical and FlowSteer', () => {
    expect(mathqaCorrect('The answer is (a)', 'a')).toBe(true);
    expect(mathqaFlowsteerCorrect('The answer is (a)', 'a')).toBe(false);
    expect(mathqaFlowsteerCorrect(' A ', 'a')).toBe(true);
  });
});

describe('AIME', () => {
  it.each([
    ['\\boxed{70}', 70],
    ['The answer is 070.', 70],
    ['336^\\circ', 336],
    ['336^{\\circ}', 336],
    ['12.5', null],
    ['none', null],
  ])('%j -> %s', (text, v) => expect(extractAimeInteger(text)).toBe(v));
  it('integer compare against the gold', () => {
    expect(aimeCorrect('so \\boxed{336}', '336^\\circ')).toBe(true);
    expect(aimeCorrect('\\boxed{337}', '336')).toBe(false);
  });
});
