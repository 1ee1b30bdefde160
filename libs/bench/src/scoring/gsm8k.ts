/**
 * GSM8K answers. Canonical: grade-school-math `dataset.py` `extract_answer` / `is_correct` exactly
 * (the text after `#### `, commas removed, compared as strings). Lenient prediction convention
 * (README): the `#### n` if present, else the last `\boxed{}`, else the last number, compared numerically.
 */
import { extractBoxedAnswer } from './math-boxed';
import { evaluateMathValue, numbersClose } from './math-numeric';

const ANS_RE = /#### (-?[0-9.,]+)/;
const NUMBER_RE = /-?\d[\d,]*(?:\.\d+)?|-?\.\d+/g;

/** The reference `extract_answer`: null where it returns `[invalid]`. */
export function extractGsm8kHashAnswer(completion: string): string | null {
  const m = ANS_RE.exec(completion);
  if (!m) return null;
  return (m[1] ?? '').trim().replaceAll(',', '');
}

/** Gold answer of a GSM8K record's `answer` field (also accepts a bare number). */
export function extractGsm8kGold(answerField: string): string {
  return extractGsm8kHashAnswer(answerField) ?? answerField.trim().replaceAll(',', '');
}

function cleanNumber(s: string): string {
  return s.replaceAll(',', '').replace(/\.$/, '').trim();
}

/** Last number of a text (commas inside numbers kept together, then dropped). */
export function lastNumber(text: string): string | null {
  const all = text.match(NUMBER_RE);
  return all && all.length > 0 ? cleanNumber(all[all.length - 1] ?? '') : null;
}

export interface Gsm8kExtraction {
  value: string | null;
  how: 'hash' | 'boxed' | 'last-number' | 'none';
}

/** The model's final number under the convention above. */
export function extractGsm8kPrediction(text: string): Gsm8kExtraction {
  const hash = extractGsm8kHashAnswer(text);
  if (hash !== null) return { value: cleanNumber(hash), how: 'hash' };
  const boxed = extractBoxedAnswer(text);
  if (boxed !== null) {
    const inner = lastNumber(boxed) ?? boxed.trim();
    return { value: cleanNumber(inner), how: 'boxed' };
  }
  const last = lastNumber(text);
  return last === null ? { value: null, how: 'none' } : { value: last, how: 'last-number' };
}

/** Numeric equality of two extracted answers (`18` = `18.00`); false if either is not a number. */
export function gsm8kNumbersEqual(a: string | null, b: string | null, absTol = 0): boolean {
  if (a === null || b === null) return false;
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() === '' || b.trim() === '' || !Number.isFinite(na) || !Number.isFinite(nb)) return false;
  return numbersClose(na, nb, { abs: absTol, rel: 1e-9 });
}

/** The reference `is_correct`: the completion's `#### n` string equals the gold string. */
export function gsm8kReferenceCorrect(completion: string, gold: string): boolean {
  const pred = extractGsm8kHashAnswer(completion);
  return pred !== null && pred === gold;
}

/** FlowSteer's math_equal on GSM8K: boxed or last number, numeric within 1e-3 (also `\frac` etc.). */
export function gsm8kFlowsteerCorrect(text: string, gold: string): boolean {
  const boxed = extractBoxedAnswer(text);
  const candidate = boxed ?? lastNumber(text);
  if (candidate === null) return false;
  const v = evaluateMathValue(candidate);
  const g = Number(gold);
  if (v && v.values.length === 1 && Number.isFinite(g)) return numbersClose(v.values[0] ?? NaN, g, { abs: 1e-3 });
  return gsm8kNumbersEqual(lastNumber(candidate), gold, 1e-3);
}
