/** Token-overlap F1 in the two flavours that matter: multiset (canonical) and set (FlowSteer's eval_only.py). */

export interface F1Parts {
  f1: number;
  precision: number;
  recall: number;
}

const ZERO: F1Parts = { f1: 0, precision: 0, recall: 0 };

function fromCounts(numSame: number, predCount: number, goldCount: number): F1Parts {
  if (numSame === 0) return ZERO;
  const precision = numSame / predCount;
  const recall = numSame / goldCount;
  return { f1: (2 * precision * recall) / (precision + recall), precision, recall };
}

/** `sum((Counter(pred) & Counter(gold)).values())`: the size of the multiset intersection. */
export function multisetOverlap(pred: readonly string[], gold: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const t of gold) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of pred) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      same += 1;
      counts.set(t, left - 1);
    }
  }
  return same;
}

/** Multiset token F1 (SQuAD, HotpotQA, TriviaQA). Zero when nothing overlaps (including empty sides). */
export function multisetF1(pred: readonly string[], gold: readonly string[]): F1Parts {
  return fromCounts(multisetOverlap(pred, gold), pred.length, gold.length);
}

/** Set token F1 as FlowSteer's eval_only.py computes it: duplicates collapse; zero if either side is empty. */
export function setF1(pred: readonly string[], gold: readonly string[]): F1Parts {
  const p = new Set(pred);
  const g = new Set(gold);
  if (p.size === 0 || g.size === 0) return ZERO;
  let same = 0;
  for (const t of p) if (g.has(t)) same += 1;
  return fromCounts(same, p.size, g.size);
}
