import {
  decide,
  initialState,
  openCanvas,
  replay,
  takeTurn,
  isTerminal,
  unmetFinishRules,
  looksMultipleChoice,
  CanvasOptionsError,
  EMPTY_STATE,
  type CanvasState,
} from './index';
import { serializeDsl, allIds } from '../graph';
import { Session, MATH } from '../test-support/fixtures';

const CODE = { problem: 'Write def add(a, b) returning the sum.', taskType: 'code', entryPoint: 'add', tests: 'assert add(1, 2) == 3' };

function fiveOpWorkflow(s: Session) {
  s.add('Plan');
  s.add('Programmer');
  s.turn('<action>add</action><structure>conditional</structure><condition>Verify</condition><true>Revise</true><false>done</false>');
  s.turn('Check the total independently.');
  s.turn('Fix the arithmetic mistake the check found.');
  s.add('Format', 'Return only the number.');
}

describe('opening', () => {
  it('opens with defaults, and rejects bad options with a reason', () => {
    const s = initialState(MATH);
    expect(s).toMatchObject({ phase: 'building', turn: 0, revision: 0, graph: { nodes: [], nextId: 1 } });
    expect(s.options).toMatchObject({ maxTurns: 20, minPromptChars: 5, maxNodes: 15, multipleChoice: false, finish: { minOperators: 5 } });
    expect(openCanvas({ problem: '' }).rejection?.code).toBe('invalid_workflow');
    expect(openCanvas({ problem: 'x', maxTurns: 0 }).rejection?.reason).toMatch(/maxTurns/);
    expect(() => initialState({ problem: '  ' })).toThrow(CanvasOptionsError);
    expect(openCanvas({ problem: 'x', plugins: [{ name: 'custom' } as never] }).rejection?.reason).toMatch(/custom/);
  });

  it('loads an initial workflow from DSL text', () => {
    const opened = openCanvas({ ...MATH, workflow: 'Plan -> [Programmer, Custom] -> ScEnsemble' });
    expect(opened.state && serializeDsl(opened.state.graph)).toBe('Plan -> [Programmer, Custom] -> ScEnsemble');
    expect(opened.state?.needsExecution).toBe(true);
    expect(opened.state?.graph.nextId).toBe(4);
    const bad = openCanvas({ ...MATH, workflow: 'Plan -> Nope' });
    expect(bad.rejection?.code).toBe('unknown_operator');
    expect(bad.rejection?.reason).toMatch(/at character 8/);
  });

  it('refuses everything before it is opened', () => {
    expect(decide(EMPTY_STATE, { type: 'finish' }).rejection?.code).toBe('invalid_workflow');
    expect(takeTurn(EMPTY_STATE, '<action>finish</action>').events).toEqual([]);
  });
});

