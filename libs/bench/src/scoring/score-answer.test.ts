import type { BenchTask } from '@flowsteer/contracts';
import { scorePredictionLine, scorePredictionsText } from './prediction-line';
import { scoreAnswer } from './score-answer';
import { scorerKindFor } from './scorer-kind';

const task = (dataset: string, answers: string[], extra: Partial<BenchTask> = {}): BenchTask => ({
  dataset, id: '1', taskType: 'qa', problem: 'p', answers, ...extra,
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
  it('GSM8K', () => {
    const r = scoreAnswer(task('gsm8k', ['18'], { taskType: 'math' }), 'so she makes $18 every day');
    expect(r.metrics).toEqual({ accuracy: 1, reference_hash_match: 0 });
    expect(r.flowsteer).toEqual({ accuracy: 1 });
    expect(r.extracted).toBe('18');
  });
  it('MATH: canonical, symbolic and FlowSteer', () => {
    const t = task('math', ['\\frac{1}{2}'], { taskType: 'math' });
    expect(scoreAnswer(t, 'Hence \\boxed{\\dfrac12}.').metrics).toEqual({ accuracy: 1, accuracy_symbolic: 1 });
    expect(scoreAnswer(t, '\\boxed{\\frac{2}{4}}').metrics).toEqual({ accuracy: 0, accuracy_symbolic: 1 });
    expect(scoreAnswer(t, '\\boxed{0.5001}').flowsteer).toEqual({ accuracy: 1 });
    expect(scoreAnswer(t, '\\boxed{0.5001}').metrics.accuracy_symbolic).toBe(0);
  });
  it('AIME', () => expect(scoreAnswer(task('aime2025', ['336^\\circ'], { taskType: 'math' }), '\\boxed{336}').metrics.accuracy).toBe(1));
  it('MathQA uses the task options to map a value to its letter', () => {
    const t = task('mathqa', ['b'], { taskType: 'multiple-choice', meta: { option_a: '38', option_b: '27.675' } });
    expect(scoreAnswer(t, '27.675').metrics.accuracy).toBe(1);
    expect(scoreAnswer(t, '27.675').flowsteer.accuracy).toBe(0);
    expect(scoreAnswer(t, '27.675').extracted).toBe('b');
  });
  it('code tasks need the sandbox scorer', () => {
    const r = scoreAnswer(task('humaneval', [], { taskType: 'code' }), 'def f(): pass');
    expect(r.metrics).toEqual({});
    expect(r.needsSandbox?.reason).toMatch(/sandbox/);
    expect(scoreAnswer(task('mbpp', [], { taskType: 'code' }), 'All tests PASSED').flowsteer.self_reported_pass).toBe(1);
  });
  it('unknown datasets fall back on the task type', () => {
    expect(scoreAnswer(task('my-quiz', ['Paris']), 'Paris').scorer).toBe('squad_v2');
    expect(scoreAnswer(task('my-math', ['2'], { taskType: 'math' }), '2').scorer).toBe('math');
  });
  it('every metric is in [0,1]', () => {
    for (const [d, golds, pred] of [
      ['squad_v2', ['a b'], 'b c'], ['gsm8k', ['3'], '3'], ['math', ['x+1'], 'x + 1'], ['mathqa', ['a'], 'a'], ['nq', ['x'], ''],
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
    expect(scorePredictionLine({ metric: 'gsm8k', prediction: 18, answer: 'blah #### 18' })).toMatchObject({ ok: true, metrics: { accuracy: 1 } });
    expect(scorePredictionLine({ dataset: 'squad_v2', prediction: 'France', answers: [{ text: 'France', answer_start: 1 }] })).toMatchObject({
      ok: true, metrics: { em: 1 },
    });
    expect(scorePredictionLine({ dataset: 'squad_v2', prediction: '', answers: [] })).toMatchObject({ ok: true, group: 'NoAns', metrics: { em: 1 } });
    expect(scorePredictionLine({ dataset: 'mathqa', prediction: '30', answer: 'c', options: 'a ) 38 , b ) 27 , c ) 30' })).toMatchObject({
      ok: true, metrics: { accuracy: 1 },
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
    expect(r.summary.byDataset.gsm8k?.metrics).toEqual({ accuracy: 100, reference_hash_match: 100 });
    expect(r.summary.byDataset.humaneval?.needsSandbox).toBe(1);
  });
});
