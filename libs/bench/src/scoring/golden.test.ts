/**
 * Golden vectors: decisions of the unmodified official scorer scripts (golden/SOURCE.md says which
 * scripts, at which commits, and how they were run), replayed against the canonical scorers here.
 * Every case must agree decision for decision; F1 values to 1e-12. Cases marked `bench` refer to a
 * line of ../shared/bench by id and a prediction template (no benchmark text is stored here); they
 * run when that directory exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchTask } from '@flowsteer/contracts';
import { defaultBenchDir } from '../datasets/bench-dir';
import { loadDataset } from '../datasets/load-dataset';
import { extractGsm8kGold, extractGsm8kHashAnswer } from './gsm8k';
import { extractBoxedAnswerOfficial } from './math-boxed';
import { isEquiv, stripMathString } from './math-strip';
import { scorePredictionLine } from './prediction-line';
import { hotpotScore } from './qa-scorers';
import { scoreAnswer } from './score-answer';

interface Case {
  id: string;
  kind: 'adversarial' | 'random' | 'bench';
  input?: Record<string, unknown>;
  official: Record<string, unknown>;
  bench?: { dataset: string; id: string; variant?: string };
  template?: string;
  note?: string;
}

const GOLDEN = join(__dirname, 'golden');
const read = (file: string): Case[] =>
  readFileSync(join(GOLDEN, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Case);

const FILES = [
  'gsm8k.jsonl',
  'math-is-equiv.jsonl',
  'math-pipeline.jsonl',
  'squad-v2.jsonl',
  'hotpotqa.jsonl',
  'triviaqa.jsonl',
  'nq-open.jsonl',
];
const ALL = Object.fromEntries(FILES.map((f) => [f, read(f)]));
const own = (file: string) => (ALL[file] ?? []).filter((c) => c.kind !== 'bench');
const benchCases = (file: string) => (ALL[file] ?? []).filter((c) => c.kind === 'bench');
const HAVE_BENCH = existsSync(defaultBenchDir());
const benchIt = HAVE_BENCH ? it : it.skip;

const task = (dataset: string, answers: string[], taskType: BenchTask['taskType'] = 'qa'): BenchTask => ({
  dataset,
  id: 'g',
  taskType,
  problem: '',
  answers,
});
const str = (v: unknown): string => v as string;
const num = (v: unknown): number => (typeof v === 'boolean' ? (v ? 1 : 0) : (v as number));

/** The generator's template filling: `{gold}`, words of the gold split on single spaces, `{solution}`. */
function fill(template: string, gold: string, extra: Record<string, string> = {}): string {
  const words = gold.split(' ');
  const subs: Record<string, string> = {
    gold,
    gold_first_word: words[0] ?? '',
    gold_last_word: words[words.length - 1] ?? '',
    gold_without_first_word: words.slice(1).join(' '),
    gold_nospace: gold.replaceAll(' ', ''),
    ...extra,
  };
  let out = template;
  for (const [k, v] of Object.entries(subs)) out = out.replaceAll(`{${k}}`, v);
  return out;
}

function expectEmF1(got: { em?: number; f1?: number }, official: Record<string, unknown>, id: string): void {
  expect({ id, em: got.em }).toEqual({ id, em: num(official.em) });
  expect(Math.abs((got.f1 ?? NaN) - num(official.f1))).toBeLessThan(1e-12);
}

const byId = new Map<string, Map<string, BenchTask>>();
function benchTask(dataset: string, id: string, variant?: string): BenchTask {
  const key = `${dataset}|${variant ?? ''}`;
  if (!byId.has(key)) byId.set(key, new Map(loadDataset(dataset, variant ? { variant } : {}).tasks.map((t) => [t.id, t])));
  const t = byId.get(key)?.get(id);
  if (!t) throw new Error(`${dataset} ${id} not found in the bench data`);
  return t;
}

