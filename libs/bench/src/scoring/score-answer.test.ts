import type { BenchTask } from '@flowsteer/contracts';
import { answerInstruction, asAnswerLine } from './answer-format';
import { scorePredictionLine, scorePredictionsText } from './prediction-line';
import { scoreAnswer, withSymbolic } from './score-answer';
import { scorerKindFor } from './scorer-kind';

const task = (dataset: string, answers: string[], extra: Partial<BenchTask> = {}): BenchTask => ({
  dataset,
  id: '1',
  taskType: 'qa',
  problem: 'p',
  answers,
  ...extra,
});

describe('scoreAnswer', () => {
  it('SQuAD v2: canonical and FlowSteer side by side, with the HasAns/NoAns group', () => {
    const r = scoreAnswer(task('squad_v2', ['Denver Broncos']), 'the Broncos');
    expect(r.metrics.em).toBe(0);
    expect(r.metrics.f1).toBeCloseTo(2 / 3);
    expect(r.flowsteer).toEqual({ em: 0, f1: expect.closeTo(2 / 3), correct: 1 });
    expect(r.group).toBe('HasAns');
    const no = scoreAnswer(task('squad_v2', ['']), '');
    expect(no.metrics).toEqual({ em: 1, f1: 1 });
    expect(no.flowsteer.f1).toBe(0);
    expect(no.group).toBe('NoAns');
  });
  it('HotpotQA yes/no rule', () => expect(scoreAnswer(task('hotpotqa', ['no']), 'no, it was not').metrics).toEqual({ em: 0, f1: 0 }));
  it('TriviaQA and NQ over aliases', () => {
    expect(scoreAnswer(task('triviaqa', ['Sunset Boulevard', 'Sunset Blvd']), 'sunset blvd.').metrics.em).toBe(1);
    expect(scoreAnswer(task('nq', ['December 1972']), 'December 1972').metrics.em).toBe(1);
  });
  it('GSM8K: canonical is the official "#### n" string compare; lenient reads any number numerically', () => {
    const t = task('gsm8k', ['480'], { taskType: 'math' });
    expect(scoreAnswer(t, 'so #### 480').metrics).toEqual({ accuracy: 1 });
    for (const quirk of ['#### 0480', '#### $480', 'she makes $480 every day', '#### 480.0']) {
      const r = scoreAnswer(t, quirk);
      expect({ quirk, canonical: r.metrics.accuracy, lenient: r.lenient?.accuracy }).toEqual({ quirk, canonical: 0, lenient: 1 });
    }
    expect(scoreAnswer(t, 'she makes $480 every day').flowsteer).toEqual({ accuracy: 1 });
    expect(scoreAnswer(t, '#### 0480').extracted).toBe('0480');
    expect(scoreAnswer(t, 'no hash line 480').extracted).toBeNull();
  });
  it('MATH: canonical needs the box and the string normalisation; lenient and FlowSteer are wider; symbolic asks the CAS', () => {
    const t = task('math', ['\\frac{1}{2}'], { taskType: 'math' });
    const hit = scoreAnswer(t, 'Hence \\boxed{\\dfrac12}.');
    expect([hit.metrics, hit.lenient]).toEqual([{ accuracy: 1 }, { accuracy: 1 }]);
    expect(hit.symbolicQuery).toEqual({ prediction: '\\dfrac12', golds: ['\\frac{1}{2}'] });
    const unboxed = scoreAnswer(t, 'The answer is 1/2');
    expect([unboxed.metrics, unboxed.lenient, unboxed.extracted]).toEqual([{ accuracy: 0 }, { accuracy: 1 }, null]);
    expect(scoreAnswer(t, '\\boxed{\\frac{2}{4}}').metrics).toEqual({ accuracy: 0 });
    expect(scoreAnswer(t, '\\boxed{\\frac{2}{4}}').lenient).toEqual({ accuracy: 1 });
    expect(scoreAnswer(t, '\\boxed{0.5001}').flowsteer).toEqual({ accuracy: 1 });
    expect(scoreAnswer(t, '\\boxed{0.5001}').lenient).toEqual({ accuracy: 0 });
  });
  it('symbolic = canonical OR the CAS verdict, and only for MATH/AIME/MathQA', () => {
    const t = task('math', ['\\frac{1}{2}'], { taskType: 'math' });
    expect(withSymbolic(scoreAnswer(t, '\\boxed{\\frac{2}{4}}'), { equivalent: true }).symbolic).toEqual({ accuracy: 1 });
    expect(withSymbolic(scoreAnswer(t, '\\boxed{\\frac12}'), { equivalent: false }).symbolic).toEqual({ accuracy: 1 });
    expect(withSymbolic(scoreAnswer(t, '\\boxed{3}'), undefined).symbolic).toEqual({ accuracy: 0 });
    expect(withSymbolic(scoreAnswer(task('nq', ['x']), 'x'), { equivalent: true }).symbolic).toBeUndefined();
  });
  it('AIME: canonical reads the box as an integer (leading zeros fine); lenient also takes an unboxed last integer', () => {
    const t = task('aime2025', ['336^\\circ'], { taskType: 'math' });
    expect(scoreAnswer(t, '\\boxed{336}').metrics.accuracy).toBe(1);
    expect(scoreAnswer(t, '\\boxed{0336}').metrics.accuracy).toBe(1);
    expect(scoreAnswer(t, 'the answer is 336').metrics.accuracy).toBe(0);
    expect(scoreAnswer(t, 'the answer is 336').lenient?.accuracy).toBe(1);
    expect(scoreAnswer(t, '\\boxed{336.5}').metrics.accuracy).toBe(0);
  });
  it('MathQA: canonical needs a stated letter; lenient maps a stated value to its option; the CAS is asked for the value', () => {
    const t = task('mathqa', ['b'], { taskType: 'multiple-choice', meta: { option_a: '38', option_b: '27.675' } });
    const r = scoreAnswer(t, '27.675');
    expect([r.metrics.accuracy, r.lenient?.accuracy, r.flowsteer.accuracy, r.extracted]).toEqual([0, 1, 0, null]);
    expect(r.symbolicQuery).toEqual({ prediction: '27.675', golds: ['27.675'] });
    const letter = scoreAnswer(t, 'The answer is (b)');
    expect([letter.metrics.accuracy, letter.symbolicQuery]).toEqual([1, undefined]);
    expect(withSymbolic(letter, undefined).symbolic).toEqual({ accuracy: 1 });
  });
  it('code tasks need the sandbox scorer; FlowSteer-compatible pass@1 is the self-reported "PASS"/"passed"', () => {
    const r = scoreAnswer(task('humaneval', [], { taskType: 'code' }), 'def f(): pass');
    expect(r.metrics).toEqual({});
    expect(r.needsSandbox?.reason).toMatch(/sandbox/);
    expect(scoreAnswer(task('mbpp', [], { taskType: 'code' }), 'All tests PASSED').flowsteer).toEqual({ 'pass@1': 1 });
  });
  it('unknown datasets fall back on the task type', () => {
    expect(scoreAnswer(task('my-quiz', ['Paris']), 'Paris').scorer).toBe('squad_v2');
    expect(scoreAnswer(task('my-math', ['2'], { taskType: 'math' }), '2').scorer).toBe('math');
  });
  it('every metric is in [0,1]', () => {
    for (const [d, golds, pred] of [
      ['squad_v2', ['a b'], 'b c'],
      ['gsm8k', ['3'], '3'],
      ['math', ['x+1'], 'x + 1'],
      ['mathqa', ['a'], 'a'],
      ['nq', ['x'], ''],
    ] as const) {
      const r = scoreAnswer(task(d, [...golds]), pred);
      for (const v of [...Object.values(r.metrics), ...Object.values(r.flowsteer)]) expect(v >= 0 && v <= 1).toBe(true);
    }
  });
});

