import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { scoreAnswer } from '../scoring/score-answer';
import { defaultBenchDir } from './bench-dir';
import { BenchDataMissingError, formatProblem } from './load-problem';
import { datasetFiles, loadDataset } from './load-dataset';
import { DATASET_NAMES } from './registry';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('the shared bench data (real files)', () => {
  // counts from ../shared/bench/README.md; APPS has 150 lines of which 22 repeat an earlier problem verbatim
  it.each([
    ['gsm8k', {}, 1319],
    ['math', {}, 5000],
    ['math', { variant: 'math500' }, 500],
    ['hotpotqa', {}, 200],
    ['squad_v2', {}, 1292],
    ['mbpp', {}, 500],
    ['mbpp', { split: 'all' }, 974],
    ['mbpp', { variant: 'sanitized' }, 257],
    ['humaneval', {}, 164],
    ['mathqa', {}, 2985],
    ['aime2025', {}, 30],
    ['aime2025', { variant: 'aime25' }, 30],
    ['triviaqa', {}, 1000],
    ['triviaqa', { variant: 'sample' }, 1],
    ['nq', {}, 3610],
    ['nq', { variant: 'efficientqa-test' }, 1769],
    ['apps', {}, 128],
  ] as const)('%s %j has %d tasks', (name, opts, count) => {
    const r = loadDataset(name, opts);
    expect(r.tasks).toHaveLength(count);
    if (name !== 'apps') expect(r.problems).toEqual([]);
    expect(new Set(r.tasks.map((t) => t.id)).size).toBe(count);
    for (const t of r.tasks) {
      expect(t.problem.trim()).not.toBe('');
      if (t.taskType !== 'code') expect(t.answers.length).toBeGreaterThan(0);
    }
  });

  it('APPS: the duplicated problems of selected150 are reported, not loaded twice', () => {
    const r = loadDataset('apps');
    expect(r.problems).toHaveLength(22);
    expect(r.problems[0]?.message).toMatch(/duplicate id "\d+" \(identical to an earlier record; kept the first\)/);
    expect(r.problems[0]?.line).toBeGreaterThan(1);
  });

  it('maps records to tasks with their context and tests', () => {
    const squad = loadDataset('squad_v2').tasks;
    const impossible = squad.filter((t) => t.stratum === 'NoAns');
    expect(impossible).toHaveLength(580);
    expect(impossible.every((t) => t.answers.length === 1 && t.answers[0] === '')).toBe(true);
    expect(squad[0]?.problem).toMatch(/^Context:\nThe Normans[\s\S]*Question: In what country is Normandy located\?$/);

    const hotpot = loadDataset('hotpotqa').tasks[0];
    expect(hotpot?.problem).toContain('Constantin Medien: Constantin Medien AG');
    expect(hotpot?.answers).toEqual(['Gesellschaft mit beschränkter Haftung']);

    const he = loadDataset('humaneval').tasks[0];
    expect(he?.code).toMatchObject({ entryPoint: 'has_close_elements' });
    expect(he?.code?.tests).toContain('def check(candidate)');

    const mbpp = loadDataset('mbpp').tasks.find((t) => t.id === '11');
    expect(mbpp?.code?.entryPoint).toBe('remove_Occ');
    expect(mbpp?.problem).toContain('assert remove_Occ("hello","l") == "heo"');

    const mathqa = loadDataset('mathqa').tasks[0];
    expect(mathqa?.answers).toEqual(['a']);
    expect(mathqa?.problem).toContain('b) 27.675');
    expect(mathqa?.meta?.option_b).toBe('27.675');

    const apps = loadDataset('apps').tasks;
    expect(apps.filter((t) => t.code?.ioMode === 'call').every((t) => t.code?.entryPoint)).toBe(true);
    expect(apps.find((t) => t.code?.ioMode === 'stdio')?.code?.ioTests?.[0]?.output).toMatch(/\n$/);

    const math = loadDataset('math').tasks[0];
    expect(math).toMatchObject({ answers: ['2'], stratum: 'Algebra|level 3' });
    expect(
      loadDataset('aime2025')
        .tasks.map((t) => t.id)
        .slice(14, 16),
    ).toEqual(['I-15', 'II-1']);
  });

  it('every non-code gold scores 1 against itself under the canonical scorer', () => {
    // a cheap cross-check of loaders and scorers on real data (excludes the slow full MATH/NQ runs);
    // the canonical GSM8K grader reads "#### n", the AIME one a \boxed{} answer
    const stated: Record<string, (gold: string) => string> = { gsm8k: (g) => `#### ${g}`, aime2025: (g) => `\\boxed{${g}}` };
    for (const name of ['gsm8k', 'hotpotqa', 'triviaqa', 'mathqa', 'aime2025'] as const) {
      for (const t of loadDataset(name).tasks) {
        const r = scoreAnswer(t, (stated[name] ?? ((g: string) => g))(t.answers[0] ?? ''));
        expect(r.metrics[Object.keys(r.metrics)[0] ?? '']).toBe(1);
      }
    }
    for (const t of loadDataset('math', { variant: 'math500' }).tasks) {
      expect(scoreAnswer(t, `\\boxed{${t.answers[0]}}`).metrics.accuracy).toBe(1);
    }
  });

  it('DS-1000 says that no data exists and where it looked', () => {
    expect(() => loadDataset('ds1000')).toThrow(BenchDataMissingError);
    expect(() => loadDataset('ds1000')).toThrow(/DS-1000: no data at .*ds1000\.jsonl\.gz.*SOURCE\.md/);
  });

  it('resolves the bench dir from FLOWSTEER_BENCH_DIR or <repo>/../shared/bench', () => {
    expect(defaultBenchDir({ FLOWSTEER_BENCH_DIR: '/x/y' })).toBe('/x/y');
    expect(defaultBenchDir({})).toMatch(/shared\/bench$/);
    expect(datasetFiles('math500', { benchDir: '/b' })).toEqual({ variant: 'math500', files: ['/b/math/math500_test.jsonl'] });
  });
});

