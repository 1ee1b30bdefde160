/** Record -> task for the code benchmarks: MBPP (full and sanitized), HumanEval, APPS (MapCoder layout), DS-1000. */
import type { BenchTask, IoTest } from '@flowsteer/contracts';
import { BadRecord } from '../load-problem';
import { asObject, nonEmpty, optStr, str, strList, strOrNum, type Json } from './fields';
import type { RecordContext } from './record-context';

/** MBPP split by task id (Austin et al.): 1-10 prompt, 11-510 test, 511-600 validation, 601-974 train. */
export function mbppSplit(taskId: number): 'prompt' | 'test' | 'validation' | 'train' {
  if (taskId <= 10) return 'prompt';
  if (taskId <= 510) return 'test';
  if (taskId <= 600) return 'validation';
  return 'train';
}

/** The function the asserts call: the first `def` of the reference code that a test mentions. */
export function mbppEntryPoint(code: string, tests: readonly string[]): string | undefined {
  const defs = [...code.matchAll(/^def\s+([A-Za-z_]\w*)\s*\(/gm)].map((m) => m[1] ?? '');
  const joined = tests.join('\n');
  const called = defs.find((d) => new RegExp(`\\b${d}\\s*\\(`).test(joined));
  if (called) return called;
  const fromAssert = /assert\s+(?:not\s+)?(?:\w+\()*?([A-Za-z_]\w*)\s*\(/.exec(tests[0] ?? '');
  return fromAssert?.[1] ?? defs[0];
}

/** MBPP full (`text`, `test_setup_code`, `challenge_test_list`) and sanitized (`prompt`, `test_imports`). */
export function mbppTask(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const text = optStr(rec, 'text') ?? optStr(rec, 'prompt');
  if (text === undefined) throw new BadRecord('needs "text" (mbpp.jsonl) or "prompt" (sanitized)');
  const taskId = rec.task_id;
  if (typeof taskId !== 'number') throw new BadRecord('field "task_id" must be a number');
  const tests = strList(rec, 'test_list');
  if (tests.length === 0) throw new BadRecord('"test_list" is empty');
  const setup = [optStr(rec, 'test_setup_code') ?? '', ...(Array.isArray(rec.test_imports) ? rec.test_imports.map(String) : [])]
    .filter((s) => s.trim() !== '')
    .join('\n');
  const challenge = Array.isArray(rec.challenge_test_list) ? rec.challenge_test_list.map(String) : [];
  const entryPoint = mbppEntryPoint(typeof rec.code === 'string' ? rec.code : '', tests);
  return {
    dataset: 'mbpp',
    id: String(taskId),
    taskType: 'code',
    problem: `${nonEmpty(text, 'text').trim()}\nYour code should pass these tests:\n\n${tests.join('\n')}`,
    answers: typeof rec.code === 'string' ? [rec.code] : [],
    code: {
      ...(entryPoint ? { entryPoint } : {}),
      tests: tests.join('\n'),
      ...(setup ? { testSetup: setup } : {}),
      ...(challenge.length > 0 ? { extraTests: challenge.join('\n') } : {}),
    },
    meta: { split: mbppSplit(taskId), ...(ctx.variant ? { variant: ctx.variant } : {}) },
  };
}

/** HumanEval: the prompt is both the problem and the code the completion continues. */
export function humanevalTask(value: unknown, _ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const prompt = nonEmpty(str(rec, 'prompt'), 'prompt');
  return {
    dataset: 'humaneval',
    id: str(rec, 'task_id'),
    taskType: 'code',
    problem: prompt,
    answers: typeof rec.canonical_solution === 'string' ? [prompt + rec.canonical_solution] : [],
    code: { entryPoint: str(rec, 'entry_point'), tests: nonEmpty(str(rec, 'test'), 'test'), starterCode: prompt },
  };
}

function ioList(rec: Json, key: string, callMode: boolean): IoTest[] {
  const v = rec[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new BadRecord(`field "${key}" must be a list`);
  return v.map((t, i) => {
    const o = asObject(t);
    if (typeof o.input !== 'string') throw new BadRecord(`${key}[${i}].input must be a string`);
    const out = o.output;
    const first: unknown = Array.isArray(out) && out.length === 1 ? out[0] : out;
    const output = callMode ? JSON.stringify(first) : typeof first === 'string' ? first : JSON.stringify(first);
    return { input: o.input, output };
  });
}

/**
 * APPS in MapCoder's selected150 layout (`description`, `difficulty`, `starter_code`, `sample_io`,
 * `test_list`). A non-empty starter function means call-based tests, otherwise stdin/stdout.
 */
export function appsTask(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const starter = optStr(rec, 'starter_code') ?? '';
  const callMode = starter.trim() !== '';
  const entryPoint = callMode ? /def\s+([A-Za-z_]\w*)\s*\(/.exec(starter)?.[1] : undefined;
  const tests = ioList(rec, 'test_list', callMode);
  if (tests.length === 0) throw new BadRecord('"test_list" is empty');
  const difficulty = optStr(rec, 'difficulty') ?? 'unknown';
  const howTo = callMode
    ? `Complete this function (it is called with the test arguments; return the answer):\n\`\`\`python\n${starter.trim()}\n\`\`\``
    : 'Read the input from standard input and write the answer to standard output.';
  const id = rec.id !== undefined ? strOrNum(rec, 'id') : rec.name !== undefined ? strOrNum(rec, 'name') : String(ctx.index);
  return {
    dataset: 'apps',
    id,
    taskType: 'code',
    problem: `${nonEmpty(str(rec, 'description'), 'description').trim()}\n\n${howTo}`,
    answers: [],
    code: {
      ...(entryPoint ? { entryPoint } : {}),
      ...(callMode ? { starterCode: starter } : {}),
      ioTests: tests,
      ioMode: callMode ? 'call' : 'stdio',
    },
    stratum: difficulty,
    meta: { difficulty, samples: ioList(rec, 'sample_io', callMode).length },
  };
}

/** DS-1000 official record (`prompt`, `reference_code`, `metadata`, `code_context`). */
export function ds1000Task(value: unknown, ctx: RecordContext): BenchTask {
  const rec = asObject(value);
  const metadata = rec.metadata === undefined ? {} : asObject(rec.metadata);
  const library = typeof metadata.library === 'string' ? metadata.library : 'unknown';
  const id = metadata.problem_id !== undefined ? strOrNum(metadata, 'problem_id') : String(ctx.index);
  return {
    dataset: 'ds1000',
    id,
    taskType: 'code',
    problem: nonEmpty(str(rec, 'prompt'), 'prompt'),
    answers: typeof rec.reference_code === 'string' ? [rec.reference_code] : [],
    code: { tests: nonEmpty(str(rec, 'code_context'), 'code_context') },
    stratum: library,
    meta: { library, ...(typeof metadata.perturbation_type === 'string' ? { perturbation: metadata.perturbation_type } : {}) },
  };
}
