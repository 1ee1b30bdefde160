import fc from 'fast-check';
import { OPERATOR_CATALOGUE, OPERATOR_NAMES } from '../catalogue';
import { parseDsl, serializeDsl, graphStatistics, structureNode, operatorNode, type Graph, type CanvasNode } from './index';

const rules = { catalogue: OPERATOR_CATALOGUE, disabled: [] as string[] };
const parse = (text: string) => parseDsl(text, rules);

/** The graph without ids and prompts, for comparisons across renumbering. */
function shape(g: Graph): unknown {
  return g.nodes.map((n) => {
    switch (n.kind) {
      case 'operator':
        return n.operator;
      case 'parallel':
        return { p: n.branches.map((b) => b.operator) };
      case 'conditional':
        return { c: [n.condition.operator, n.fix.operator, n.otherwise?.operator ?? null] };
      case 'loop':
        return { l: n.body.map((b) => b.operator), n: n.count };
    }
  });
}

const PARALLEL_OK = OPERATOR_NAMES.filter((n) => n !== 'ScEnsemble' && n !== 'Aggregate');
const nodeArb: fc.Arbitrary<(id: string) => CanvasNode> = fc.oneof(
  fc.constantFrom(...OPERATOR_NAMES).map((op) => (id: string) => operatorNode(id, op)),
  fc
    .array(fc.constantFrom(...PARALLEL_OK), { minLength: 2, maxLength: 4 })
    .map((ops) => (id: string) => structureNode(id, { kind: 'parallel', operators: ops })),
  fc
    .tuple(
      fc.constantFrom(...OPERATOR_NAMES),
      fc.constantFrom(...OPERATOR_NAMES),
      fc.option(fc.constantFrom(...OPERATOR_NAMES), { nil: undefined }),
    )
    .map(
      ([c, t, f]) =>
        (id: string) =>
          structureNode(id, { kind: 'conditional', operators: f ? [c, t, f] : [c, t] }),
    ),
  fc.tuple(fc.array(fc.constantFrom(...OPERATOR_NAMES), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 10 })).map(
    ([ops, count]) =>
      (id: string) =>
        structureNode(id, { kind: 'loop', operators: ops, count }),
  ),
);
const graphArb: fc.Arbitrary<Graph> = fc
  .array(nodeArb, { maxLength: 8 })
  .map((makers) => ({ nodes: makers.map((m, i) => m(`node_${i + 1}`)), nextId: makers.length + 1 }));

describe('DSL serialisation', () => {
  it('writes the reference forms', () => {
    const g: Graph = {
      nodes: [
        operatorNode('node_1', 'Plan'),
        structureNode('node_2', { kind: 'parallel', operators: ['Programmer', 'Custom'] }),
        operatorNode('node_3', 'ScEnsemble'),
        structureNode('node_4', { kind: 'conditional', operators: ['Review', 'Revise'] }),
        structureNode('node_5', { kind: 'loop', operators: ['Revise', 'Review'], count: 2 }),
        structureNode('node_6', { kind: 'loop', operators: ['Custom'], count: 3 }),
        operatorNode('node_7', 'Format'),
      ],
      nextId: 8,
    };
    expect(serializeDsl(g)).toBe(
      'Plan -> [Programmer, Custom] -> ScEnsemble -> Review ? Revise : done -> (Revise -> Review) * 2 -> (Custom) * 3 -> Format',
    );
    expect(serializeDsl({ nodes: [], nextId: 1 })).toBe('');
  });

  it('gives children ids derived from the parent', () => {
    const p = structureNode('node_4', { kind: 'parallel', operators: ['Custom', 'Programmer', 'AnswerGenerate'] });
    const c = structureNode('node_5', { kind: 'conditional', operators: ['Verify', 'Revise', 'Format'] });
    const l = structureNode('node_6', { kind: 'loop', operators: ['Revise', 'Review'] });
    expect(p.kind === 'parallel' && p.branches.map((b) => b.id)).toEqual(['node_4_p0', 'node_4_p1', 'node_4_p2']);
    expect(c.kind === 'conditional' && [c.condition.id, c.fix.id, c.otherwise?.id]).toEqual(['node_5_cond', 'node_5_true', 'node_5_false']);
    expect(l.kind === 'loop' && l.body.map((b) => b.id)).toEqual(['node_6_l0', 'node_6_l1']);
  });
});

