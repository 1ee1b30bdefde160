import { Session, MATH } from '../test-support/fixtures';
import { canvasView, finalAnswer, formatNextStep, recommendNext, renderFeedback, testsPreview } from './index';
import type { CallResult, OperatorCall } from '../plan';

const lines = (text: string) => text.split('\n');
const line = (text: string, key: string) => lines(text).find((l) => l.startsWith(key));
const next = (s: Session) => formatNextStep(recommendNext(s.state).next);

describe('feedback renderer', () => {
  it('describes the empty canvas and recommends a first step', () => {
    const fb = renderFeedback(new Session().state);
    expect(fb.startsWith('<feedback>\n') && fb.endsWith('\n</feedback>')).toBe(true);
    expect(line(fb, '[Status]')).toBe('[Status]: Ready');
    expect(line(fb, '[NEXT]')).toBe('[NEXT]=ADD:Plan');
    expect(line(fb, '[BLOCK_FINISH]')).toBe('[BLOCK_FINISH]=1');
    expect(line(fb, '[Round]')).toBe('[Round]: 0/20');
  });

  it('asks for a prompt with operator guidance, the structure context and the branch note', () => {
    const s = new Session();
    s.turn('<action>add</action><structure>parallel</structure><operators>Programmer, Custom</operators>');
    s.turn('Compute it in code.');
    const fb = renderFeedback(s.state);
    expect(line(fb, '[Status]')).toBe('[Status]: Pending - awaiting prompt');
    expect(line(fb, '[Message]')).toBe('[Message]: Write the prompt for Custom (parallel prompt 2/2, node_id=node_1_p1, parent=node_1).');
    expect(fb).toContain('=== WRITE YOUR PROMPT FOR CUSTOM ===');
    expect(line(fb, '[Guidance]')).toMatch(/1-3 sentences/);
    expect(line(fb, '[Note]')).toMatch(/different angle/);
  });

  it('explains a conditional fix branch, and shows the last error to a fix Programmer', () => {
    const s = new Session(MATH, (c) =>
      c.operator === 'Programmer'
        ? { callId: c.callId, error: 'NameError: x is not defined' }
        : { callId: c.callId, outcome: { text: 'ok' } },
    );
    s.add('Programmer');
    s.turn('<action>add</action><structure>conditional</structure><condition>Test</condition><true>Programmer</true>');
    s.turn('Run the tests.');
    const fb = renderFeedback(s.state);
    expect(line(fb, '[Note]')).toMatch(/runs only when Test reports a problem.*Previous error: node_1 Programmer failed: NameError/);
  });

  it('shows the code-task context in prompt requests', () => {
    const s = new Session({
      problem: 'Write add(a, b).',
      taskType: 'humaneval',
      entryPoint: 'add',
      tests: 'def check(candidate):\n    assert candidate(1, 2) == 3\n',
    });
    s.turn('<action>add</action><operator>Programmer</operator>');
    const fb = renderFeedback(s.state);
    expect(line(fb, '[Entry Point]')).toBe('[Entry Point]: add');
    expect(line(fb, '[Public Tests]')).toBe('[Public Tests]: assert candidate(1, 2) == 3 | def check(candidate):');
  });

  it('reports a rejection with its reason and hint', () => {
    const s = new Session();
    s.turn('<action>add</action><operator>custom</operator>');
    const fb = renderFeedback(s.state);
    expect(line(fb, '[Status]')).toBe('[Status]: Failed');
    expect(line(fb, '[Message]')).toBe('[Message]: Rejected: add custom - "custom" is not an operator (names are case-sensitive).');
    expect(line(fb, '[Hint]')).toBe('[Hint]: Did you mean Custom?');
    const bad = new Session();
    bad.turn('hello there');
    expect(line(renderFeedback(bad.state), '[Message]')).toMatch(/^\[Message\]: Invalid action - The output holds no <action> tag/);
  });

  it('shows the result, checks and statistics after an execution', () => {
    const s = new Session(MATH, (c) => ({
      callId: c.callId,
      outcome: c.operator === 'Verify' ? { text: '72', passed: false, feedback: 'recount May' } : { text: '72' },
    }));
    s.add('Programmer');
    s.turn('<action>add</action><structure>conditional</structure><condition>Verify</condition><true>Revise</true>');
    s.turn('Check it.');
    s.turn('Fix it.');
    const fb = renderFeedback(s.state);
    expect(line(fb, '[Execution Result]')).toBe('[Execution Result]: 72');
    expect(line(fb, '[Check node_2]')).toBe('[Check node_2]: failed; the fix branch ran');
    expect(line(fb, '[Calls]')).toBe('[Calls]: 2 run, 1 reused from the cache');
    expect(line(fb, '[Current DSL]')).toBe('[Current DSL]: Programmer -> Verify ? Revise : done');
    expect(line(fb, '[Nodes]')).toBe(
      '[Nodes]: node_1: Programmer; node_2: conditional [check node_2_cond Verify; if it fails node_2_true Revise; else done]',
    );
    expect(line(fb, '[Statistics]')).toBe('[Statistics]: 3 operators, 3 distinct types, 2 top-level nodes');
    expect(line(fb, '[Structures]')).toBe('[Structures]: conditional');
  });

  it('reports execution errors with a fix suggestion and counts repeated failures', () => {
    const s = new Session(
      MATH,
      (c: OperatorCall): CallResult => ({ callId: c.callId, error: 'Traceback ... ZeroDivisionError: division by zero' }),
    );
    s.add('Programmer');
    s.turn('<action>set_prompt</action><target>node_1</target><prompt>Try again differently.</prompt>');
    const fb = renderFeedback(s.state);
    expect(line(fb, '[Execution Error]')).toMatch(/ZeroDivisionError/);
    expect(line(fb, '[Fix Suggestion]')).toMatch(/crashes/);
    expect(line(fb, '[Errors In A Row]')).toMatch(/^\[Errors In A Row\]: 2/);
    expect(line(fb, '[NEXT]')).toBe('[NEXT]=ADD:Programmer');
    expect(line(fb, '[REASON]')).toMatch(/ZeroDivisionError.*different approach/);
    expect(finalAnswer(s.state)).toBeNull();
  });

  it('shows the final answer once finished', () => {
    const s = new Session();
    s.add('Plan');
    s.add('Programmer');
    s.turn('<action>add</action><structure>conditional</structure><condition>Verify</condition><true>Revise</true>');
    s.turn('Check it.');
    s.turn('Fix it.');
    s.add('Format');
    s.turn('<action>finish</action>');
    const fb = renderFeedback(s.state);
    expect(line(fb, '[Status]')).toBe('[Status]: Finished');
    expect(line(fb, '[Final Answer]')).toBe('[Final Answer]: Format output');
    expect(fb).not.toContain('[NEXT]');
    expect(canvasView(s.state)).toMatchObject({
      phase: 'finished',
      dsl: 'Plan -> Programmer -> Verify ? Revise : done -> Format',
      answer: 'Format output',
      next: 'NONE',
    });
  });

  it('previews tests: asserts first, head and tail, bounded', () => {
    const many = Array.from({ length: 40 }, (_, i) => `    assert f(${i}) == ${i}`).join('\n');
    const p = testsPreview(`def check(f):\n${many}`);
    expect(p.length).toBeLessThanOrEqual(1200);
    expect(p).toContain('assert f(0) == 0');
    expect(p).toContain('…');
    expect(p).toContain('def check(f):');
  });
});

