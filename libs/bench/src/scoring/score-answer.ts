/**
 * One entry point: score a prediction for a task. Every result carries the canonical metrics (the
 * official scripts' decisions), the FlowSteer-compatible ones, where it exists a `lenient` family
 * (forgiving extraction and numeric equality), and for MATH/AIME/MathQA the question the `symbolic`
 * (CAS) metric must answer, which {@link withSymbolic} fills in once the CAS has run.
 */
import type { BenchTask } from '@flowsteer/contracts';
import { aimeCorrect, aimeCorrectCanonical, extractAimeInteger } from './aime';
import { extractOptionLetter, mathqaCorrect, mathqaCorrectCanonical, mathqaFlowsteerCorrect } from './choice';
import {
  extractGsm8kGold,
  extractGsm8kHashAnswer,
  extractGsm8kPrediction,
  gsm8kFlowsteerCorrect,
  gsm8kNumbersEqual,
  gsm8kReferenceCorrect,
} from './gsm8k';
import { extractBoxedAnswerOfficial } from './math-boxed';
import {
  extractMathGold,
  extractMathPrediction,
  mathCorrectCanonical,
  mathEquivFlowsteer,
  mathEquivLenient,
  mathGoldOfficial,
} from './math-answer';
import type { SymbolicItem, SymbolicVerdict } from './math-symbolic';
import { flowsteerQaScore, hotpotScoreMax, nqScore, squadV2Score, triviaqaScore, type EmF1 } from './qa-scorers';
import { scorerKindFor, scorerKindForTaskType, type ScorerKind } from './scorer-kind';

/** The metric families a result can carry, as report headers name them. */
export const METRIC_FAMILIES = ['canonical', 'lenient', 'symbolic', 'flowsteer'] as const;
export type MetricFamily = (typeof METRIC_FAMILIES)[number];

export interface ScoreResult {
  scorer: ScorerKind;
  /** canonical metrics: the official scripts' decisions, each in [0, 1]. */
  metrics: Record<string, number>;
  /** FlowSteer-compatible metrics (eval_only.py conventions, no LLM judge), each in [0, 1]. */
  flowsteer: Record<string, number>;
  /** forgiving matching (numeric equality, `$`, leading zeros, answers outside a box); never canonical. */
  lenient?: Record<string, number>;
  /** CAS equivalence, once {@link withSymbolic} has run the `symbolicQuery`. */
  symbolic?: Record<string, number>;
  /** what the CAS must decide for the `symbolic` metric (MATH, AIME, MathQA without a stated letter). */
  symbolicQuery?: SymbolicItem;
  /** the answer the canonical scorer read out of the prediction, where it extracts one. */
  extracted?: string | null;
  /** breakdown key, e.g. SQuAD v2 "HasAns" / "NoAns". */
  group?: string;
  /** set for code tasks: this scorer cannot judge them, the sandbox code scorer must. */
  needsSandbox?: { reason: string };
  /** TriviaQA with no ground truth: the official evaluate_triviaqa raises there (its is_exact_match says false). */
  note?: string;
}

const b = (x: boolean): number => (x ? 1 : 0);

function qaResult(scorer: ScorerKind, canonical: EmF1, prediction: string, golds: readonly string[], group?: string): ScoreResult {
  const fs = flowsteerQaScore(prediction, golds);
  return {
    scorer,
    metrics: { em: canonical.em, f1: canonical.f1 },
    flowsteer: { em: fs.em, f1: fs.f1, correct: fs.correct },
    extracted: prediction,
    ...(group ? { group } : {}),
  };
}

function mathqaOptions(task: BenchTask): Record<string, string> {
  const out: Record<string, string> = {};
  for (const letter of ['a', 'b', 'c', 'd', 'e']) {
    const v = task.meta?.[`option_${letter}`];
    if (typeof v === 'string') out[letter] = v;
  }
  return out;
}

/** The scorer a task uses: by dataset name, else by task type. */
export function scorerKindOfTask(task: Pick<BenchTask, 'dataset' | 'taskType'>): ScorerKind {
  return scorerKindFor(task.dataset) ?? scorerKindForTaskType(task.taskType);
}

/**
 * Score `prediction` (the final answer text of a session) against `task.answers`.
 * Pure and deterministic. Code tasks come back with `needsSandbox` and empty canonical metrics.
 */