describe('the two-step add', () => {
  it('records the add, waits for the prompt, then inserts and asks to run', () => {
    const s = new Session();
    const first = s.turn('<action>add</action><operator>Plan</operator>');
    expect(first.events.map((e) => e.type)).toEqual(['TurnTaken', 'OperatorRequested']);
    expect(s.state.phase).toBe('awaiting_prompt');
    expect(s.state.graph.nodes).toHaveLength(0);
    expect(first.execute).toBe(false);
    const second = s.turn('Break the problem into the April and May amounts.');
    expect(second.events.map((e) => e.type)).toEqual(['TurnTaken', 'OperatorInserted']);
    expect(second.execute).toBe(true);
    expect(s.state.graph.nodes).toEqual([
      { kind: 'operator', id: 'node_1', operator: 'Plan', prompt: 'Break the problem into the April and May amounts.' },
    ]);
    expect(s.state.turn).toBe(2);
  });

  it('ignores a <prompt> inside the add by default, and uses it with inlineAddPrompt', () => {
    const s = new Session();
    s.turn('<action>add</action><operator>Plan</operator><prompt>Plan it out.</prompt>');
    expect(s.state.phase).toBe('awaiting_prompt');
    const inline = new Session({ ...MATH, inlineAddPrompt: true });
    const out = inline.turn('<action>add</action><operator>Plan</operator><prompt>Plan it out.</prompt>');
    expect(out.events.map((e) => e.type)).toEqual(['TurnTaken', 'OperatorInserted']);
    expect(inline.state.graph.nodes[0]).toMatchObject({ operator: 'Plan', prompt: 'Plan it out.' });
  });

  it('validates the name when the add arrives (no stuck prompt state)', () => {
    const s = new Session();
    const out = s.turn('<action>add</action><operator>custom</operator>');
    expect(out.rejection).toMatchObject({ code: 'unknown_operator', hint: 'Did you mean Custom?' });
    expect(s.state.phase).toBe('building');
    expect(s.turn('<action>add</action><operator>Custom</operator>').accepted).toBe(true);
  });

  it('keeps waiting after a too-short prompt, and inserts at the given position', () => {
    const s = new Session();
    s.add('Programmer');
    s.add('Format');
    s.turn('<action>add</action><operator>Plan</operator><position>0</position>');
    expect(s.turn('ok').rejection?.code).toBe('prompt_too_short');
    expect(s.state.phase).toBe('awaiting_prompt');
    s.turn('Plan the computation.');
    expect(serializeDsl(s.state.graph)).toBe('Plan -> Programmer -> Format');
    expect(s.state.graph.nodes[0]?.id).toBe('node_3');
  });

  it('refuses other actions while a prompt is pending', () => {
    const s = new Session();
    s.turn('<action>add</action><operator>Plan</operator>');
    const r = decide(s.state, { type: 'finish' });
    expect(r.rejection?.code).toBe('awaiting_prompt');
    expect(decide(s.state, { type: 'delete', target: 'node_1' }).rejection?.reason).toMatch(/waiting for a prompt/);
  });

  it('refuses a bare prompt when nothing waits', () => {
    const s = new Session();
    expect(decide(s.state, { type: 'prompt', prompt: 'Do something.' }).rejection?.code).toBe('no_pending_prompt');
  });
});

describe('structures', () => {
  it('insert at once, then collect one prompt per child in build order, then run', () => {
    const s = new Session();
    const out = s.turn('<action>add</action><structure>parallel</structure><operators>Programmer, Custom, AnswerGenerate</operators>');
    expect(out.events.map((e) => e.type)).toEqual(['TurnTaken', 'StructureInserted']);
    expect(serializeDsl(s.state.graph)).toBe('[Programmer, Custom, AnswerGenerate]');
    expect(s.state.pending).toEqual({ kind: 'structure', parentId: 'node_1', childIds: ['node_1_p0', 'node_1_p1', 'node_1_p2'], index: 0 });
    expect(s.turn('Compute in code.').execute).toBe(false);
    expect(s.turn('Reason in words.').execute).toBe(false);
    expect(s.turn('Answer briefly.').execute).toBe(true);
    expect(s.state.phase).toBe('building');
    const node = s.state.graph.nodes[0];
    expect(node?.kind === 'parallel' && node.branches.map((b) => b.prompt)).toEqual([
      'Compute in code.',
      'Reason in words.',
      'Answer briefly.',
    ]);
  });

  it('collects conditional prompts as condition, fix, otherwise', () => {
    const s = new Session();
    s.turn('<action>add</action><structure>conditional</structure><condition>Verify</condition><true>Revise</true><false>Format</false>');
    expect(s.state.pending).toMatchObject({ childIds: ['node_1_cond', 'node_1_true', 'node_1_false'] });
  });

  it.each([
    ['<action>add</action><structure>parallel</structure><operators>Custom</operators>', 'too_few_operators'],
    ['<action>add</action><structure>parallel</structure><operators>Custom, ScEnsemble</operators>', 'not_allowed_in_parallel'],
    ['<action>add</action><structure>parallel</structure><operators>Custom, Nope</operators>', 'unknown_operator'],
    ['<action>add</action><structure>loop</structure><operators></operators>', 'empty_argument'],
  ])('%s -> %s', (text, code) => {
    const s = new Session();
    expect(s.turn(text).rejection?.code).toBe(code);
    expect(s.state.graph.nodes).toEqual([]);
  });

  it('refuses loop counts outside 1..10 given directly', () => {
    const s = new Session();
    expect(decide(s.state, { type: 'add_loop', operators: ['Revise'], count: 0 }).rejection?.code).toBe('invalid_count');
    expect(decide(s.state, { type: 'add_loop', operators: ['Revise'], count: 11 }).rejection?.code).toBe('invalid_count');
  });
});

