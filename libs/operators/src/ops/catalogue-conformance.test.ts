import { BUILTIN_OPERATORS } from '@flowsteer/canvas';
import type { ScriptedAnswer } from '../test-support/scripted-chat';
import { runScripted, scriptedRunner } from '../test-support/scripted-chat';

/** A well-formed scripted exchange per operator, so every output port can be checked. */
const SCRIPTS: Record<string, { answers: ScriptedAnswer[]; runs?: number; inputs?: string | string[] }> = {
  Plan: { answers: ['<approach>a</approach><insights>b</insights><steps>1. c</steps>'] },
  Decompose: { answers: ['<reasoning>r</reasoning><parts>1. x\n2. y</parts>'] },
  Custom: { answers: ['<result>42</result>'] },
  AnswerGenerate: { answers: ['<thought>t</thought><answer>42</answer>'] },
  Programmer: { answers: ['```python\ndef solve():\n    return 42\n```'], runs: 1 },
  Review: { answers: ['<verdict>pass</verdict><feedback>fine</feedback>'], inputs: '42' },
  Verify: { answers: ['<work>w</work><my_answer>42</my_answer><verdict>correct</verdict><confidence>high</confidence>'], inputs: '42' },
  Test: { answers: ['<tests>assert int(ANSWER) == 42</tests>'], runs: 1, inputs: '42' },
  Revise: { answers: ['<revised>42</revised>'], inputs: '41' },
  ScEnsemble: { answers: ['<choice>A</choice>'], inputs: ['42', '41'] },
  Aggregate: { answers: ['<answer>42</answer>'], inputs: ['x is 42', 'y is 41'] },
  Format: { answers: ['<final>42</final>'] },
};

describe('outputs follow the canvas catalogue', () => {
  it.each(BUILTIN_OPERATORS.map((s) => [s.name, s] as const))('%s', async (name, spec) => {
    const script = SCRIPTS[name];
    if (!script) throw new Error(`no conformance script for ${name}`);
    const runner = scriptedRunner(Array.from({ length: script.runs ?? 0 }, () => ({ stdout: '<<<FLOWSTEER_RESULT>>>\n42' })));
    const { outcome } = await runScripted(script.answers, { operator: name, inputs: script.inputs ?? 'What is 6 * 7?' }, runner);
    const required = spec.outputs.filter((p) => !('optional' in p && p.optional)).map((p) => p.name);
    const output = outcome.output ?? {};
    expect(Object.keys(output)).toEqual(expect.arrayContaining(required));
    const passField = 'passField' in spec ? spec.passField : undefined;
    if (passField) expect(output[passField]).toBe(outcome.passed);
    else expect(outcome.passed).toBeUndefined();
    expect(outcome.notes).toEqual([]);
  });
});
