/** One entry point: score a prediction for a task, canonical metrics and FlowSteer-compatible ones. */
import type { BenchTask } from '@flowsteer/contracts';
import { aimeCorrect, extractAimeInteger } from './aime';
import { extractOptionLetter, mathqaCorrect, mathqaFlowsteerCorrect } from './choice';
import { extractGsm8kGold, extractGsm8kPrediction, gsm8kFlowsteerCorrect, gsm8kNumbersEqual, gsm8kReferenceCorrect } from './gsm8k';
import { extractMathGold, extractMathPrediction, mathEquivCanonical, mathEquivFlowsteer, mathEquivSymbolic } from './math-answer';
import { flowsteerQaScore, hotpotScoreMax, nqScore, squadV2Score, triviaqaScore, type EmF1 } from './qa-scorers';
import { scorerKindFor, scorerKindForTaskType, type ScorerKind } from './scorer-kind';

export interface ScoreResult {
  scorer: ScorerKind;
  /** canonical metrics (reference scripts), each in [0, 1]. */
  metrics: Record<string, number>;
  /** FlowSteer-compatible metrics (eval_only.py conventions, no LLM judge), each in [0, 1]. */
  flowsteer: Record<string, number>;
  /** the answer the scorer read out of the prediction, where it extracts one. */
  extracted?: string | null;
  /** breakdown key, e.g. SQuAD v2 "HasAns" / "NoAns". */
  group?: string;
  /** set for code tasks: this scorer cannot judge them, the sandbox code scorer must. */
  needsSandbox?: { reason: string };
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
      const unanswerable = golds.every((g) => g.trim() === '');
      return qaResult(scorer, squadV2Score(prediction, golds), prediction, golds, unanswerable ? 'NoAns' : 'HasAns');
    }
    case 'hotpotqa':
      return qaResult(scorer, hotpotScoreMax(prediction, golds), prediction, golds);
    case 'triviaqa':
      return qaResult(scorer, triviaqaScore(prediction, golds), prediction, golds);
    case 'nq':
      return qaResult(scorer, nqScore(prediction, golds), prediction, golds);
    case 'gsm8k': {
      const gold = extractGsm8kGold(gold0);
      const ex = extractGsm8kPrediction(prediction);
      return {
        scorer,
        metrics: { accuracy: b(gsm8kNumbersEqual(ex.value, gold)), reference_hash_match: b(gsm8kReferenceCorrect(prediction, gold)) },
        flowsteer: { accuracy: b(gsm8kFlowsteerCorrect(prediction, gold)) },
        extracted: ex.value,
      };
    }
    case 'math': {
      const ans = extractMathPrediction(prediction);
      const anyGold = (f: (p: string, g: string) => boolean): boolean => golds.some((g) => f(ans, extractMathGold(g)));
      return {
        scorer,
        metrics: { accuracy: b(anyGold(mathEquivCanonical)), accuracy_symbolic: b(anyGold(mathEquivSymbolic)) },
        flowsteer: { accuracy: b(anyGold(mathEquivFlowsteer)) },
        extracted: ans,
      };
    }
    case 'aime': {
      const v = extractAimeInteger(prediction);
      return {
        scorer,
        metrics: { accuracy: b(golds.some((g) => aimeCorrect(prediction, g))) },
        flowsteer: { accuracy: b(golds.some((g) => mathEquivFlowsteer(extractMathPrediction(prediction), extractMathGold(g)))) },
        extracted: v === null ? null : String(v),
      };
    }
    case 'mathqa': {
      const options = mathqaOptions(task);
      const letter = extractOptionLetter(prediction, options);
      return {
        scorer,
        metrics: { accuracy: b(mathqaCorrect(prediction, gold0, options)) },
        flowsteer: { accuracy: b(mathqaFlowsteerCorrect(prediction, gold0)) },
        extracted: letter,
      };
    }
    case 'code':
      return {
        scorer,
        metrics: {},
        flowsteer: { self_reported_pass: b(/PASS|passed/.test(prediction)) },
        needsSandbox: {
          reason: `${task.dataset} is a code task: run its tests with the sandbox code scorer (pass@k); this scorer only reports FlowSteer's self-reported "PASS"/"passed" check`,
        },
      };
  }
}