describe('golden vectors from the official scorer scripts', () => {
  it('hold at least 500 self-contained cases (CI without ../shared/bench still checks these)', () => {
    const n = FILES.reduce((s, f) => s + own(f).length, 0);
    expect(n).toBeGreaterThanOrEqual(500);
  });

  it('GSM8K: grade-school-math dataset.py extract_answer / is_correct', () => {
    for (const c of own('gsm8k.jsonl')) {
      const answer = str(c.input?.answer);
      const prediction = str(c.input?.prediction);
      expect({ id: c.id, gold: extractGsm8kGold(answer) }).toEqual({ id: c.id, gold: c.official.gold });
      expect({ id: c.id, extracted: extractGsm8kHashAnswer(prediction) ?? '[invalid]' }).toEqual({
        id: c.id,
        extracted: c.official.extracted,
      });
      expect({ id: c.id, accuracy: scoreAnswer(task('gsm8k', [answer], 'math'), prediction).metrics.accuracy }).toEqual({
        id: c.id,
        accuracy: num(c.official.correct),
      });
    }
  });

  it('MATH: math_equivalence.py _strip_string and is_equiv', () => {
    for (const c of own('math-is-equiv.jsonl')) {
      const a = str(c.input?.a);
      const b = str(c.input?.b);
      expect({ id: c.id, equiv: isEquiv(a, b) }).toEqual({ id: c.id, equiv: c.official.equiv });
      for (const [s, expected] of [
        [a, c.official.strip_a],
        [b, c.official.strip_b],
      ] as const) {
        if (typeof expected === 'string') expect({ id: c.id, stripped: stripMathString(s) }).toEqual({ id: c.id, stripped: expected });
        else expect(() => stripMathString(s)).toThrow();
      }
    }
  });

  it('MATH: the harness pipeline (last_boxed_only_string, remove_boxed, is_equiv)', () => {
    for (const c of own('math-pipeline.jsonl')) {
      const prediction = str(c.input?.prediction);
      const solution = str(c.input?.solution);
      const p = extractBoxedAnswerOfficial(prediction);
      const g = extractBoxedAnswerOfficial(solution);
      expect({ id: c.id, p, g }).toEqual({ id: c.id, p: c.official.pred_answer, g: c.official.gold_answer });
      expect({ id: c.id, correct: isEquiv(p, g) }).toEqual({ id: c.id, correct: c.official.correct });
      // through the scorer: a gold holding a box is read the reference way (a bare gold is taken as the answer itself)
      if (/\\boxed|\\fbox/.test(solution)) {
        expect({ id: c.id, accuracy: scoreAnswer(task('math', [solution], 'math'), prediction).metrics.accuracy }).toEqual({
          id: c.id,
          accuracy: num(c.official.correct),
        });
      }
    }
  });

  it('SQuAD v2: evaluate-v2.0.py get_raw_scores (exact, f1, gold filtering, unanswerable rule)', () => {
    for (const c of own('squad-v2.jsonl')) {
      const answers = c.input?.answers as string[];
      const r = scorePredictionLine({ dataset: 'squad_v2', prediction: c.input?.prediction, answers });
      if (!r.ok) throw new Error(`${c.id}: ${r.error}`);
      expectEmF1(r.metrics, c.official, c.id);
      // make_qid_to_has_ans: a question with answers is HasAns (an explicit [""] is how a line says "no answer")
      expect({ id: c.id, group: r.group }).toEqual({
        id: c.id,
        group: c.official.has_ans && !answers.every((a) => a === '') ? 'HasAns' : 'NoAns',
      });
    }
  });

  it('HotpotQA: hotpot_evaluate_v1.py exact_match_score and f1_score', () => {
    for (const c of own('hotpotqa.jsonl')) {
      const prediction = str(c.input?.prediction);
      const answer = str(c.input?.answer);
      expectEmF1(hotpotScore(prediction, answer), c.official, c.id);
      expectEmF1(scoreAnswer(task('hotpotqa', [answer]), prediction).metrics, c.official, c.id);
    }
  });

  it('TriviaQA: triviaqa_evaluation.py evaluate_triviaqa, empty alias lists scored as its is_exact_match does', () => {
    for (const c of own('triviaqa.jsonl')) {
      const line = {
        dataset: 'triviaqa',
        prediction: c.input?.prediction,
        answers: c.input?.aliases,
        ...(c.input?.human_answers ? { human_answers: c.input.human_answers } : {}),
      };
      const r = scorePredictionLine(line);
      if (!r.ok) throw new Error(`${c.id}: ${r.error}`);
      if ('raises' in c.official) {
        expect({ id: c.id, em: r.metrics.em, f1: r.metrics.f1, note: typeof r.note }).toEqual({
          id: c.id,
          em: num(c.official.is_exact_match),
          f1: 0,
          note: 'string',
        });
      } else {
        expectEmF1(r.metrics, c.official, c.id);
        expect({ id: c.id, em: r.metrics.em }).toEqual({ id: c.id, em: num(c.official.is_exact_match) });
      }
    }
  });

  it('NQ-open: orqa eval_utils is_correct (EM) and SQuAD v1.1 f1_score (F1)', () => {
    for (const c of own('nq-open.jsonl')) {
      expectEmF1(scoreAnswer(task('nq', c.input?.answers as string[]), str(c.input?.prediction)).metrics, c.official, c.id);
    }
  });

  describe('on real bench lines (loader + scorer, predictions from templates)', () => {
    benchIt('GSM8K test', () => {
      for (const c of benchCases('gsm8k.jsonl')) {
        const t = benchTask('gsm8k', c.bench?.id ?? '');
        expect({ id: c.id, gold: t.answers[0] }).toEqual({ id: c.id, gold: c.official.gold });
        expect({ id: c.id, accuracy: scoreAnswer(t, fill(c.template ?? '', t.answers[0] ?? '')).metrics.accuracy }).toEqual({
          id: c.id,
          accuracy: num(c.official.correct),
        });
      }
    });

    benchIt('MATH test', () => {
      const raw = new Map(
        readFileSync(join(defaultBenchDir(), 'math', 'test.jsonl'), 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as { idx: number; solution: string })
          .map((r) => [String(r.idx), r.solution]),
      );
      for (const c of benchCases('math-pipeline.jsonl')) {
        const t = benchTask('math', c.bench?.id ?? '');
        const prediction = fill(c.template ?? '', t.answers[0] ?? '', { solution: raw.get(t.id) ?? '' });
        expect({ id: c.id, accuracy: scoreAnswer(t, prediction).metrics.accuracy }).toEqual({
          id: c.id,
          accuracy: num(c.official.correct),
        });
      }
    });

    benchIt('SQuAD v2 dev subset', () => {
      for (const c of benchCases('squad-v2.jsonl')) {
        const t = benchTask('squad_v2', c.bench?.id ?? '');
        const first = t.answers[0] ?? '';
        expectEmF1(scoreAnswer(t, fill(c.template ?? '', first)).metrics, c.official, c.id);
      }
    });

    benchIt('HotpotQA validate', () => {
      for (const c of benchCases('hotpotqa.jsonl')) {
        const t = benchTask('hotpotqa', c.bench?.id ?? '');
        expectEmF1(scoreAnswer(t, fill(c.template ?? '', t.answers[0] ?? '')).metrics, c.official, c.id);
      }
    });

    benchIt('TriviaQA (open-domain file and the original-format sample)', () => {
      const sample = JSON.parse(readFileSync(join(defaultBenchDir(), 'triviaqa', 'triviaqa_sample.json'), 'utf8')) as {
        Data: { QuestionId: string; Answer: { Value: string } }[];
      };
      for (const c of benchCases('triviaqa.jsonl')) {
        const t = benchTask('triviaqa', c.bench?.id ?? '', c.bench?.variant);
        const seed =
          c.bench?.variant === 'sample' ? (sample.Data.find((d) => d.QuestionId === t.id)?.Answer.Value ?? '') : (t.answers[0] ?? '');
        expectEmF1(scoreAnswer(t, fill(c.template ?? '', seed)).metrics, c.official, c.id);
      }
    });

    benchIt('NQ-open dev', () => {
      for (const c of benchCases('nq-open.jsonl')) {
        const t = benchTask('nq', c.bench?.id ?? '');
        expectEmF1(scoreAnswer(t, fill(c.template ?? '', t.answers[0] ?? '')).metrics, c.official, c.id);
      }
    });
  });
});
