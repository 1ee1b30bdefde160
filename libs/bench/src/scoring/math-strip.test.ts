import fc from 'fast-check';
import { extractBoxedAnswer, lastBoxedOnlyString, removeBoxed } from './math-boxed';
import { isEquiv, stripMathString } from './math-strip';

describe('_strip_string (hendrycks/math)', () => {
  it.each([
    ['\\frac12', '\\frac{1}{2}'],
    ['\\frac1{72}', '\\frac{1}{72}'],
    ['\\dfrac{3}{4}', '\\frac{3}{4}'],
    ['\\tfrac{3}{4}', '\\frac{3}{4}'],
    ['0.5', '\\frac{1}{2}'],
    ['.5', '\\frac{1}{2}'],
    ['3/4', '\\frac{3}{4}'],
    ['03/4', '03/4'], // int("03") prints as 3: not canonical, kept
    ['\\sqrt3', '\\sqrt{3}'],
    ['2\\sqrt 3', '2\\sqrt{}3'], // verbatim: _fix_sqrt runs before spaces are removed
    ['x = 5', '5'],
    ['xyz = 5', 'xyz=5'], // left side longer than 2 characters is kept
    ['10\\%', '10'],
    ['90^\\circ', '90'],
    ['90^{\\circ}', '90'],
    ['\\$18.90', '18.90'],
    ['5 \\text{ cm}', '5'],
    ['\\left( 3, \\frac{\\pi}{2} \\right)', '(3,\\frac{\\pi}{2})'],
    ['\\!1,\\!000', '1,000'],
    ['a\nb', 'ab'],
    ['', ''],
  ])('%j -> %j', (input, out) => expect(stripMathString(input)).toBe(out));
});

describe('is_equiv', () => {
  it.each([
    ['\\frac12', '\\frac{1}{2}', true],
    ['1/2', '0.5', true],
    ['\\dfrac{1}{2}', '1/2', true],
    ['x=3', '3', true],
    ['50\\%', '50', true],
    ['\\$5', '5', true],
    ['3', '3.0', false], // canonical mode is string equality after normalisation
    ['\\frac{2}{4}', '\\frac{1}{2}', false],
    ['2', '3', false],
  ])('%j ~ %j = %s', (a, b, want) => expect(isEquiv(a, b)).toBe(want));

  it('falls back to raw equality where the Python raises', () => {
    // two "\text{ " pieces: the assert in _remove_right_units fails
    expect(isEquiv('1 \\text{ a} \\text{ b}', '1 \\text{ a} \\text{ b}')).toBe(true);
    expect(isEquiv('1 \\text{ a} \\text{ b}', '1')).toBe(false);
    // "\frac" at the end: substr[0] raises
    expect(isEquiv('\\frac', '\\frac')).toBe(true);
    expect(isEquiv('\\sqrt', 'x')).toBe(false);
  });
  it('None handling', () => {
    expect(isEquiv(null, null)).toBe(true);
    expect(isEquiv(null, '1')).toBe(false);
  });
  it('is reflexive and symmetric', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => isEquiv(a, a) && isEquiv(a, b) === isEquiv(b, a)));
  });
});

describe('boxed extraction', () => {
  it('takes the last box with balanced braces', () => {
    expect(lastBoxedOnlyString('a \\boxed{1} b \\boxed{\\frac{1}{2}} c')).toBe('\\boxed{\\frac{1}{2}}');
    expect(extractBoxedAnswer('so $\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}$.')).toBe('\\left( 3, \\frac{\\pi}{2} \\right)');
  });
  it('\\fbox and the space form', () => {
    expect(extractBoxedAnswer('\\fbox{7}')).toBe('7');
    expect(extractBoxedAnswer('answer $\\boxed 5$ done')).toBe('5');
  });
  it('null for no box or unbalanced braces', () => {
    expect(extractBoxedAnswer('no box')).toBeNull();
    expect(extractBoxedAnswer('\\boxed{1')).toBeNull();
    expect(removeBoxed('boxed{1}')).toBeNull();
  });
});
