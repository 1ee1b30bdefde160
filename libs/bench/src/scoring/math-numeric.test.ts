import fc from 'fast-check';
import { extractMathPrediction, mathCorrectCanonical, mathEquivFlowsteer, mathEquivLenient } from './math-answer';
import { isEquiv } from './math-strip';
import { evaluateMathExpression, evaluateMathValue, numericEquivalent } from './math-numeric';

describe('evaluateMathExpression', () => {
  it.each([
    ['42', 42],
    ['-3.5', -3.5],
    ['.25', 0.25],
    ['\\frac{1}{2}', 0.5],
    ['\\frac12', 0.5],
    ['\\frac{3}{4} + 1', 1.75],
    ['2\\sqrt{3}', 2 * Math.sqrt(3)],
    ['\\sqrt{2}/2', Math.SQRT2 / 2],
    ['\\sqrt[3]{27}', 3],
    ['3\\pi', 3 * Math.PI],
    ['\\frac{\\pi}{2}', Math.PI / 2],
    ['2^{10}', 1024],
    ['2^10', 1024], // read as plain text (a model's 2^10 means 1024), not LaTeX's 2^1 0
    ['-2^2', -4],
    ['(1+2)(3)', 9],
    ['6/4', 1.5],
    ['\\sqrt3', Math.sqrt(3)],
  ])('%j = %d', (text, value) => expect(evaluateMathExpression(text)).toBeCloseTo(value, 10));

  it.each(['x', '2x', '\\alpha', '', '1/0', '\\frac{1}{0}', '3 +', '(1'])('%j is not a closed-form number', (text) =>
    expect(evaluateMathExpression(text)).toBeNull(),
  );
});

describe('evaluateMathValue', () => {
  it('cleans units, percent, degrees, dollar signs and x = prefixes', () => {
    for (const [text, v] of [
      ['5 \\text{ cm}', 5],
      ['50\\%', 50],
      ['90^\\circ', 90],
      ['\\$18.90', 18.9],
      ['x = \\dfrac{1}{3}', 1 / 3],
      ['1,000,000', 1e6],
      ['$7$', 7],
    ] as const) {
      expect(evaluateMathValue(text)?.values[0]).toBeCloseTo(v, 10);
    }
  });
  it('tuples and intervals keep their brackets', () => {
    expect(evaluateMathValue('\\left( 3, \\frac{\\pi}{2} \\right)')).toEqual({ open: '(', close: ')', values: [3, Math.PI / 2] });
    expect(evaluateMathValue('[1, 2)')).toEqual({ open: '[', close: ')', values: [1, 2] });
    expect(evaluateMathValue('1, 2')?.values).toEqual([1, 2]);
  });
});

describe('numericEquivalent', () => {
  it.each([
    ['0.5', '\\frac{1}{2}', true],
    ['3', '3.0', true],
    ['\\frac{2}{4}', '\\frac{1}{2}', true],
    ['\\frac{\\sqrt{3}}{2}', '\\frac{1}{2}\\sqrt{3}', true],
    ['(3, \\frac{\\pi}{2})', '\\left( 3, \\frac{\\pi}{2} \\right)', true],
    ['[1,2]', '(1,2)', false],
    ['0.333', '\\frac{1}{3}', false],
    ['x', 'x', false],
  ])('%j ~ %j = %s', (a, b, want) => expect(numericEquivalent(a, b)).toBe(want));
  it('is symmetric and reflexive on numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10000, max: 10000 }), fc.integer({ min: 1, max: 500 }), (p, q) => {
        const a = `\\frac{${p}}{${q}}`;
        const b = String(p / q);
        return numericEquivalent(a, b) && numericEquivalent(b, a) && numericEquivalent(a, a);
      }),
    );
  });
});

describe('MATH equivalence modes', () => {
  it('canonical is the reference harness: a \\boxed{} answer, string normalisation only', () => {
    expect(mathCorrectCanonical('\\boxed{\\frac{2}{4}}', '\\frac12')).toBe(false);
    expect(mathCorrectCanonical('\\boxed{\\dfrac{1}{2}}', '\\frac12')).toBe(true);
    expect(mathCorrectCanonical('\\dfrac{1}{2}', '\\frac12')).toBe(false); // no box: the harness reads None
  });
  it('lenient adds numeric equality (strictly more recall)', () => {
    expect(mathEquivLenient('\\frac{2}{4}', '\\frac12')).toBe(true);
    expect(mathEquivLenient('3.0', '3')).toBe(true);
    expect(mathEquivLenient('\\text{(C)}', '\\text{(C)}')).toBe(true);
    expect(mathEquivLenient('0.333', '\\frac13')).toBe(false);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => !isEquiv(a, b) || mathEquivLenient(a, b)));
  });
  it('FlowSteer mode: absolute tolerance 1e-3 and case-insensitive strings', () => {
    expect(mathEquivFlowsteer('0.3333', '\\frac13')).toBe(true);
    expect(mathEquivFlowsteer('0.33', '\\frac13')).toBe(false);
    expect(mathEquivFlowsteer('\\text{Evelyn}', '\\text{evelyn}')).toBe(true);
  });
  it('extracts the boxed answer, else the "answer is" tail, else the text', () => {
    expect(extractMathPrediction('so \\boxed{\\frac{1}{2}}.')).toBe('\\frac{1}{2}');
    expect(extractMathPrediction('Thus the final answer is $12$.')).toBe('12');
    expect(extractMathPrediction(' 7 ')).toBe('7');
    expect(extractMathPrediction('The answer is 5? No: the answer is 6.')).toBe('6');
  });
});
