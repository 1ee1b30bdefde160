import { Session, MATH } from '../test-support/fixtures';
import { buildDirectorRequest, directorSystemPrompt } from './index';
import { OPERATOR_CATALOGUE, createCatalogue, OPERATOR_NAMES } from '../catalogue';
import { initialState } from '../decider';

describe('director requests', () => {
  it('compact mode: system prompt + one user message with problem, state and the last feedback', () => {
    const s = new Session();
    s.add('Plan');
    const r = buildDirectorRequest(s.state);
    expect(r).toMatchObject({ kind: 'action', maxTokens: 512, purpose: 'turn 3 action' });
    expect(r.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const user = r.messages[1]?.content ?? '';
    expect(user).toContain(`## Problem\n${MATH.problem}`);
    expect(user).toContain('Workflow: Plan');
    expect(user).toContain('Node ids: node_1');
    expect(user).toContain('[NEXT]=ADD:Programmer');
    expect(user).not.toContain('[Current DSL]'); // shown once, in the state block
    expect(user.endsWith('## Your Turn - Round 3. Output exactly one action:')).toBe(true);
    expect(r.constraint).toBeUndefined();
  });

  it('compact mode clips the feedback', () => {
    const s = new Session();
    s.add('Plan');
    const r = buildDirectorRequest(s.state, { feedbackChars: 100 });
    const fb = (r.messages[1]?.content ?? '').split('## Last Feedback\n')[1]?.split('\nBased on this')[0] ?? '';
    expect(fb.length).toBeLessThanOrEqual(100);
  });

  it('full-history mode: every director turn and its observation, then the current feedback', () => {
    const s = new Session();
    s.add('Plan');
    s.turn('<action>add</action><operator>nope</operator>');
    const r = buildDirectorRequest(s.state, { mode: 'full-history' });
    expect(r.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(r.messages[2]?.content).toBe('<action>add</action><operator>Plan</operator>');
    expect(r.messages[3]?.content).toContain('[Status]: Success - add Plan');
    expect(r.messages[5]?.content).toContain('[Execution Result]: Plan output');
    expect(r.messages[7]?.content).toContain('[Status]: Failed');
    expect(r.messages[7]?.content).toContain('Round 4');
  });

  it('prompt turns: no system prompt, the operator and its guidance, a 256-token cap', () => {
    const s = new Session({ problem: 'Write add(a, b).', taskType: 'code', entryPoint: 'add' });
    s.turn('<action>add</action><operator>Programmer</operator>');
    const r = buildDirectorRequest(s.state, { constraint: 'gbnf' });
    expect(r).toMatchObject({ kind: 'prompt', maxTokens: 256, purpose: 'turn 2 prompt', constraint: { kind: 'gbnf' } });
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]?.content).toContain('write the prompt for the Programmer operator');
    expect(r.messages[0]?.content).toContain('must define add with the exact signature');
  });

  it('attaches a state-aware constraint on request', () => {
    const s = new Session();
    const g = buildDirectorRequest(s.state, { constraint: 'gbnf' });
    expect(g.constraint?.kind).toBe('gbnf');
    expect(g.constraint?.kind === 'gbnf' && g.constraint.grammar).not.toContain('delete ::='); // nothing to delete yet
    const j = buildDirectorRequest(s.state, { constraint: 'json-schema' });
    expect(j.constraint?.kind).toBe('json-schema');
  });

  it('lists catalogue operators (plug-ins included) and leaves out disabled ones', () => {
    const base = directorSystemPrompt(initialState(MATH).options, OPERATOR_CATALOGUE);
    for (const name of OPERATOR_NAMES) expect(base).toContain(`- ${name} (`);
    const mc = initialState({ problem: 'Pick: a) 1 b) 2', taskType: 'mathqa_mc' });
    expect(directorSystemPrompt(mc.options, OPERATOR_CATALOGUE)).not.toContain('- Programmer (');
    const plugin = createCatalogue([
      {
        name: 'Translate',
        category: 'formatting',
        description: 'Translate to English.',
        inputs: [{ name: 'solution', type: 'text', description: 'x' }],
        outputs: [{ name: 'response', type: 'text', description: 'y' }],
        acceptsList: false,
        executesCode: false,
        allowedInParallel: true,
        solver: false,
        producesAnswer: true,
        promptGuidance: 'Say the register.',
      },
    ]);
    expect(directorSystemPrompt(initialState(MATH).options, plugin)).toContain('- Translate (formatting): Translate to English.');
  });
});