describe('user files and bad input', () => {
  it('reads gzip by magic bytes whatever the file name, and any layout', () => {
    const p = write('nq.data', gzipSync('{"question":"q1","answer":["a"]}\n{"question":"q2","answer":["b","c"]}\n'));
    const r = loadDataset('nq', { file: p });
    expect(r.tasks.map((t) => t.answers)).toEqual([['a'], ['b', 'c']]);
    expect(r.files).toEqual([p]);
  });

  it('skips malformed JSONL lines and reports file and line', () => {
    const p = write(
      'gsm.jsonl',
      [
        '{"question":"ok","answer":"x #### 1,234"}',
        '{"question": broken',
        '',
        '{"question":"no hash","answer":"42"}',
        '{"answer":"#### 3"}',
        '"a string"',
        '{"question":"fine","answer":"#### 7"}',
      ].join('\n'),
    );
    const r = loadDataset('gsm8k', { file: p });
    expect(r.tasks.map((t) => t.answers[0])).toEqual(['1234', '7']);
    expect(r.tasks.map((t) => t.id)).toEqual(['0', '5']); // position among non-blank records; bad ones keep theirs
    expect(r.problems.map((x) => [x.line, x.message])).toEqual([
      [2, expect.stringMatching(/not valid JSON/)],
      [4, 'answer has no "#### <number>" line'],
      [5, 'field "question" must be a string, got nothing'],
      [6, 'record is not a JSON object'],
    ]);
    expect(formatProblem(r.problems[0]!)).toBe(`${p}:2: ${r.problems[0]?.message}`);
  });

  it('SQuAD JSON: broken paragraphs and questions are reported by JSON position', () => {
    const doc = {
      version: 'v2.0',
      data: [
        {
          title: 'T',
          paragraphs: [
            {
              context: 'Paris is in France.',
              qas: [
                { id: 'q1', question: 'Where is Paris?', answers: [{ text: 'France', answer_start: 12 }], is_impossible: false },
                { id: 'q2', answers: [] },
              ],
            },
            { qas: [] },
          ],
        },
      ],
    };
    const r = loadDataset('squad_v2', { file: write('squad.json', JSON.stringify(doc)) });
    expect(r.tasks).toHaveLength(1);
    expect(r.tasks[0]).toMatchObject({ id: 'q1', answers: ['France'], meta: { answerable: true, title: 'T' } });
    expect(r.problems).toEqual([
      { file: expect.any(String), at: 'data[0].paragraphs[1]', message: 'paragraph without "context" and "qas"' },
      { file: expect.any(String), at: 'data[0].paragraphs[0].qas[1]', message: 'field "question" must be a string, got nothing' },
    ]);
  });

  it('JSON arrays (MathQA) report bad items by index', () => {
    const items = [
      { Problem: 'p', options: 'a ) 1 , b ) 2', correct: 'b', category: 'gain' },
      { Problem: 'p', options: 'no options here', correct: 'a' },
      { Problem: 'p', options: 'a ) 1 , b ) 2', correct: 'z' },
    ];
    const r = loadDataset('mathqa', { file: write('mq.json', JSON.stringify(items)) });
    expect(r.tasks.map((t) => t.answers)).toEqual([['b']]);
    expect(r.problems.map((x) => x.at)).toEqual(['[1]', '[2]']);
  });

  it('a truncated JSON array is one problem, not a crash', () => {
    const r = loadDataset('mathqa', { file: write('bad.json', '[{"Problem": "p"') });
    expect(r.tasks).toEqual([]);
    expect(r.problems).toEqual([{ file: expect.any(String), line: 1, message: 'not a valid JSON array' }]);
  });

  it('DS-1000 format is supported when a user has the file', () => {
    const rec = {
      prompt: 'import numpy as np\n# compute the mean\nresult = ... # put solution in this variable',
      reference_code: 'result = a.mean()',
      metadata: {
        problem_id: 7,
        library_problem_id: 7,
        library: 'Numpy',
        test_case_cnt: 1,
        perturbation_type: 'Origin',
        perturbation_origin_id: 7,
      },
      code_context: 'def test_execution(solution: str):\n    pass\ndef test_string(solution: str):\n    pass\n',
    };
    const r = loadDataset('ds1000', { file: write('ds1000.jsonl.gz', gzipSync(JSON.stringify(rec) + '\n')) });
    expect(r.tasks).toEqual([
      expect.objectContaining({ dataset: 'ds1000', id: '7', taskType: 'code', stratum: 'Numpy', code: { tests: rec.code_context } }),
    ]);
  });

  it('FLOWSTEER_DS1000_FILE points the DS-1000 loader at a local copy (one line, no code)', () => {
    const fixture = join(__dirname, 'fixtures', 'ds1000.fixture.jsonl');
    const r = loadDataset('ds1000', { env: { FLOWSTEER_DS1000_FILE: fixture } });
    expect(r.files).toEqual([fixture]);
    expect(r.tasks.map((t) => `${t.id}:${t.stratum}`)).toEqual(['900001:Numpy', '900002:Pandas', '900003:Scipy']);
    expect(() => loadDataset('ds1000', { env: { FLOWSTEER_DS1000_FILE: join(dir, 'nope.jsonl.gz') } })).toThrow(
      /DS-1000: no data at .*nope\.jsonl\.gz/,
    );
    expect(() => loadDataset('ds1000', { env: {} })).toThrow(/FLOWSTEER_DS1000_FILE=/);
  });

  it('TriviaQA original format: the ground truths are the official NormalizedAliases + HumanAnswers (not Value)', () => {
    const doc = {
      Data: [
        {
          Question: 'Which musical?',
          QuestionId: 'tc_33',
          Answer: {
            Value: 'Sunset Boulevard',
            Aliases: ['Sunset Blvd', 'Sunset Boulevard'],
            NormalizedAliases: ['sunset blvd', 'sunset boulevard'],
            HumanAnswers: ['Sunset Blvd.'],
          },
        },
        {
          Question: 'Older file?',
          QuestionId: 'tc_34',
          Answer: { Value: 'Sunset Boulevard', Aliases: ['Sunset Blvd', 'Sunset Boulevard'] },
        },
      ],
    };
    const r = loadDataset('triviaqa', { file: write('tqa.json', JSON.stringify(doc)) });
    expect(r.tasks[0]).toMatchObject({ id: 'tc_33', answers: ['sunset blvd', 'sunset boulevard', 'Sunset Blvd.'] });
    expect(r.tasks[1]).toMatchObject({ id: 'tc_34', answers: ['Sunset Boulevard', 'Sunset Blvd'] });
  });

  it("HotpotQA keeps numeric _ids as ids (AFlow's validate file has four)", () => {
    const r = loadDataset('hotpotqa');
    expect(r.tasks.filter((t) => /^\d+$/.test(t.id)).map((t) => t.id)).toEqual(['37', '61', '95', '79']);
  });

  it('missing dataset dir or file names the path it looked in', () => {
    expect(() => loadDataset('gsm8k', { benchDir: join(dir, 'nowhere') })).toThrow(
      new RegExp(`GSM8K: no data at ${join(dir, 'nowhere', 'gsm8k', 'test.jsonl')}`),
    );
    try {
      loadDataset('nq', { file: join(dir, 'missing.jsonl') });
    } catch (e) {
      expect((e as BenchDataMissingError).paths).toEqual([join(dir, 'missing.jsonl')]);
    }
    expect.assertions(2);
  });

  it('unknown names and variants are clear errors', () => {
    expect(() => loadDataset('imagenet')).toThrow(/unknown dataset "imagenet" \(known: gsm8k, math/);
    expect(() => loadDataset('math', { variant: 'train' })).toThrow(/MATH has no variant "train" \(variants: test, math500\)/);
  });

  it('the registry lists the 12 benchmarks', () => expect(DATASET_NAMES).toHaveLength(12));
});