describe('DSL parser', () => {
  it('reads the issue example and the loop forms', () => {
    const r = parse('Plan -> [Programmer, Custom] -> ScEnsemble -> Review ? Revise : done -> Format');
    expect(r.ok && shape(r.graph)).toEqual([
      'Plan',
      { p: ['Programmer', 'Custom'] },
      'ScEnsemble',
      { c: ['Review', 'Revise', null] },
      'Format',
    ]);
    expect(r.ok && r.graph.nodes.map((n) => n.id)).toEqual(['node_1', 'node_2', 'node_3', 'node_4', 'node_5']);
    expect(r.ok && r.graph.nextId).toBe(6);
    const loop = parse('(A -> B) * 2'.replace('A', 'Revise').replace('B', 'Review'));
    expect(loop.ok && shape(loop.graph)).toEqual([{ l: ['Revise', 'Review'], n: 2 }]);
  });

  it('accepts a parenthesised conditional, a trailing done, spacing variants and the empty workflow', () => {
    const r = parse('Plan->Programmer->(Verify ? Revise : done)->Format -> done');
    expect(r.ok && shape(r.graph)).toEqual(['Plan', 'Programmer', { c: ['Verify', 'Revise', null] }, 'Format']);
    expect(parse('   ').ok && parse('').ok).toBe(true);
    const single = parse('(Custom)');
    expect(single.ok && shape(single.graph)).toEqual(['Custom']);
    const withElse = parse('Test ? Programmer : Format');
    expect(withElse.ok && shape(withElse.graph)).toEqual([{ c: ['Test', 'Programmer', 'Format'] }]);
  });

  it.each([
    ['Plan -> custom', 'unknown_operator', 8],
    ['Plan ->', 'invalid_workflow', 7],
    ['Plan -> [Custom]', 'invalid_workflow', 8],
    ['[Custom, ScEnsemble]', 'invalid_workflow', 0],
    ['(Custom -> Review) * 11', 'invalid_workflow', 0],
    ['(Custom -> Review)', 'invalid_workflow', 18],
    ['(Verify ? Revise : done) * 2', 'invalid_workflow', 25],
    ['Plan Custom', 'invalid_workflow', 5],
    ['done -> Plan', 'invalid_workflow', 0],
    ['Plan -> Cust$om', 'invalid_workflow', 12],
    ['[Plan, [Custom, Review]]', 'invalid_workflow', 7],
    ['Review ? Revise', 'invalid_workflow', 15],
  ])('rejects %j with %s at offset %i', (text, code, offset) => {
    const r = parse(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.offset).toBe(offset);
      expect(r.error.reason.length).toBeGreaterThan(5);
    }
  });

  it('refuses disabled operators (multiple-choice mode)', () => {
    const r = parseDsl('Programmer -> Format', { catalogue: OPERATOR_CATALOGUE, disabled: ['Programmer'] });
    expect(!r.ok && r.error.code).toBe('operator_disabled');
  });

  it('round-trips: parse(serialize(g)) has the shape of g and serialises identically', () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const text = serializeDsl(g);
        const r = parse(text);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(shape(r.graph)).toEqual(shape(g));
          expect(serializeDsl(r.graph)).toBe(text);
          expect(r.graph).toEqual(g); // ids are assigned in order, as in the generated graph
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const r = parse(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe('statistics', () => {
  it('counts operators with children, types and structures', () => {
    const r = parse('Plan -> [Programmer, Custom] -> ScEnsemble -> Review ? Revise : done -> (Revise -> Review) * 3 -> Format');
    if (!r.ok) throw new Error('parse failed');
    const s = graphStatistics(r.graph, OPERATOR_CATALOGUE);
    expect(s).toMatchObject({
      totalOperators: 9,
      uniqueTypes: 7,
      topLevelNodes: 6,
      hasParallel: true,
      hasConditional: true,
      hasLoop: true,
      structures: 3,
      hasSolver: true,
      hasChecker: true,
    });
    expect(s.operatorCounts).toEqual({ Plan: 1, Programmer: 1, Custom: 1, ScEnsemble: 1, Review: 2, Revise: 2, Format: 1 });
    expect(s.dslLength).toBe(serializeDsl(r.graph).length);
  });

  it('counts a loop-only workflow as structured', () => {
    const r = parse('Custom -> (Review -> Revise) * 2');
    expect(r.ok && graphStatistics(r.graph, OPERATOR_CATALOGUE).structures).toBe(1);
  });
});