describe('ids', () => {
  it('come from a monotonic counter: deleting never lets a new node reuse an id', () => {
    const s = new Session();
    s.add('Plan');
    s.add('Programmer');
    s.turn('<action>delete</action><target>node_1</target>');
    s.add('Custom');
    expect(allIds(s.state.graph)).toEqual(['node_2', 'node_3']);
    s.turn('<action>delete</action><target>node_3</target>');
    s.turn('<action>add</action><structure>parallel</structure><operators>Custom, Programmer</operators>');
    expect(allIds(s.state.graph)).toEqual(['node_2', 'node_4', 'node_4_p0', 'node_4_p1']);
  });
});

describe('modify, delete, set_prompt', () => {
  it('modify asks for a new prompt, then swaps the operator', () => {
    const s = new Session();
    s.add('Custom');
    expect(s.turn('<action>modify</action><target>node_1</target><operator>AnswerGenerate</operator>').events.map((e) => e.type)).toEqual([
      'TurnTaken',
      'ModifyRequested',
    ]);
    expect(s.state.graph.nodes[0]).toMatchObject({ operator: 'Custom' });
    const out = s.turn('Give only the short answer.');
    expect(out.execute).toBe(true);
    expect(s.state.graph.nodes[0]).toEqual({
      kind: 'operator',
      id: 'node_1',
      operator: 'AnswerGenerate',
      prompt: 'Give only the short answer.',
    });
  });

  it('modify works on children but not on structures', () => {
    const s = new Session();
    s.turn('<action>add</action><structure>parallel</structure><operators>Custom, Programmer</operators>');
    s.turn('One way.');
    s.turn('Another way.');
    expect(s.turn('<action>modify</action><target>node_1_p0</target><operator>AnswerGenerate</operator>').accepted).toBe(true);
    s.turn('Short answer please.');
    expect(serializeDsl(s.state.graph)).toBe('[AnswerGenerate, Programmer]');
    expect(s.turn('<action>modify</action><target>node_1</target><operator>Custom</operator>').rejection?.code).toBe('not_an_operator');
  });

  it('delete removes top-level nodes only, re-runs when something is left, and prunes the cache', () => {
    const s = new Session();
    s.add('Plan');
    s.turn('<action>add</action><structure>parallel</structure><operators>Custom, Programmer</operators>');
    s.turn('One way.');
    s.turn('Another way.');
    expect(Object.keys(s.state.cache).sort()).toEqual(['node_1', 'node_2_p0', 'node_2_p1']);
    expect(s.turn('<action>delete</action><target>node_2_p1</target>').rejection).toMatchObject({
      code: 'child_target',
      hint: expect.stringMatching(/node_2/),
    });
    const out = s.turn('<action>delete</action><target>node_2</target>');
    expect(out.execute).toBe(true);
    expect(Object.keys(s.state.cache)).toEqual(['node_1']);
    const last = s.turn('<action>delete</action><target>node_1</target>');
    expect(last.execute).toBe(false);
    expect(s.state.lastExecution).toBeNull();
  });

  it('set_prompt replaces a prompt and re-runs; it checks the target and the length', () => {
    const s = new Session();
    s.add('Custom');
    const out = s.turn('<action>set_prompt</action><target>node_1</target><prompt>Answer in one number.</prompt>');
    expect(out.execute).toBe(true);
    expect(s.state.graph.nodes[0]).toMatchObject({ prompt: 'Answer in one number.' });
    expect(s.turn('<action>set_prompt</action><target>node_9</target><prompt>Answer in one number.</prompt>').rejection).toMatchObject({
      code: 'unknown_target',
      hint: 'Existing nodes: node_1.',
    });
    expect(s.turn('<action>set_prompt</action><target>node_1</target><prompt>abc</prompt>').rejection?.code).toBe('prompt_too_short');
  });
});

