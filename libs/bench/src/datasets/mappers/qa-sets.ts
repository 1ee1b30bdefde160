/** Record -> task for the QA benchmarks: HotPotQA, SQuAD v2, TriviaQA, NQ-open. */
import type { BenchTask } from '@flowsteer/contracts';
import { BadRecord } from '../load-problem';
import { asObject, nonEmpty, optStr, str, strList, strOrNum, type Json } from './fields';
import type { RecordContext } from './record-context';

/** HotPotQA distractor record: the 10 titled paragraphs go into the problem (AFlow's reading-comprehension setting). */
export function hotpotqaTask(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const context = rec.context;
  if (!Array.isArray(context)) throw new BadRecord('field "context" must be a list of [title, sentences]');
  const paragraphs = context.map((p, i) => {
    if (!Array.isArray(p) || typeof p[0] !== 'string' || !Array.isArray(p[1]))
      throw new BadRecord(`context[${i}] is not [title, sentences]`);
    return `${p[0]}: ${(p[1] as unknown[]).map(String).join('')}`;
  });
  const level = optStr(rec, 'level') ?? 'unknown';
  const type = optStr(rec, 'type') ?? 'unknown';
  return {
    dataset: 'hotpotqa',
    // AFlow's validate file has a few numeric ids (37, 61, 95, 79): kept as their text, not replaced by the position
    id: rec._id !== undefined ? strOrNum(rec, '_id') : String(ctx.index),
    taskType: 'qa',
    problem: `Context:\n${paragraphs.join('\n')}\n\nQuestion: ${nonEmpty(str(rec, 'question'), 'question')}`,
    answers: [nonEmpty(str(rec, 'answer'), 'answer')],
    stratum: `${level}|${type}`,
    meta: { level, type },
  };
}

function squadAnswerTexts(rec: Json, key: string): string[] {
  const v = rec[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new BadRecord(`field "${key}" must be a list`);
  return v.map((a, i) => {
    if (typeof a !== 'object' || a === null || typeof (a as Json).text !== 'string') throw new BadRecord(`${key}[${i}] has no "text"`);
    return (a as Json).text as string;
  });
}

/**
 * SQuAD v2 question (flattened by the reader with its paragraph `context`). Unanswerable questions
 * (`is_impossible`, or no answers) get the gold `[""]`, as evaluate-v2.0.py does.
 */
export function squadV2Task(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const answers = squadAnswerTexts(rec, 'answers');
  const impossible = rec.is_impossible === true || answers.length === 0;
  return {
    dataset: 'squad_v2',
    id: optStr(rec, 'id') ?? String(ctx.index),
    taskType: 'qa',
    problem: `Context:\n${nonEmpty(str(rec, 'context'), 'context')}\n\nQuestion: ${nonEmpty(str(rec, 'question'), 'question')}`,
    answers: impossible ? [''] : answers,
    stratum: impossible ? 'NoAns' : 'HasAns',
    meta: { answerable: !impossible, ...(typeof rec.title === 'string' ? { title: rec.title } : {}) },
  };
}

/**
 * TriviaQA open-domain JSONL (`question`, `answers`) or an original-format item (`Question`, `Answer`).
 * Original format: the ground truths are the official script's `get_ground_truths`, i.e.
 * `NormalizedAliases` + `HumanAnswers` (not `Value`); files without `NormalizedAliases` fall back to
 * `Value` + `Aliases`.
 */
export function triviaqaTask(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  if (typeof rec.Question === 'string') {
    const answer = asObject(rec.Answer);
    const aliases =
      answer.NormalizedAliases !== undefined
        ? [...strList(answer, 'NormalizedAliases'), ...(answer.HumanAnswers === undefined ? [] : strList(answer, 'HumanAnswers'))]
        : [...new Set([...(typeof answer.Value === 'string' ? [answer.Value] : []), ...strList(answer, 'Aliases')])];
    if (aliases.length === 0) throw new BadRecord('Answer has no ground truth (NormalizedAliases, HumanAnswers, Value or Aliases)');
    return {
      dataset: 'triviaqa',
      id: optStr(rec, 'QuestionId') ?? String(ctx.index),
      taskType: 'qa',
      problem: nonEmpty(rec.Question, 'Question'),
      answers: aliases,
    };
  }
  const answers = strList(rec, 'answers');
  if (answers.length === 0) throw new BadRecord('"answers" is empty');
  return {
    dataset: 'triviaqa',
    id: optStr(rec, 'id') ?? String(ctx.index),
    taskType: 'qa',
    problem: nonEmpty(str(rec, 'question'), 'question'),
    answers,
  };
}

/** NQ-open (`question`, `answer`: list of strings). */
export function nqTask(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const answers = strList(rec, 'answer');
  if (answers.length === 0) throw new BadRecord('"answer" is empty');
  return {
    dataset: 'nq',
    id: String(ctx.index),
    taskType: 'qa',
    problem: nonEmpty(str(rec, 'question'), 'question'),
    answers,
  };
}
