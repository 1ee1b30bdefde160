import { isBareNumber, lastNumber } from '../parse/numbers';

export type Confidence = 'high' | 'medium' | 'low';

export interface VerifyJudgement {
  original: string;
  suggested: string;
  isCorrect: boolean;
  confidence: Confidence;
}

/**
 * Whether Verify replaces the answer it was given with its own. Verifiers are often wrong, so the
 * original stays unless it is unusable (empty or an error) or the verifier is highly confident it
 * is wrong and the change is a safe one: the original is verbose text whose last number is the
 * suggestion, or a negative number whose magnitude is the suggestion.
 */
export function shouldOverwrite(j: VerifyJudgement): boolean {
  const original = j.original.trim();
  const suggested = j.suggested.trim();
  if (!suggested) return false;
  if (!original || /^(error|workflow_error|programmer failed)\b/i.test(original)) return true;
  if (j.isCorrect || j.confidence !== 'high') return false;
  const suggestedNumber = lastNumber(suggested);
  if (!isBareNumber(original) && suggestedNumber !== undefined && lastNumber(original) === suggestedNumber) return true;
  if (isBareNumber(original) && original.startsWith('-') && suggestedNumber === lastNumber(original.slice(1))) return true;
  return false;
}

export function readConfidence(text: string | undefined): Confidence {
  const t = (text ?? '').toLowerCase();
  if (t.includes('high')) return 'high';
  if (t.includes('low')) return 'low';
  return 'medium';
}
