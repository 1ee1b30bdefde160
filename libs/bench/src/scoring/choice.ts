/** MathQA option letters: parse the `options` string, extract a letter from a prediction, compare. */
import { numericEquivalent } from './math-numeric';
import { normalizeSquadAnswer } from './normalize';

export type OptionLetter = 'a' | 'b' | 'c' | 'd' | 'e';
export const OPTION_LETTERS: readonly OptionLetter[] = ['a', 'b', 'c', 'd', 'e'];

/**
 * Parse MathQA `options`: `a ) 38 , b ) 27.675 , ...` or the Python-list form
 * `['a ) 2 : 3', 'b ) 4 : 5', ...]`. Returns letter -> option text (trimmed).
 */
export function parseMathqaOptions(options: string): Partial<Record<OptionLetter, string>> {
  let s = options.trim();
  if (s.startsWith('[') && s.endsWith(']'))
    s = s
      .slice(1, -1)
      .replace(/'\s*,\s*'/g, ' , ')
      .replace(/^'|'$/g, '');
  const out: Partial<Record<OptionLetter, string>> = {};
  const re = /(?:^|,)\s*([a-e])\s*\)\s*/g;
  const marks: { letter: OptionLetter; start: number; end: number }[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) marks.push({ letter: m[1] as OptionLetter, start: m.index, end: m.index + m[0].length });
  marks.forEach((mk, i) => {
    const next = marks[i + 1];
    out[mk.letter] = s.slice(mk.end, next ? next.start : s.length).trim();
  });
  return out;
}

/**
 * The option letter a prediction names, or null. Tried in order: the whole answer is a letter
 * ("b", "(b)", "b)", "B."), `\boxed{b}`, "answer is (b)" / "answer: b", the last "(b)" in the text,
 * and finally - when options are given - the option whose value the prediction states.
 */
export function extractOptionLetter(prediction: string, options?: Partial<Record<string, string>>): OptionLetter | null {
  const t = prediction.trim();
  const whole = /^\(?\s*([a-e])\s*\)?\s*\.?$/i.exec(t);
  if (whole) return (whole[1] ?? '').toLowerCase() as OptionLetter;
  const boxed = /\\boxed\{\s*\(?([a-e])\)?\s*\}/gi;
  let last: string | null = null;
  for (let m = boxed.exec(t); m; m = boxed.exec(t)) last = m[1] ?? null;
  if (last) return last.toLowerCase() as OptionLetter;
  const answerIs = /answer\s*(?:is|:)\s*:?\s*(?:option\s*)?\(?([a-e])\b\)?/gi;
  for (let m = answerIs.exec(t); m; m = answerIs.exec(t)) last = m[1] ?? null;
  if (last) return last.toLowerCase() as OptionLetter;
  const paren = /\(([a-e])\)/gi;
  for (let m = paren.exec(t); m; m = paren.exec(t)) last = m[1] ?? null;
  if (last) return last.toLowerCase() as OptionLetter;
  if (options) {
    const norm = normalizeSquadAnswer(t);
    for (const letter of OPTION_LETTERS) {
      const value = options[letter];
      if (value === undefined) continue;
      if (normalizeSquadAnswer(value) === norm || numericEquivalent(t, value)) return letter;
    }
  }
  return null;
}

/**
 * Canonical MathQA (no official script: scoring.md's "exact option-letter match"): the letter the
 * prediction states - the whole answer is a letter, `\boxed{b}`, "answer is (b)", or the last "(b)" -
 * equals `correct`. A value that is not a letter is wrong.
 */
export function mathqaCorrectCanonical(prediction: string, correct: string): boolean {
  return extractOptionLetter(prediction) === correct.trim().toLowerCase();
}

/** Lenient MathQA: as canonical, and a stated value is mapped to the option it equals (text or number). */
export function mathqaCorrect(prediction: string, correct: string, options?: Partial<Record<string, string>>): boolean {
  return extractOptionLetter(prediction, options) === correct.trim().toLowerCase();
}

/** FlowSteer's "other" branch: the normalised prediction equals the normalised gold letter. */
export function mathqaFlowsteerCorrect(prediction: string, correct: string): boolean {
  return normalizeSquadAnswer(prediction) === normalizeSquadAnswer(correct);
}