describe('scorerKindFor', () => {
  it('accepts dataset and metric spellings', () => {
    expect(scorerKindFor('SQuAD-v2')).toBe('squad_v2');
    expect(scorerKindFor('math500')).toBe('math');
    expect(scorerKindFor('em_f1')).toBe('squad_v2');
    expect(scorerKindFor('nope')).toBeUndefined();
  });
});

describe('predictions file', () => {
  it('scores a line with "dataset" and "answers"', () => {
    const r = scorePredictionLine('{"dataset":"hotpotqa","id":"q1","prediction":"yes","answers":["yes"]}', 3);
    expect(r).toMatchObject({ ok: true, line: 3, id: 'q1', metrics: { em: 1, f1: 1 } });
  });
  it('accepts "metric", a single "answer", numbers and SQuAD answer objects', () => {
    expect(scorePredictionLine({ metric: 'gsm8k', prediction: '#### 18', answer: 'blah #### 18' })).toMatchObject({
      ok: true,
      metrics: { accuracy: 1 },
    });
    expect(scorePredictionLine({ metric: 'gsm8k', prediction: 18, answer: 'blah #### 18' })).toMatchObject({
      ok: true,
      metrics: { accuracy: 0 },
      lenient: { accuracy: 1 },
    });
    expect(
      scorePredictionLine({ dataset: 'squad_v2', prediction: 'France', answers: [{ text: 'France', answer_start: 1 }] }),
    ).toMatchObject({
      ok: true,
      metrics: { em: 1 },
    });
    expect(scorePredictionLine({ dataset: 'squad_v2', prediction: '', answers: [] })).toMatchObject({
      ok: true,
      group: 'NoAns',
      metrics: { em: 1 },
    });
    expect(scorePredictionLine({ dataset: 'mathqa', prediction: '30', answer: 'c', options: 'a ) 38 , b ) 27 , c ) 30' })).toMatchObject({
      ok: true,
      metrics: { accuracy: 0 },
      lenient: { accuracy: 1 },
    });
  });
  it('TriviaQA: an empty alias list is scored (a miss, as the official is_exact_match says), human answers count', () => {
    expect(scorePredictionLine({ dataset: 'triviaqa', prediction: 'Paris', answers: [] })).toMatchObject({
      ok: true,
      metrics: { em: 0, f1: 0 },
      note: expect.stringMatching(/raises/),
    });
    expect(scorePredictionLine({ dataset: 'triviaqa', prediction: 'Paris', answers: [], human_answers: ['the Paris!'] })).toMatchObject({
      ok: true,
      metrics: { em: 1, f1: 1 },
    });
    expect(scorePredictionLine({ dataset: 'nq', prediction: 'Paris', answers: ['x'], human_answers: ['Paris'] })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/only applies to TriviaQA/),
    });
  });
  it.each([
    ['{not json', /line 7: not JSON/],
    ['[1]', /expected a JSON object/],
    ['{"prediction":"x","answers":["x"]}', /needs "dataset" or "metric"/],
    ['{"dataset":"nope","prediction":"x","answers":["x"]}', /unknown dataset\/metric "nope"/],
    ['{"dataset":"nq","answers":["x"]}', /"prediction" must be a string/],
    ['{"dataset":"nq","prediction":"x"}', /needs "answers"/],
    ['{"dataset":"nq","prediction":"x","answers":[{"a":1}]}', /answers must be strings/],
    ['{"dataset":"nq","prediction":"x","answers":[]}', /empty answer list/],
  ])('reports %s with its line number', (line, message) => {
    const r = scorePredictionLine(line, 7);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
  it('summarises a file per dataset in percent, bad lines counted, HasAns/NoAns broken down', () => {
    const text = [
      '{"dataset":"squad_v2","prediction":"France","answers":["France"]}',
      '{"dataset":"squad_v2","prediction":"Paris","answers":[""]}',
      '',
      'garbage',
      '{"dataset":"gsm8k","prediction":"#### 5","answer":"#### 5"}',
      '{"dataset":"humaneval","prediction":"def f(): pass","answers":["x"]}',
    ].join('\n');
    const r = scorePredictionsText(text);
    expect(r.summary).toMatchObject({ lines: 5, scored: 4, failed: 1 });
    expect(r.lines[2]).toMatchObject({ ok: false, line: 4 });
    expect(r.summary.byDataset.squad_v2).toMatchObject({
      count: 2,
      metrics: { em: 50, f1: 50 },
      groups: { HasAns: { count: 1, metrics: { em: 100 } }, NoAns: { count: 1, metrics: { em: 0 } } },
    });
    expect(r.summary.byDataset.gsm8k).toMatchObject({
      metrics: { accuracy: 100 },
      lenient: { accuracy: 100 },
      flowsteer: { accuracy: 100 },
    });
    expect(r.summary.byDataset.squad_v2?.lenient).toBeUndefined();
    expect(r.summary.byDataset.humaneval?.needsSandbox).toBe(1);
  });
});

