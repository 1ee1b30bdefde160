/** Record -> task for the math benchmarks: GSM8K, MATH (test and MATH-500), AIME 2025, MathQA. */
import type { BenchTask } from '@flowsteer/contracts';
import { BadRecord } from '../load-problem';
import { extractGsm8kGold, extractGsm8kHashAnswer } from '../../scoring/gsm8k';
import { extractBoxedAnswerOfficial } from '../../scoring/math-boxed';
import { OPTION_LETTERS, parseMathqaOptions } from '../../scoring/choice';
import { asObject, nonEmpty, optStr, str, strOrNum, type Json } from './fields';
import type { RecordContext } from './record-context';

export function gsm8kTask(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const answer = str(rec, 'answer');
  if (extractGsm8kHashAnswer(answer) === null) throw new BadRecord('answer has no "#### <number>" line');
  return {
    dataset: 'gsm8k',
    id: String(ctx.index),
    taskType: 'math',
    problem: nonEmpty(str(rec, 'question'), 'question'),
    answers: [extractGsm8kGold(answer)],
  };
}

/** "Level 3" -> 3; MATH-500 has the number already; "Level ?" stays as given. */
function levelOf(rec: Json): string {
  const v = rec.level;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.replace(/^Level\s*/i, '');
  return '?';
}

/** MATH test (`problem`, `solution`, `level`, `type`) and MATH-500 (`answer`, `subject`, `unique_id`). */
export function mathTask(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const solution = optStr(rec, 'solution');
  // the reference harness's gold: remove_boxed(last_boxed_only_string(solution)); MATH-500 gives it as `answer`
  const answer = optStr(rec, 'answer') ?? (solution !== undefined ? extractBoxedAnswerOfficial(solution) : null);
  if (answer === null || answer === undefined)
    throw new BadRecord('no "answer" field and no \\boxed{...} answer in "solution" (the reference extraction finds none)');
  const subject = optStr(rec, 'type') ?? optStr(rec, 'subject') ?? 'unknown';
  const level = levelOf(rec);
  const id = optStr(rec, 'unique_id') ?? (typeof rec.idx === 'number' ? String(rec.idx) : String(ctx.index));
  return {
    dataset: 'math',
    id,
    taskType: 'math',
    problem: nonEmpty(str(rec, 'problem'), 'problem'),
    answers: [answer],
    stratum: `${subject}|level ${level}`,
    meta: { subject, level, ...(ctx.variant ? { variant: ctx.variant } : {}) },
  };
}

/** AIME 2025 (`question` or `problem`, `answer`); ids `I-1`..`II-15` from the file name when it says which exam. */
export function aimeTask(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const problem = optStr(rec, 'question') ?? optStr(rec, 'problem');
  if (problem === undefined) throw new BadRecord('needs "question" or "problem"');
  const exam = /aime2025-ii/i.test(ctx.file) ? 'II' : /aime2025-i[^i]/i.test(ctx.file) ? 'I' : undefined;
  return {
    dataset: 'aime2025',
    id: exam ? `${exam}-${ctx.index + 1}` : String(ctx.index),
    taskType: 'math',
    problem: nonEmpty(problem, 'problem'),
    answers: [strOrNum(rec, 'answer')],
    ...(exam ? { stratum: `AIME 2025 ${exam}`, meta: { exam } } : {}),
  };
}

/** MathQA (`Problem`, `options`, `correct`, `category`): options rendered under the problem, gold = letter. */
export function mathqaTask(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const correct = str(rec, 'correct').trim().toLowerCase();
  if (!/^[a-e]$/.test(correct)) throw new BadRecord(`"correct" must be one of a-e, got "${correct}"`);
  const options = parseMathqaOptions(str(rec, 'options'));
  const letters = OPTION_LETTERS.filter((l) => options[l] !== undefined);
  if (letters.length < 2 || options[correct as 'a'] === undefined) throw new BadRecord(`cannot parse "options" (${str(rec, 'options')})`);
  const optionLines = letters.map((l) => `${l}) ${options[l]}`).join('\n');
  const category = optStr(rec, 'category') ?? 'unknown';
  const meta: Record<string, string> = { category };
  for (const l of letters) meta[`option_${l}`] = options[l] ?? '';
  return {
    dataset: 'mathqa',
    id: String(ctx.index),
    taskType: 'multiple-choice',
    problem: `${nonEmpty(str(rec, 'Problem'), 'Problem').trim()}\n\nOptions:\n${optionLines}\n\nAnswer with the letter of the correct option.`,
    answers: [correct],
    stratum: category,
    meta,
  };
}
