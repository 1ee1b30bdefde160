import fc from 'fast-check';
import type { Action } from '../actions/types';
import { OPERATOR_NAMES } from '../catalogue';

/** Mostly valid names, sometimes wrong case or invented. */
export const operatorName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...OPERATOR_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom('custom', 'PLAN', 'Coder', 'Check', 'MdEnsemble', 'done', '') },
);
export const validOperator = fc.constantFrom(...OPERATOR_NAMES);
const target = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map((n) => `node_${n}`),
  fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom('_p0', '_p1', '_cond', '_true', '_false', '_l0', '_l1'))
    .map(([n, s]) => `node_${n}${s}`),
  fc.constantFrom('node_0', 'nodeX', ''),
);
const position = fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined });
const prompt = fc.oneof(fc.constantFrom('Solve it carefully.', 'Check the arithmetic twice.', 'ok', ''), fc.string({ maxLength: 30 }));

export const action: fc.Arbitrary<Action> = fc
  .oneof(
    { weight: 5, arbitrary: fc.record({ type: fc.constant('add' as const), operator: operatorName, position }) },
    {
      weight: 2,
      arbitrary: fc.record({ type: fc.constant('add_parallel' as const), operators: fc.array(operatorName, { maxLength: 4 }), position }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('add_conditional' as const),
        condition: operatorName,
        fix: operatorName,
        otherwise: fc.option(operatorName, { nil: null }),
        position,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('add_loop' as const),
        operators: fc.array(operatorName, { maxLength: 3 }),
        count: fc.integer({ min: -1, max: 12 }),
        position,
      }),
    },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('delete' as const), target }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('modify' as const), target, operator: operatorName }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('set_prompt' as const), target, prompt }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('finish' as const) }) },
    { weight: 6, arbitrary: fc.record({ type: fc.constant('prompt' as const), prompt }) },
  )
  .map((a) => JSON.parse(JSON.stringify(a)) as Action);

/** Director turns: structured actions, their text form, or junk text. */
export const turnInput: fc.Arbitrary<Action | string> = fc.oneof(
  { weight: 6, arbitrary: action },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '<action>finish</action>',
      'Add a Programmer please',
      '<think>hmm',
      '',
      '<action>add</action><operator>Custom',
    ),
  },
);

/**
 * A turn described relative to the canvas it meets (targets picked among existing ids, prompts
 * written when one is pending), so random sequences reach deep states instead of bouncing off.
 */
export type Intent =
  | { k: 'raw'; input: Action | string }
  | { k: 'add'; op: string; position?: number }
  | { k: 'parallel'; ops: string[] }
  | { k: 'conditional'; ops: [string, string, string | null] }
  | { k: 'loop'; ops: string[]; count: number }
  | { k: 'delete' | 'modify' | 'set_prompt'; pick: number; op: string; child: boolean }
  | { k: 'finish' };

export const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 2, arbitrary: turnInput.map((input) => ({ k: 'raw' as const, input })) },
  {
    weight: 5,
    arbitrary: fc
      .record({ k: fc.constant('add' as const), op: operatorName, position })
      .map((a) => JSON.parse(JSON.stringify(a)) as Intent),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('parallel' as const), ops: fc.array(validOperator, { minLength: 1, maxLength: 3 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('conditional' as const),
      ops: fc.tuple(fc.constantFrom('Review', 'Verify', 'Test', 'Custom'), validOperator, fc.option(validOperator, { nil: null })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('loop' as const),
      ops: fc.array(validOperator, { minLength: 1, maxLength: 2 }),
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constantFrom('delete' as const, 'modify' as const, 'set_prompt' as const),
      pick: fc.nat(),
      op: operatorName,
      child: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ k: 'finish' as const }) },
);

/** The input an intent stands for on this canvas. Pending prompts are answered 85% of the time. */
export function resolveIntent(
  state: { phase: string; graph: { nodes: { id: string; kind: string }[] } },
  it: Intent,
  ids: (state: never) => string[],
  seed: number,
): Action | string {
  if (it.k === 'raw') return it.input;
  if (state.phase === 'awaiting_prompt' && seed % 20 < 17) return `Prompt ${seed % 7}: solve the step carefully.`;
  switch (it.k) {
    case 'add':
      return { type: 'add', operator: it.op, ...(it.position !== undefined ? { position: it.position } : {}) };
    case 'parallel':
      return { type: 'add_parallel', operators: it.ops };
    case 'conditional':
      return { type: 'add_conditional', condition: it.ops[0], fix: it.ops[1], otherwise: it.ops[2] };
    case 'loop':
      return { type: 'add_loop', operators: it.ops, count: it.count };
    case 'finish':
      return { type: 'finish' };
    default: {
      const pool = it.child ? ids(state as never) : state.graph.nodes.map((n) => n.id);
      const target = pool.length > 0 ? (pool[it.pick % pool.length] as string) : 'node_1';
      if (it.k === 'delete') return { type: 'delete', target };
      if (it.k === 'modify') return { type: 'modify', target, operator: it.op };
      return { type: 'set_prompt', target, prompt: `Refined prompt ${it.pick % 5} for this node.` };
    }
  }
}
