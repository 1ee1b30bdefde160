/**
 * MATH-style answer comparison. Canonical: the reference harness exactly (boxed extraction, `is_equiv`).
 * Lenient: a forgiving extraction and numeric evaluation on top. (The CAS mode is `math-symbolic.ts`.)
 */
import { extractBoxedAnswer, extractBoxedAnswerOfficial } from './math-boxed';
import { cleanMathText, numericEquivalent, type Tolerance } from './math-numeric';
import { isEquiv } from './math-strip';

/**
 * Canonical gold of a MATH item given as text: a solution (anything holding `\boxed`/`\fbox`) goes
 * through the reference extraction, which may give null (an `\fbox` answer); anything else is taken
 * to be the answer itself, as MATH-500's `answer` field is.
 */
export function mathGoldOfficial(solutionOrAnswer: string): string | null {
  return /\\boxed|\\fbox/.test(solutionOrAnswer) ? extractBoxedAnswerOfficial(solutionOrAnswer) : solutionOrAnswer;
}

/**
 * Canonical MATH decision (eval_math_gpt.py): `is_equiv(remove_boxed(last_boxed_only_string(prediction)), gold)`.
 * A prediction without `\boxed{...}` reads as None, which only equals a None gold.
 */
export function mathCorrectCanonical(prediction: string, gold: string): boolean {
  return isEquiv(extractBoxedAnswerOfficial(prediction), mathGoldOfficial(gold));
}

/**
 * Lenient extraction, the answer a model gave: the content of its last `\boxed{}` (also `\fbox{}` and
 * the `\boxed 5` space form); otherwise the text after a final
 * "answer is" / "Answer:"; otherwise the whole text trimmed (the MATH harness scores null as wrong,
 * we keep the text so that a bare "3/4" still counts).
 */
export function extractMathPrediction(text: string): string {
  const boxed = extractBoxedAnswer(text);
  if (boxed !== null) return boxed;
  const marks = [...text.matchAll(/answer is|answer:/gi)];
  const lastMark = marks[marks.length - 1];
  if (lastMark?.index !== undefined) {
    const tail = text
      .slice(lastMark.index + lastMark[0].length)
      .replace(/^\s*:?\s*/, '')
      .trim();
    return tail.replace(/^\$+|\$+\.?$|\.$/g, '').trim();
  }
  return text.trim();
}

/** Gold of a MATH record: the last box of the solution, or the `answer` field as given. */
export function extractMathGold(solutionOrAnswer: string): string {
  return extractBoxedAnswer(solutionOrAnswer) ?? solutionOrAnswer.trim();
}

/**
 * Lenient equivalence of two extracted answers: `is_equiv` OR the cleaned strings are identical OR
 * both evaluate to the same number(s) within `tol` (default relative 1e-6, so 0.333 != 1/3).
 */
export function mathEquivLenient(predictionAnswer: string, gold: string, tol: Tolerance = { rel: 1e-6 }): boolean {
  if (isEquiv(predictionAnswer, gold)) return true;
  const a = cleanMathText(predictionAnswer).replace(/\s+/g, '');
  const b = cleanMathText(gold).replace(/\s+/g, '');
  if (a !== '' && a === b) return true;
  return numericEquivalent(predictionAnswer, gold, tol);
}

/** FlowSteer-compatible math_equal (no LLM fallback): lenient mode with absolute tolerance 1e-3. */
export function mathEquivFlowsteer(predictionAnswer: string, gold: string): boolean {
  if (mathEquivLenient(predictionAnswer, gold, { abs: 1e-3 })) return true;
  return predictionAnswer.trim().toLowerCase() === gold.trim().toLowerCase();
}
