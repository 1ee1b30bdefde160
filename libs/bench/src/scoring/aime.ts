/** AIME: an exact integer 000-999. */
import { extractBoxedAnswer } from './math-boxed';

/** Integer value of a gold or a prediction: last box if any, else last integer; `^\circ`, leading zeros ok. */
export function extractAimeInteger(text: string): number | null {
  const source = extractBoxedAnswer(text) ?? text;
  const cleaned = source.replace(/\^\s*\{?\s*\\circ\s*\}?/g, '').replace(/(\d),(?=\d{3}\b)/g, '$1');
  const all = cleaned.match(/-?\d+(?:\.\d+)?/g);
  if (!all || all.length === 0) return null;
  const v = Number(all[all.length - 1]);
  return Number.isInteger(v) ? v : null;
}

export function aimeCorrect(prediction: string, gold: string): boolean {
  const p = extractAimeInteger(prediction);
  return p !== null && p === extractAimeInteger(gold);
}