describe('finish', () => {
  it('is refused until every rule holds, then ends the session', () => {
    const s = new Session();
    expect(s.turn('<action>finish</action>').rejection?.code).toBe('finish_rejected');
    fiveOpWorkflow(s);
    expect(unmetFinishRules(s.state)).toEqual([]);
    const out = s.turn('<action>finish</action><answer>72</answer>');
    expect(out.accepted).toBe(true);
    expect(s.state).toMatchObject({ phase: 'finished', finishAnswer: '72' });
    expect(isTerminal(s.state)).toBe(true);
    expect(s.turn('<action>add</action><operator>Plan</operator>')).toMatchObject({ events: [], rejection: { code: 'session_finished' } });
  });

  it('names each unmet rule', () => {
    const rules = (st: CanvasState) => unmetFinishRules(st).map((u) => u.rule);
    const s = new Session();
    expect(rules(s.state)).toEqual(['empty']);
    s.add('Custom');
    expect(rules(s.state)).toEqual(['operators', 'structure', 'checker']);
    const loose = new Session({ ...MATH, finish: { minOperators: 1, requireStructure: false, requireChecker: false } });
    loose.add('Custom');
    expect(rules(loose.state)).toEqual([]);
  });

  it('counts a loop as structure', () => {
    const s = new Session();
    s.add('Programmer');
    s.turn('<action>add</action><structure>loop</structure><operators>Verify, Revise</operators><count>2</count>');
    s.turn('Check it.');
    s.turn('Fix it.');
    s.add('Custom');
    s.add('Format');
    expect(unmetFinishRules(s.state)).toEqual([]);
  });

  it('asks code tasks for a Test when tests exist, and long answers for a Format', () => {
    const code = new Session(CODE);
    code.add('Programmer');
    code.turn('<action>add</action><structure>conditional</structure><condition>Review</condition><true>Programmer</true>');
    code.turn('Review the code.');
    code.turn('Rewrite the code.');
    code.add('Custom');
    code.add('Format');
    expect(unmetFinishRules(code.state).map((u) => u.rule)).toEqual(['code']);
    const long = new Session(MATH, (c) => ({
      callId: c.callId,
      outcome: { text: 'Step 1: add 48 and 24.\nThe answer is 72.', ...(c.operator === 'Verify' ? { passed: true } : {}) },
    }));
    long.add('Plan');
    long.add('Programmer');
    long.turn('<action>add</action><structure>conditional</structure><condition>Verify</condition><true>Revise</true>');
    long.turn('Check it.');
    long.turn('Fix it.');
    long.add('Custom');
    expect(unmetFinishRules(long.state).map((u) => u.rule)).toEqual(['format']);
  });
});

describe('turn budget', () => {
  it('counts every director turn, prompt and invalid ones included, and stops at the limit', () => {
    const s = new Session({ ...MATH, maxTurns: 3 });
    s.turn('<action>add</action><operator>Plan</operator>');
    s.turn('nonsense');
    s.turn('Plan the steps.');
    expect(s.state.turn).toBe(3);
    expect(isTerminal(s.state)).toBe(true);
    expect(s.turn('<action>add</action><operator>Custom</operator>')).toMatchObject({
      events: [],
      rejection: { code: 'turn_budget_exhausted' },
    });
  });

  it('does not charge human edits', () => {
    const s = new Session({ ...MATH, maxTurns: 2 });
    s.turn({ type: 'add', operator: 'Custom' }, 'human');
    s.turn({ type: 'prompt', prompt: 'Solve the problem.' }, 'human');
    expect(s.state.turn).toBe(0);
    expect(s.state.history.map((h) => h.actor)).toEqual(['human', 'human']);
  });
});