describe('next-step recommender', () => {
  it('walks plan -> solve -> check -> format -> finish for math', () => {
    const s = new Session();
    expect(next(s)).toBe('ADD:Plan');
    s.add('Plan');
    expect(next(s)).toBe('ADD:Programmer');
    s.add('Programmer');
    expect(next(s)).toBe('ADD:conditional(Verify ? Revise : done)');
    s.turn('<action>add</action><structure>conditional</structure><condition>Verify</condition><true>Revise</true>');
    expect(next(s)).toBe('WRITE_PROMPT');
    s.turn('Check it.');
    s.turn('Fix it.');
    expect(next(s)).toBe('ADD:Format');
    s.add('Format');
    expect(next(s)).toBe('FINISH');
    expect(recommendNext(s.state).blockFinish).toBe(false);
  });

  it('asks for a combiner after a parallel block', () => {
    const s = new Session({ problem: 'Who wrote Hamlet?', taskType: 'qa' });
    s.turn('<action>add</action><structure>parallel</structure><operators>Custom, AnswerGenerate</operators>');
    s.turn('Answer from memory.');
    s.turn('Give the short answer.');
    expect(next(s)).toBe('ADD:Aggregate');
  });

  it('suggests Test ? Programmer for code with tests, and a parallel after Decompose', () => {
    const code = new Session({ problem: 'Write add(a, b).', taskType: 'code', tests: 'assert add(1, 2) == 3' });
    expect(next(code)).toBe('ADD:Programmer');
    code.add('Programmer');
    expect(next(code)).toBe('ADD:conditional(Test ? Programmer : done)');
    const dec = new Session();
    dec.add('Decompose');
    expect(next(dec)).toBe('ADD:parallel[Programmer, Custom]');
  });

  it('puts a missing check before an existing Format, and never recommends a refused finish', () => {
    const s = new Session();
    s.add('Programmer');
    s.add('Format');
    const rec = recommendNext(s.state);
    expect(rec.blockFinish).toBe(true);
    expect(formatNextStep(rec.next)).toBe('ADD:conditional(Verify ? Revise : done) at position 1');
  });

  it('steers multiple-choice answers to a letter', () => {
    const s = new Session({ problem: 'What is 2+2? a ) 3 b ) 4 c ) 5', taskType: 'mathqa_mc' });
    expect(next(s)).toBe('ADD:Custom');
    s.add('Custom');
    expect(next(s)).toBe('ADD:Format');
  });

  it('recommends finishing on the last turn when finishing is allowed', () => {
    const s = new Session({ ...MATH, maxTurns: 13, finish: { minOperators: 1, requireStructure: false, requireChecker: false } });
    s.add('Custom');
    for (let i = 0; i < 10; i++) s.turn('noise');
    expect(s.state.turn).toBe(12);
    expect(next(s)).toBe('FINISH');
  });
});
