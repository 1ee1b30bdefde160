/**
 * A generated corpus of malformed director outputs. Each one must come back from `takeTurn` as a
 * rejection with the expected code, a reason and a hint; the graph must not change; nothing throws.
 */
import { OPERATOR_NAMES } from '../catalogue';
import { initialState, takeTurn, type CanvasState } from '../decider';
import type { RejectionCode } from '../rejection';
import { Session, MATH } from '../test-support/fixtures';

interface Case {
  name: string;
  text: string;
  expect: RejectionCode;
  /** The canvas the output arrives at (default: empty, building). */
  on?: 'empty' | 'built';
}

/** Deterministic pseudo-random numbers for the binary junk (a 32-bit LCG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function corpus(): Case[] {
  const cases: Case[] = [];
  const add = (name: string, text: string, expect: RejectionCode, on?: Case['on']) =>
    cases.push({ name, text, expect, ...(on ? { on } : {}) });

  // 1. Truncated tags.
  for (const op of OPERATOR_NAMES) {
    const full = `<action>add</action><operator>${op}</operator>`;
    add(`truncated action close (${op})`, full.slice(0, '<action>add</ac'.length), 'unclosed_tag');
    add(`truncated action open (${op})`, '<acti', 'unclosed_tag');
    add(`cut after </action> (${op})`, '<action>add</action>', 'missing_argument');
    add(`truncated operator value (${op})`, `<action>add</action><operator>${op.slice(0, 3)}`, 'unclosed_tag');
    add(`truncated operator close (${op})`, `<action>add</action><operator>${op}</opera`, 'unclosed_tag');
    add(`missing > on operator close (${op})`, `<action>add</action><operator>${op}</operator`, 'unclosed_tag');
    add(`truncated operators list (${op})`, `<action>add</action><structure>parallel</structure><operators>${op}, Cus`, 'unclosed_tag');
    add(`truncated condition (${op})`, `<action>add</action><structure>conditional</structure><condition>${op}`, 'unclosed_tag');
    add(
      `conditional cut before true (${op})`,
      `<action>add</action><structure>conditional</structure><condition>${op}</condition>`,
      'missing_argument',
    );
    add(`truncated set_prompt (${op})`, `<action>set_prompt</action><target>node_1</target><prompt>Use ${op} to`, 'unclosed_tag', 'built');
  }
  for (const prefix of [
    '<action>modify</action><target>node_1',
    '<action>delete</action><target>node_',
    '<action>add</action><structure>loop</structure><operators>Revise</operators><count>2',
    '<action>finish</action><answer>4',
  ]) {
    add(`truncated argument: ${prefix}`, prefix, 'unclosed_tag', 'built');
  }

  // 2. Wrong case in operator names: rejected by the canvas with a "did you mean".
  const casings: [string, (s: string) => string][] = [
    ['lower', (s) => s.toLowerCase()],
    ['upper', (s) => s.toUpperCase()],
    ['swapped', (s) => [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('')],
  ];
  for (const op of OPERATOR_NAMES) {
    for (const [how, f] of casings) {
      const bad = f(op);
      add(`${how}-case add ${op}`, `<action>add</action><operator>${bad}</operator>`, 'unknown_operator');
      add(`${how}-case tags, ${how}-case name ${op}`, `<ACTION>ADD</ACTION><OPERATOR>${bad}</OPERATOR>`, 'unknown_operator');
    }
    add(
      `lower-case conditional fix ${op}`,
      `<action>add</action><structure>conditional</structure><condition>Review</condition><true>${op.toLowerCase()}</true>`,
      'unknown_operator',
    );
    add(
      `lower-case loop ${op}`,
      `<action>add</action><structure>loop</structure><operators>${op.toLowerCase()}</operators><count>2</count>`,
      'unknown_operator',
    );
    add(
      `lower-case modify ${op}`,
      `<action>modify</action><target>node_1</target><operator>${op.toLowerCase()}</operator>`,
      'unknown_operator',
      'built',
    );
  }

  // 3. Two actions where the first is broken: only the first is read.
  const seconds = [
    '<action>finish</action>',
    '<action>add</action><operator>Plan</operator>',
    '<action>delete</action><target>node_1</target>',
  ];
  for (const second of seconds) {
    add(`two actions, first without operator + ${second}`, `<action>add</action>${second}`, 'missing_argument');
    add(`two actions, first unknown verb + ${second}`, `<action>jump</action>${second}`, 'unknown_action');
    add(`two actions, first unknown operator + ${second}`, `<action>add</action><operator>Solver</operator>${second}`, 'unknown_operator');
    add(
      `two actions, first delete of a missing node + ${second}`,
      `<action>delete</action><target>node_99</target>\n${second}`,
      'unknown_target',
    );
    add(`two actions, first finish too early + ${second}`, `<action>finish</action>\n${second}`, 'finish_rejected');
    add(`two actions, first bad structure + ${second}`, `<action>add</action><structure>tree</structure>${second}`, 'unknown_structure');
    add(
      `two actions, first parallel of one + ${second}`,
      `<action>add</action><structure>parallel</structure><operators>Custom</operators>${second}`,
      'too_few_operators',
    );
    add(
      `two actions, first delete of a child + ${second}`,
      `<action>delete</action><target>node_2_p0</target>${second}`,
      'child_target',
      'built',
    );
  }

  // 4. Unknown operators in every position.
  const invented = [
    'Coder',
    'Check',
    'Solver',
    'Planner',
    'Reviewer',
    'MdEnsemble',
    'CustomCodeGenerate',
    'Python',
    'Summarize',
    'GPT4',
    'Answer',
    'Verifier',
    'Tester',
    'Ensemble',
    'Formatter',
    'done',
  ];
  for (const name of invented) {
    add(`unknown add ${name}`, `<action>add</action><operator>${name}</operator>`, 'unknown_operator');
    add(
      `unknown parallel branch ${name}`,
      `<action>add</action><structure>parallel</structure><operators>Custom, ${name}</operators>`,
      'unknown_operator',
    );
    add(
      `unknown condition ${name}`,
      `<action>add</action><structure>conditional</structure><condition>${name}</condition><true>Revise</true><false>done</false>`,
      'unknown_operator',
    );
    add(
      `unknown loop body ${name}`,
      `<action>add</action><structure>loop</structure><operators>${name}, Review</operators><count>2</count>`,
      'unknown_operator',
    );
    add(
      `unknown modify ${name}`,
      `<action>modify</action><target>node_1</target><operator>${name}</operator>`,
      'unknown_operator',
      'built',
    );
    add(`unknown JSON add ${name}`, `{"action":"add","operator":"${name}"}`, 'unknown_operator');
  }

  // 5. Empty and thinking-only outputs.
  for (const ws of ['', ' ', '\n', '\t\t', ' \n \n ', '\r\n', '\u00a0'.trim(), '```\n```', '``````'])
    add(`empty ${JSON.stringify(ws)}`, ws, 'empty');
  for (const t of [
    '<think></think>',
    '<think>I should add a Plan first.</think>',
    '<think>long',
    '<THINK>x</THINK>',
    '<think_only>hmm</think_only>',
    '[think]x[/think]',
    'reasoning...</think>',
    '<think>a</think><think>b',
  ]) {
    add(`thinking only ${JSON.stringify(t)}`, t, 'think_only');
  }
  for (const t of [
    '<action></action>',
    '<action> </action>',
    '<action>add</action><operator> </operator>',
    '<action>delete</action><target></target>',
  ])
    add(`empty tag ${t}`, t, 'empty_argument');

  // 6. Huge outputs.
  const huge = (n: number, s: string) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
  for (const n of [10_000, 50_000, 120_000, 250_000]) {
    add(`huge prose ${n}`, huge(n, 'lorem ipsum dolor sit amet '), 'no_action');
    add(`huge prose naming two operators ${n}`, huge(n, 'we could use Programmer or maybe Custom here. '), 'ambiguous_fallback');
    add(`huge thinking ${n}`, `<think>${huge(n, 'pondering ')}`, 'think_only');
    // Past the read limit the closing tag is cut off.
    add(
      `huge unknown operator ${n}`,
      `<action>add</action><operator>${huge(n, 'X')}</operator>`,
      n < 100_000 ? 'unknown_operator' : 'unclosed_tag',
    );
    add(`huge truncated operator ${n}`, `<action>add</action><operator>${huge(n, 'Plan')}`, 'unclosed_tag');
    add(`huge whitespace ${n}`, huge(n, ' \n'), 'empty');
  }
  add('action past the read limit', `${huge(120_000, 'z ')}<action>add</action><operator>Plan</operator>`, 'no_action');

  // 7. Binary junk (no letters, so no operator name can appear by chance).
  const rnd = lcg(20260201);
  for (let i = 0; i < 120; i++) {
    const len = 1 + Math.floor(rnd() * 400);
    let s = '';
    for (let k = 0; k < len; k++) {
      let code = Math.floor(rnd() * 256);
      if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 60 || code === 91) code = 0; // letters, '<', '['
      s += String.fromCharCode(code);
    }
    // eslint-disable-next-line no-control-regex
    const printable = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
    add(`binary junk #${i}`, s, printable === '' ? 'empty' : 'no_action');
  }
  for (let i = 0; i < 20; i++)
    add(`control characters #${i}`, String.fromCharCode(...Array.from({ length: 5 + i }, (_, k) => (k * 7 + i) % 9)), 'empty');

  // 8. Valid syntax, refused by the canvas rules.
  for (const ens of ['ScEnsemble', 'Aggregate']) {
    add(
      `${ens} inside a parallel`,
      `<action>add</action><structure>parallel</structure><operators>Custom, ${ens}</operators>`,
      'not_allowed_in_parallel',
    );
    add(
      `modify a branch into ${ens}`,
      `<action>modify</action><target>node_2_p0</target><operator>${ens}</operator>`,
      'not_allowed_in_parallel',
      'built',
    );
  }
  for (const t of ['node_7', 'node_0', 'node_1_p5', 'Node_1', 'node-1']) {
    add(`delete missing ${t}`, `<action>delete</action><target>${t}</target>`, 'unknown_target', 'built');
    add(`modify missing ${t}`, `<action>modify</action><target>${t}</target><operator>Custom</operator>`, 'unknown_target', 'built');
    add(
      `set_prompt missing ${t}`,
      `<action>set_prompt</action><target>${t}</target><prompt>Do it well.</prompt>`,
      'unknown_target',
      'built',
    );
  }
  add('modify a structure', '<action>modify</action><target>node_2</target><operator>Custom</operator>', 'not_an_operator', 'built');
  add(
    'set_prompt on a structure',
    '<action>set_prompt</action><target>node_2</target><prompt>Do it well.</prompt>',
    'not_an_operator',
    'built',
  );
  add('set_prompt too short', '<action>set_prompt</action><target>node_1</target><prompt>ok</prompt>', 'prompt_too_short', 'built');
  add(
    'set_prompt too long',
    `<action>set_prompt</action><target>node_1</target><prompt>${huge(5000, 'word ')}</prompt>`,
    'prompt_too_long',
    'built',
  );
  add('finish on the empty canvas', '<action>finish</action>', 'finish_rejected');
  add('finish on a small canvas', '<action>finish</action>', 'finish_rejected', 'built');
  add('JSON finish on a small canvas', '{"action":"finish"}', 'finish_rejected', 'built');
  add('several operators in one add', '<action>add</action><operator>Plan, Custom</operator>', 'invalid_argument');
  add('unknown verb', '<action>insert_node</action><operator>Plan</operator>', 'unknown_action');
  add('unknown structure', '<action>add</action><structure>graph</structure><operators>Plan</operators>', 'unknown_structure');
  return cases;
}

function builtCanvas(): CanvasState {
  const s = new Session(MATH);
  s.add('Plan');
  s.turn('<action>add</action><structure>parallel</structure><operators>Programmer, Custom</operators>');
  s.turn('Compute it in code.');
  s.turn('Reason it out in words.');
  return s.state;
}

describe('malformed director outputs', () => {
  const all = corpus();
  const empty = initialState(MATH);
  const built = builtCanvas();

  it('has at least 500 generated cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(500);
    const codes = new Set(all.map((c) => c.expect));
    expect(codes.size).toBeGreaterThanOrEqual(15);
  });

  it.each(all.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const state = c.on === 'built' ? built : empty;
    let out: ReturnType<typeof takeTurn> | undefined;
    expect(() => {
      out = takeTurn(state, c.text);
    }).not.toThrow();
    if (!out) throw new Error('no outcome');
    expect(out.accepted).toBe(false);
    expect(out.rejection?.code).toBe(c.expect);
    expect(out.rejection?.reason.length).toBeGreaterThan(8);
    expect(out.rejection?.hint.length).toBeGreaterThan(8);
    // The turn is consumed, and nothing else changes.
    expect(out.events).toHaveLength(1);
    expect(out.state.turn).toBe(state.turn + 1);
    expect(out.state.graph).toBe(state.graph);
    expect(out.state.phase).toBe(state.phase);
    expect(out.execute).toBe(false);
  });
});
