/** AIME: an exact integer 000-999. No official script exists; the conventions are documented in the README. */
import { extractBoxedAnswer, extractBoxedAnswerOfficial } from './math-boxed';
import { stripMathStringOrRaw } from './math-strip';

/** Gold integer: the `answer` field after MATH's `_strip_string` (one gold is `336^\circ`); null if not an integer. */
export function aimeGoldInteger(gold: string): number | null {
  const s = stripMathStringOrRaw(gold.trim());
  return /^-?\d+$/.test(s) ? Number(s) : null;
}

/**
 * Canonical: the MATH reference extraction (`remove_boxed(last_boxed_only_string(...))`), normalised by
 * `_strip_string`, must be a base-10 integer (leading zeros allowed: 070 = 70) equal to the gold.
 * No box, or a box holding anything else, is wrong.
 */
export function aimeCorrectCanonical(prediction: string, gold: string): boolean {
  const boxed = extractBoxedAnswerOfficial(prediction);
  if (boxed === null) return false;
  const s = stripMathStringOrRaw(boxed);
  const g = aimeGoldInteger(gold);
  return g !== null && /^-?\d+$/.test(s) && Number(s) === g;
}

/** Lenient integer of a gold or a prediction: last box if any, else last integer; `^\circ`, thousands separators ok. */
export function extractAimeInteger(text: string): number | null {
  const source = extractBoxedAnswer(text) ?? text;
  const cleaned = source.replace(/\^\s*\{?\s*\\circ\s*\}?/g, '').replace(/(\d),(?=\d{3}\b)/g, '$1');
  const all = cleaned.match(/-?\d+(?:\.\d+)?/g);
  if (!all || all.length === 0) return null;
  const v = Number(all[all.length - 1]);
  return Number.isInteger(v) ? v : null;
}

/** Lenient: canonical, or the last integer stated anywhere (no box needed) equals the gold. */
export function aimeCorrect(prediction: string, gold: string): boolean {
  if (aimeCorrectCanonical(prediction, gold)) return true;
  const p = extractAimeInteger(prediction);
  return p !== null && p === extractAimeInteger(gold);
}
