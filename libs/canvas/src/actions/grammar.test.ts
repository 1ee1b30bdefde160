import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validates } from '../test-support/mini-json-schema';
import { Session } from '../test-support/fixtures';
import { actionVocabulary } from '../director';
import {
  ACTION_GRAMMAR,
  ACTION_JSON_SCHEMA,
  PROMPT_GRAMMAR,
  actionGrammar,
  actionJsonSchema,
  parseAction,
  catalogueVocabulary,
} from './index';
import { OPERATOR_CATALOGUE } from '../catalogue';

const REPO = resolve(__dirname, '../../../..');

/**
 * Asks llama.cpp's own GBNF parser (through node-llama-cpp, in a child process since it is an ES
 * module with native code) to load each grammar and to test sample texts against it.
 */
function llamaCheck(grammars: Record<string, string>, samples: Record<string, string[]>): Record<string, Record<string, boolean>> {
  const dir = mkdtempSync(join(tmpdir(), 'gbnf-'));
  try {
    writeFileSync(join(dir, 'input.json'), JSON.stringify({ grammars, samples }));
    // A script file, not `node -e`: node-llama-cpp forks with the parent's exec arguments.
    const entry = pathToFileURL(require.resolve('node-llama-cpp', { paths: [REPO] })).href;
    const script = `
      import { getLlama } from ${JSON.stringify(entry)};
      import { readFileSync } from 'node:fs';
      const { grammars, samples } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
      const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' });
      const out = {};
      for (const [name, text] of Object.entries(grammars)) {
        const g = await llama.createGrammar({ grammar: text });
        out[name] = {};
        for (const s of samples[name] ?? []) out[name][s] = g._testText(s);
      }
      process.stdout.write(JSON.stringify(out));
    `;
    writeFileSync(join(dir, 'check.mjs'), script);
    const stdout = execFileSync(process.execPath, [join(dir, 'check.mjs'), join(dir, 'input.json')], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return JSON.parse(stdout) as Record<string, Record<string, boolean>>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('GBNF grammar', () => {
  const built = new Session();
  built.add('Plan');
  built.turn('<action>add</action><structure>parallel</structure><operators>Programmer, Custom</operators>');
  built.turn('One way.');
  built.turn('Another way.');
  const stateGrammar = actionGrammar(actionVocabulary(built.state));
  const mcGrammar = actionGrammar(catalogueVocabulary(OPERATOR_CATALOGUE, ['Programmer']));

  const valid = [
    '<action>add</action><operator>Plan</operator>',
    '<action>add</action><structure>parallel</structure><operators>Programmer, Custom, AnswerGenerate</operators>',
    '<action>add</action><structure>conditional</structure><condition>Verify</condition><true>Revise</true><false>done</false>',
    '<action>add</action><structure>conditional</structure><condition>Test</condition><true>Programmer</true><false>Format</false>',
    '<action>add</action><structure>loop</structure><operators>Revise, Review</operators><count>2</count>',
    '<action>delete</action><target>node_3</target>',
    '<action>modify</action><target>node_2_p1</target><operator>AnswerGenerate</operator>',
    '<action>set_prompt</action><target>node_1</target><prompt>Plan in three steps.</prompt>',
    '<action>finish</action>',
  ];
  const invalid = [
    '<action>add</action><operator>plan</operator>',
    '<action>add</action><operator>Coder</operator>',
    '<action>add</action><structure>parallel</structure><operators>Custom</operators>',
    '<action>add</action><structure>parallel</structure><operators>Custom, ScEnsemble</operators>',
    '<action>finish</action><action>finish</action>',
    '<think>x</think><action>finish</action>',
    '<action>add</action><structure>loop</structure><operators>Revise</operators><count>0</count>',
    '<action>set_prompt</action><target>node_1</target><prompt>ok</prompt>',
  ];

  it('is accepted by llama.cpp and matches exactly the valid actions', () => {
    const result = llamaCheck(
      { generic: ACTION_GRAMMAR, state: stateGrammar, mc: mcGrammar, prompt: PROMPT_GRAMMAR },
      {
        generic: [...valid, ...invalid],
        state: [
          '<action>delete</action><target>node_2</target>',
          '<action>delete</action><target>node_5</target>',
          '<action>modify</action><target>node_2_p0</target><operator>Custom</operator>',
          '<action>finish</action>',
        ],
        mc: ['<action>add</action><operator>Programmer</operator>', '<action>add</action><operator>Custom</operator>'],
        prompt: ['Compute the total.', 'abc', 'Use <tags>'],
      },
    );
    for (const v of valid) expect([v, result.generic?.[v]]).toEqual([v, true]);
    for (const v of invalid) expect([v, result.generic?.[v]]).toEqual([v, false]);
    expect(result.state).toEqual({
      '<action>delete</action><target>node_2</target>': true,
      '<action>delete</action><target>node_5</target>': false,
      '<action>modify</action><target>node_2_p0</target><operator>Custom</operator>': true,
      '<action>finish</action>': false, // the finish rules do not hold yet
    });
    expect(result.mc).toEqual({
      '<action>add</action><operator>Programmer</operator>': false,
      '<action>add</action><operator>Custom</operator>': true,
    });
    expect(result.prompt).toEqual({ 'Compute the total.': true, abc: false, 'Use <tags>': false });
  });

  it('uses only plain GBNF: lower-case dashed rule names, no repetition counts', () => {
    for (const g of [ACTION_GRAMMAR, stateGrammar, mcGrammar, PROMPT_GRAMMAR]) {
      for (const rule of g.trim().split('\n')) expect(rule).toMatch(/^[a-z][a-z0-9-]* ::= /);
      expect(g).not.toMatch(/\{\d/);
    }
  });

  it('produces only texts the parser accepts', () => {
    for (const v of valid) expect(parseAction(v).ok).toBe(true);
  });
});

describe('JSON schema of actions', () => {
  it('accepts every action form and rejects malformed ones', () => {
    const good = [
      { action: 'add', operator: 'Plan' },
      { action: 'add', structure: 'parallel', operators: ['Programmer', 'Custom'] },
      { action: 'add', structure: 'conditional', condition: 'Review', true: 'Revise', false: 'done' },
      { action: 'add', structure: 'loop', operators: ['Revise'], count: 2 },
      { action: 'delete', target: 'node_2' },
      { action: 'modify', target: 'node_2_p0', operator: 'Custom' },
      { action: 'set_prompt', target: 'node_1', prompt: 'Plan it out.' },
      { action: 'finish' },
    ];
    const bad = [
      { action: 'add', operator: 'plan' },
      { action: 'add', structure: 'parallel', operators: ['Custom'] },
      { action: 'add', structure: 'parallel', operators: ['Custom', 'Aggregate'] },
      { action: 'add', structure: 'loop', operators: ['Revise'], count: 11 },
      { action: 'delete', target: 'n2' },
      { action: 'set_prompt', target: 'node_1', prompt: 'ok' },
      { action: 'jump' },
      { action: 'finish', extra: 1 },
    ];
    for (const g of good) {
      expect([g, validates(ACTION_JSON_SCHEMA, g)]).toEqual([g, true]);
      expect(parseAction(JSON.stringify(g)).ok).toBe(true);
    }
    for (const b of bad) expect([b, validates(ACTION_JSON_SCHEMA, b)]).toEqual([b, false]);
  });

  it('narrows targets to the canvas when built from a state', () => {
    const s = new Session();
    s.add('Plan');
    const schema = actionJsonSchema(actionVocabulary(s.state));
    expect(validates(schema, { action: 'delete', target: 'node_1' })).toBe(true);
    expect(validates(schema, { action: 'delete', target: 'node_2' })).toBe(false);
    expect(validates(schema, { action: 'finish' })).toBe(false);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
