/** MATH-style answer comparison: the canonical `is_equiv` and the stronger symbolic/numeric mode. */
import { extractBoxedAnswer } from './math-boxed';
import { cleanMathText, numericEquivalent, type Tolerance } from './math-numeric';
import { isEquiv } from './math-strip';

/**
 * The answer a model gave: the content of its last `\boxed{}`; otherwise the text after a final
 * "answer is" / "Answer:"; otherwise the whole text trimmed (the MATH harness scores null as wrong,
 * we keep the text so that a bare "3/4" still counts).
 */
export function extractMathPrediction(text: string): string {
  const boxed = extractBoxedAnswer(text);
  if (boxed !== null) return boxed;
  const marks = [...text.matchAll(/answer is|answer:/gi)];
  const lastMark = marks[marks.length - 1];
  if (lastMark?.index !== undefined) {
    const tail = text.slice(lastMark.index + lastMark[0].length).replace(/^\s*:?\s*/, '').trim();
    return tail.replace(/^\$+|\$+\.?$|\.$/g, '').trim();
  }
  return text.trim();
}

/** Gold of a MATH record: the last box of the solution, or the `answer` field as given. */
export function extractMathGold(solutionOrAnswer: string): string {
  return extractBoxedAnswer(solutionOrAnswer) ?? solutionOrAnswer.trim();
}

/** Canonical mode: `is_equiv` of the extracted strings. */
export function mathEquivCanonical(predictionAnswer: string, gold: string): boolean {
  return isEquiv(predictionAnswer, gold);
}

/**
 * Symbolic mode (stronger recall): canonical OR the cleaned strings are identical OR both evaluate
 * to the same number(s) within `tol` (default relative 1e-6, so 0.333 != 1/3).
 */
export function mathEquivSymbolic(predictionAnswer: string, gold: string, tol: Tolerance = { rel: 1e-6 }): boolean {
  if (isEquiv(predictionAnswer, gold)) return true;
  const a = cleanMathText(predictionAnswer).replace(/\s+/g, '');
  const b = cleanMathText(gold).replace(/\s+/g, '');
  if (a !== '' && a === b) return true;
  return numericEquivalent(predictionAnswer, gold, tol);
}

/** FlowSteer-compatible math_equal (no LLM fallback): symbolic mode with absolute tolerance 1e-3. */
export function mathEquivFlowsteer(predictionAnswer: string, gold: string): boolean {
  if (mathEquivSymbolic(predictionAnswer, gold, { abs: 1e-3 })) return true;
  return predictionAnswer.trim().toLowerCase() === gold.trim().toLowerCase();
}