describe('multiple-choice mode', () => {
  it('detects options and disables Programmer everywhere', () => {
    expect(looksMultipleChoice('What is 2+2? a ) 3 b ) 4 c ) 5', 'math')).toBe(true);
    expect(looksMultipleChoice('Pick one. Options: (A) 1 (B) 2', 'math')).toBe(true);
    expect(looksMultipleChoice('How many clips?', 'math')).toBe(false);
    expect(looksMultipleChoice('anything', 'mathqa_mc')).toBe(true);
    expect(looksMultipleChoice('Options:\na. 12\nb. 14\nc. 16', 'math')).toBe(true);
    expect(looksMultipleChoice('Which of the following is prime? (A) 9', 'default')).toBe(true);
    expect(looksMultipleChoice('Write def add(a, b) returning the sum of a and b.', 'code')).toBe(false);
    expect(looksMultipleChoice('Let f(a) = 2a. Find f(b) when b) is 3.', 'math')).toBe(false);
    const s = new Session({ problem: 'What is 2+2? a ) 3 b ) 4 c ) 5 d ) 6 e ) 7', taskType: 'math' });
    expect(s.state.options.multipleChoice).toBe(true);
    expect(s.turn('<action>add</action><operator>Programmer</operator>').rejection?.code).toBe('operator_disabled');
    expect(s.turn('<action>add</action><structure>parallel</structure><operators>Custom, Programmer</operators>').rejection?.code).toBe(
      'operator_disabled',
    );
    s.add('Custom');
    expect(s.turn('<action>modify</action><target>node_1</target><operator>Programmer</operator>').rejection?.code).toBe(
      'operator_disabled',
    );
    const forced = new Session({ ...MATH, multipleChoice: false, taskType: 'mathqa_mc' });
    expect(forced.state.options.multipleChoice).toBe(false);
  });
});

describe('node limit', () => {
  it('refuses adds past maxNodes', () => {
    const s = new Session({ ...MATH, maxNodes: 2 });
    s.add('Plan');
    s.add('Custom');
    expect(s.turn('<action>add</action><operator>Format</operator>').rejection?.code).toBe('too_many_nodes');
  });
});

describe('event sourcing', () => {
  it('replaying the log rebuilds the state exactly', () => {
    const s = new Session();
    fiveOpWorkflow(s);
    s.turn('<action>delete</action><target>node_1</target>');
    s.turn('<action>finish</action>');
    expect(replay(s.events)).toEqual(s.state);
    expect(JSON.parse(JSON.stringify(s.state))).toEqual(s.state);
    expect(JSON.parse(JSON.stringify(s.events))).toEqual(s.events);
  });

  it('forks from turn k by replaying a prefix of the log', () => {
    const s = new Session();
    fiveOpWorkflow(s);
    const cut = s.events.findIndex((e) => e.type === 'TurnTaken' && s.events.indexOf(e) > 0 && (e.summary ?? '').includes('conditional'));
    const fork = replay(s.events.slice(0, cut));
    expect(serializeDsl(fork.graph)).toBe('Plan -> Programmer');
    const out = takeTurn(fork, '<action>add</action><operator>Verify</operator>');
    expect(out.accepted).toBe(true);
  });

  it('refuses an execution recorded against an older revision', () => {
    const s = new Session();
    s.add('Custom');
    const r = decide(s.state, {
      type: 'record_execution',
      result: { revision: 0, ok: true, answer: 'x', error: null, calls: [], branches: [] },
    });
    expect(r.rejection?.code).toBe('stale_execution');
  });
});
