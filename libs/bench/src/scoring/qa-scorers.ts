/**
 * EM/F1 of the QA benchmarks, each as its reference script defines it. All return numbers in [0, 1].
 */
import { normalizeNqAnswer, normalizeSquadAnswer, normalizeTriviaqaAnswer, splitWhitespace } from './normalize';
import { multisetF1, setF1 } from './token-f1';

export interface EmF1 {
  em: number;
  f1: number;
}

function maxOver(golds: readonly string[], score: (gold: string) => EmF1): EmF1 {
  let best: EmF1 = { em: 0, f1: 0 };
  for (const g of golds) {
    const s = score(g);
    best = { em: Math.max(best.em, s.em), f1: Math.max(best.f1, s.f1) };
  }
  return best;
}

/** SQuAD `get_tokens`: an empty string has no tokens, otherwise the normalised whitespace tokens. */
function squadTokens(s: string): string[] {
  return s ? splitWhitespace(normalizeSquadAnswer(s)) : [];
}

/** `compute_exact` + `compute_f1` of evaluate-v2.0.py for one gold. */
export function squadV2Single(prediction: string, gold: string): EmF1 {
  const em = normalizeSquadAnswer(gold) === normalizeSquadAnswer(prediction) ? 1 : 0;
  const goldToks = squadTokens(gold);
  const predToks = squadTokens(prediction);
  if (goldToks.length === 0 || predToks.length === 0) {
    // "If either is no-answer, then F1 is 1 if they agree, 0 otherwise"
    return { em, f1: goldToks.length === predToks.length ? 1 : 0 };
  }
  return { em, f1: multisetF1(predToks, goldToks).f1 };
}

/**
 * SQuAD v2 per question: golds whose normalisation is empty are dropped; none left means the question
 * is unanswerable and the gold is `['']` (only an empty prediction scores 1). Max over golds.
 */
export function squadV2Score(prediction: string, golds: readonly string[]): EmF1 {
  const kept = golds.filter((g) => normalizeSquadAnswer(g) !== '');
  return maxOver(kept.length > 0 ? kept : [''], (g) => squadV2Single(prediction, g));
}

const YES_NO = new Set(['yes', 'no', 'noanswer']);

/** hotpot_evaluate_v1.py `exact_match_score` and `f1_score` (single gold; yes/no/noanswer rule). */
export function hotpotScore(prediction: string, gold: string): EmF1 {
  const p = normalizeSquadAnswer(prediction);
  const g = normalizeSquadAnswer(gold);
  const em = p === g ? 1 : 0;
  if ((YES_NO.has(p) || YES_NO.has(g)) && p !== g) return { em, f1: 0 };
  return { em, f1: multisetF1(splitWhitespace(p), splitWhitespace(g)).f1 };
}

/** HotpotQA over several golds (the official file has one; extra aliases take the max). */
export function hotpotScoreMax(prediction: string, golds: readonly string[]): EmF1 {
  return maxOver(golds, (g) => hotpotScore(prediction, g));
}

/**
 * triviaqa_evaluation.py `evaluate_triviaqa` for one question: EM and multiset F1 with the TriviaQA
 * normalisation, max over the ground truths (`NormalizedAliases` plus the normalised `HumanAnswers`).
 * With no ground truth at all the reference's `max()` raises and its `is_exact_match` says false:
 * such a line scores 0 here instead of being refused.
 */
export function triviaqaScore(prediction: string, groundTruths: readonly string[]): EmF1 {
  const p = normalizeTriviaqaAnswer(prediction);
  const pt = splitWhitespace(p);
  return maxOver(groundTruths, (a) => {
    const g = normalizeTriviaqaAnswer(a);
    return { em: p === g ? 1 : 0, f1: multisetF1(pt, splitWhitespace(g)).f1 };
  });
}

/**
 * NQ-open as most open-domain QA papers report it: EM is the reference `is_correct` of
 * google-research/language `orqa/utils/eval_utils.py` (NFD + SQuAD normalisation, any gold); orqa has
 * no F1, so F1 is SQuAD v1.1 `evaluate-v1.1.py` `f1_score` (SQuAD normalisation without NFD,
 * multiset F1) with `metric_max_over_ground_truths`.
 */
export function nqScore(prediction: string, golds: readonly string[]): EmF1 {
  const pe = normalizeNqAnswer(prediction);
  const pt = splitWhitespace(normalizeSquadAnswer(prediction));
  return maxOver(golds, (a) => ({
    em: pe === normalizeNqAnswer(a) ? 1 : 0,
    f1: multisetF1(pt, splitWhitespace(normalizeSquadAnswer(a))).f1,
  }));
}

export interface FlowSteerQaScore {
  /** set-of-tokens F1 (eval_only.py), max over golds. */
  f1: number;
  /** eval_only.py's correctness: set F1 >= 0.5. */
  correct: number;
  /** SQuAD EM, max over golds (training's `_aflow_qa_em_score`, used for the paper's EM column). */
  em: number;
}

/**
 * FlowSteer-compatible QA score. Golds may also be `|`-separated inside one string (training's format).
 * No unanswerable handling: an empty gold or prediction gives F1 0.
 */
export function flowsteerQaScore(prediction: string, golds: readonly string[]): FlowSteerQaScore {
  const expanded = golds.flatMap((g) => g.split('|'));
  const p = normalizeSquadAnswer(prediction);
  const pt = splitWhitespace(p);
  let f1 = 0;
  let em = 0;
  for (const g of expanded) {
    const ng = normalizeSquadAnswer(g);
    f1 = Math.max(f1, setF1(pt, splitWhitespace(ng)).f1);
    if (ng === p) em = 1;
  }
  return { f1, correct: f1 >= 0.5 ? 1 : 0, em };
}