export function scoreAnswer(task: BenchTask, prediction: string, scorer: ScorerKind = scorerKindOfTask(task)): ScoreResult {
  const golds = task.answers;
  const gold0 = golds[0] ?? '';
  switch (scorer) {
    case 'squad_v2': {
      const unanswerable = golds.every((g) => g === ''); // evaluate-v2.0.py: HasAns = the question has answers
      return qaResult(scorer, squadV2Score(prediction, golds), prediction, golds, unanswerable ? 'NoAns' : 'HasAns');
    }
    case 'hotpotqa':
      return qaResult(scorer, hotpotScoreMax(prediction, golds), prediction, golds);
    case 'triviaqa': {
      // golds = NormalizedAliases + HumanAnswers (normalising twice changes nothing)
      const r = qaResult(scorer, triviaqaScore(prediction, golds), prediction, golds);
      return golds.length === 0
        ? {
            ...r,
            note: 'no ground truth: the official evaluate_triviaqa raises on this item; scored as a miss, as its is_exact_match says',
          }
        : r;
    }
    case 'nq':
      return qaResult(scorer, nqScore(prediction, golds), prediction, golds);
    case 'gsm8k': {
      const gold = extractGsm8kGold(gold0);
      const canonical = gsm8kReferenceCorrect(prediction, gold);
      const lenient = extractGsm8kPrediction(prediction);
      return {
        scorer,
        metrics: { accuracy: b(canonical) },
        lenient: { accuracy: b(canonical || gsm8kNumbersEqual(lenient.value, gold)) },
        flowsteer: { accuracy: b(gsm8kFlowsteerCorrect(prediction, gold)) },
        extracted: extractGsm8kHashAnswer(prediction),
      };
    }
    case 'math': {
      const canonical = golds.some((g) => mathCorrectCanonical(prediction, g));
      const ans = extractMathPrediction(prediction);
      const lenientGolds = golds.map(extractMathGold);
      return {
        scorer,
        metrics: { accuracy: b(canonical) },
        lenient: { accuracy: b(canonical || lenientGolds.some((g) => mathEquivLenient(ans, g))) },
        flowsteer: { accuracy: b(lenientGolds.some((g) => mathEquivFlowsteer(ans, g))) },
        symbolicQuery: { prediction: ans, golds: golds.map((g) => mathGoldOfficial(g) ?? extractMathGold(g)) },
        extracted: extractBoxedAnswerOfficial(prediction),
      };
    }
    case 'aime': {
      const canonical = golds.some((g) => aimeCorrectCanonical(prediction, g));
      const v = extractAimeInteger(prediction);
      return {
        scorer,
        metrics: { accuracy: b(canonical) },
        lenient: { accuracy: b(golds.some((g) => aimeCorrect(prediction, g))) },
        flowsteer: { accuracy: b(golds.some((g) => mathEquivFlowsteer(extractMathPrediction(prediction), extractMathGold(g)))) },
        symbolicQuery: { prediction: extractMathPrediction(prediction), golds: [...golds] },
        extracted: v === null ? null : String(v),
      };
    }
    case 'mathqa': {
      const options = mathqaOptions(task);
      const stated = extractOptionLetter(prediction);
      const correctValue = options[gold0.trim().toLowerCase()];
      return {
        scorer,
        metrics: { accuracy: b(mathqaCorrectCanonical(prediction, gold0)) },
        lenient: { accuracy: b(mathqaCorrect(prediction, gold0, options)) },
        flowsteer: { accuracy: b(mathqaFlowsteerCorrect(prediction, gold0)) },
        // a stated letter is the answer; otherwise the CAS compares the stated value with the right option's
        ...(stated === null && correctValue !== undefined
          ? { symbolicQuery: { prediction: extractMathPrediction(prediction), golds: [correctValue] } }
          : {}),
        extracted: stated,
      };
    }
    case 'code':
      return {
        scorer,
        metrics: {},
        flowsteer: { 'pass@1': flowsteerCodePass(prediction) },
        needsSandbox: {
          reason: `${task.dataset} is a code task: run its tests with the sandbox code scorer (pass@k); this scorer only reports FlowSteer's self-reported "PASS"/"passed" check`,
        },
      };
  }
}

/**
 * FlowSteer-compatible code pass@1: the reference's eval counts a code item as solved when its own Test
 * operator said so (its output carries "PASS"/"passed"). A session passes its last Test verdict
 * (`null`: no Test ran, so 0); without one (a direct answer) the answer text is checked the same way.
 */
export function flowsteerCodePass(answer: string, workflowTestPassed?: boolean | null): number {
  if (workflowTestPassed !== undefined) return b(workflowTestPassed === true);
  return b(/PASS|passed/.test(answer));
}

/** Whether a result has a `symbolic` metric to compute (MATH, AIME, MathQA). */
export function hasSymbolicMetric(scorer: ScorerKind): boolean {
  return scorer === 'math' || scorer === 'aime' || scorer === 'mathqa';
}

/**
 * Fills the `symbolic` family: canonical OR the CAS found the extracted answer equivalent (a superset
 * of canonical by construction). Without a query (MathQA with a stated letter) it equals canonical.
 */
export function withSymbolic(result: ScoreResult, verdict: SymbolicVerdict | undefined): ScoreResult {
  if (!hasSymbolicMetric(result.scorer)) return result;
  const canonical = (result.metrics.accuracy ?? 0) >= 1;
  return { ...result, symbolic: { accuracy: b(canonical || verdict?.equivalent === true) } };
}