describe('answer conventions of the canonical scorers', () => {
  const gsm = task('gsm8k', ['18'], { taskType: 'math' });
  const math = task('math', ['\\frac12'], { taskType: 'math' });
  it('a bare final answer becomes the answer line; a text with its own line passes through', () => {
    expect(asAnswerLine(gsm, ' 18 ')).toBe('#### 18');
    expect(asAnswerLine(gsm, 'so\n#### 18')).toBe('so\n#### 18');
    expect(asAnswerLine(math, '\\frac12')).toBe('\\boxed{\\frac12}');
    expect(asAnswerLine(math, 'so \\boxed{3}')).toBe('so \\boxed{3}');
    expect(asAnswerLine(task('nq', ['x']), 'x')).toBe('x');
    expect(asAnswerLine(gsm, '  ')).toBe('  ');
  });
  it('the official quirks survive the answer line', () => {
    for (const [answer, want] of [
      ['18', 1],
      ['$18', 0],
      ['018', 0],
      ['The answer is 18', 0],
      ['18.0', 0],
    ] as const) {
      expect({ answer, accuracy: scoreAnswer(gsm, asAnswerLine(gsm, answer)).metrics.accuracy }).toEqual({ answer, accuracy: want });
    }
  });
  it('names the convention per benchmark', () => {
    expect(answerInstruction(gsm)).toMatch(/####/);
    expect(answerInstruction(math)).toMatch(/\\boxed/);
    expect(answerInstruction(task('ds1000', [], { taskType: 'code' }))).toMatch(/```python/);
  });
});
