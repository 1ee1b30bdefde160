/**
 * Verbatim port of `modeling/math_equivalence.py` of hendrycks/math (MIT): `_strip_string` and
 * `is_equiv`. Where the Python raises (an `assert`, or indexing an empty piece), `is_equiv` falls
 * back to plain string equality; the port reproduces that with a thrown {@link StripFailure}.
 */

class StripFailure extends Error {}

function fixFracs(string: string): string {
  const substrs = string.split('\\frac');
  let newStr = substrs[0] ?? '';
  for (const substr of substrs.slice(1)) {
    newStr += '\\frac';
    if (substr.length === 0) throw new StripFailure('empty \\frac'); // substr[0] raises IndexError
    if (substr[0] === '{') {
      newStr += substr;
      continue;
    }
    if (substr.length < 2) return string;
    const a = substr[0];
    const b = substr[1];
    const post = substr.slice(2);
    if (b !== '{') newStr += '{' + a + '}{' + b + '}' + post;
    else newStr += '{' + a + '}' + b + post;
  }
  return newStr;
}

const CANONICAL_INT = '(?:0|-?[1-9][0-9]*)';
const A_SLASH_B = new RegExp(`^(${CANONICAL_INT})/(${CANONICAL_INT})$`);

/** `a/b` of two integers written exactly as Python's `str(int)` prints them -> `\frac{a}{b}`. */
function fixASlashB(string: string): string {
  const m = A_SLASH_B.exec(string);
  if (!m) return string;
  return '\\frac{' + m[1] + '}{' + m[2] + '}';
}

function removeRightUnits(string: string): string {
  if (!string.includes('\\text{ ')) return string;
  const splits = string.split('\\text{ ');
  if (splits.length !== 2) throw new StripFailure('several \\text{ units}');
  return splits[0] ?? '';
}

function fixSqrt(string: string): string {
  if (!string.includes('\\sqrt')) return string;
  const splits = string.split('\\sqrt');
  let out = splits[0] ?? '';
  for (const split of splits.slice(1)) {
    if (split.length === 0) throw new StripFailure('empty \\sqrt');
    out += split[0] !== '{' ? '\\sqrt{' + split[0] + '}' + split.slice(1) : '\\sqrt' + split;
  }
  return out;
}

/** `_strip_string`; throws {@link StripFailure} where the Python raises. */
export function stripMathString(input: string): string {
  let s = input.replaceAll('\n', '');
  s = s.replaceAll('\\!', '');
  s = s.replaceAll('\\\\', '\\');
  s = s.replaceAll('tfrac', 'frac').replaceAll('dfrac', 'frac');
  s = s.replaceAll('\\left', '').replaceAll('\\right', '');
  s = s.replaceAll('^{\\circ}', '').replaceAll('^\\circ', '');
  s = s.replaceAll('\\$', '');
  s = removeRightUnits(s);
  s = s.replaceAll('\\%', '');
  s = s.replaceAll(' .', ' 0.').replaceAll('{.', '{0.');
  if (s.length === 0) return s;
  if (s[0] === '.') s = '0' + s;
  const eq = s.split('=');
  if (eq.length === 2 && (eq[0] ?? '').length <= 2) s = eq[1] ?? '';
  s = fixSqrt(s);
  s = s.replaceAll(' ', '');
  s = fixFracs(s);
  if (s === '0.5') s = '\\frac{1}{2}';
  s = fixASlashB(s);
  return s;
}

/** `is_equiv(str1, str2)`: equality of the stripped strings; raw equality when stripping fails. */
export function isEquiv(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null && b == null) return true;
  if (a == null || b == null) return false;
  try {
    return stripMathString(a) === stripMathString(b);
  } catch (e) {
    if (e instanceof StripFailure) return a === b;
    throw e;
  }
}

/** `_strip_string`, or the input unchanged where the reference would raise (is_equiv then compares raw strings). */
export function stripMathStringOrRaw(input: string): string {
  try {
    return stripMathString(input);
  } catch (e) {
    if (e instanceof StripFailure) return input;
    throw e;
  }
}
