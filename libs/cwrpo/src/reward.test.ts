import fc from 'fast-check';
import { createCatalogue, BUILTIN_OPERATORS, OPERATOR_NAMES } from '@flowsteer/canvas';
import { computeReward } from './reward';
import { analyseWorkflowDsl } from './workflow-features';
import { CwrpoError } from './errors';

describe('computeReward: the worked examples of spec §4.2', () => {
  it.each([
    ['Plan -> Verify -> Format', 0.4, false, -0.6],
    ['Plan -> [Programmer, Custom] -> Verify -> Format', 0.8, false, -0.2],
  ])('%s gives R_div %d and is not released', (dsl, diversity, released, total) => {
    for (const referenceCompat of [false, true]) {
      const r = computeReward(dsl, 1, { referenceCompat });
      expect(r.diversity).toBeCloseTo(diversity, 12);
      expect(r.released).toBe(released);
      expect(r.answer).toBe(0);
      expect(r.total).toBeCloseTo(total, 12);
    }
  });

  it('releases correctness once all four terms hold: R = 0 + c', () => {
    const dsl = 'Plan -> Decompose -> [Programmer, Custom] -> Aggregate -> Verify -> Format';
    for (const c of [0, 0.35, 1]) {
      const r = computeReward(dsl, c);
      expect(r).toMatchObject({ diversity: 1, released: true, answer: c, correctness: c, operatorCount: 7 });
      expect(r.total).toBeCloseTo(c, 12);
    }
  });

  it('reports each part separately', () => {
    const r = computeReward('Plan -> [Programmer, Custom] -> Verify -> Format', 0.7);
    expect(r).toEqual({
      base: -1,
      diversity: 0.8,
      hasChecker: true,
      hasFormat: true,
      hasEnoughOperators: false,
      hasStructure: true,
      operatorCount: 5,
      correctness: 0.7,
      released: false,
      answer: 0,
      total: -1 + 0.8,
    });
  });

  it('an empty workflow earns only the base reward', () => {
    expect(computeReward('', 1).total).toBe(-1);
  });

  it('rejects correctness outside [0, 1] or not finite, saying so', () => {
    expect(() => computeReward('Plan', 1.5)).toThrow(new CwrpoError('correctness must lie in [0, 1], got 1.5'));
    expect(() => computeReward('Plan', Number.NaN)).toThrow(/finite/);
  });

  it('accepts features computed elsewhere (e.g. canvas statistics)', () => {
    const r = computeReward(
      {
        operators: ['Plan', 'Custom', 'Custom', 'Custom', 'Review', 'Format'],
        hasChecker: true,
        hasFormat: true,
        structures: { parallel: false, conditional: false, loop: true },
        hasStructure: true,
      },
      0.5,
    );
    expect(r.total).toBeCloseTo(0.5, 12);
  });
});

describe('loops as structure (DESIGN §6) and the reference compatibility option', () => {
  const loopOnly = 'Plan -> (Programmer -> Review -> Revise) * 3 -> Custom -> Format';

  it('counts a canvas loop as structure by default, so correctness is released', () => {
    const r = computeReward(loopOnly, 1);
    expect(r.hasStructure).toBe(true);
    expect(r.diversity).toBe(1);
    expect(r.total).toBeCloseTo(1, 12);
  });

  it('reproduces the reference with referenceCompat: the loop earns nothing, R_div caps at 0.6', () => {
    const r = computeReward(loopOnly, 1, { referenceCompat: true });
    expect(r.hasStructure).toBe(false);
    expect(r.diversity).toBeCloseTo(0.6, 12);
    expect(r.released).toBe(false);
    expect(r.total).toBeCloseTo(-0.4, 12);
  });

  it('treats the prompt notation [..]x2 as structure in both modes', () => {
    for (const referenceCompat of [false, true]) {
      expect(analyseWorkflowDsl('Plan -> [Custom, Custom]x2 -> Format', { referenceCompat }).hasStructure).toBe(true);
    }
    expect(analyseWorkflowDsl('Plan -> (Custom -> Review) x 2', { referenceCompat: true }).structures.loop).toBe(true);
  });
});

describe('analyseWorkflowDsl', () => {
  it('counts operators with repeats, word-bounded, loop bodies as written', () => {
    const f = analyseWorkflowDsl('Plan -> [Programmer, Programmer, Custom] -> ScEnsemble -> Review ? Revise : done -> Format');
    expect(f.operators).toEqual(['Plan', 'Programmer', 'Programmer', 'Custom', 'ScEnsemble', 'Review', 'Revise', 'Format']);
    expect(f.structures).toEqual({ parallel: true, conditional: true, loop: false });
    expect(analyseWorkflowDsl('(Custom -> Review) * 3').operators).toEqual(['Custom', 'Review']);
  });

  it('ignores names outside the catalogue, such as CustomCodeGenerate and MdEnsemble', () => {
    const f = analyseWorkflowDsl('CustomCodeGenerate -> MdEnsemble -> Formatter -> done');
    expect(f.operators).toEqual([]);
    expect(f.hasFormat).toBe(false);
  });

  it('finds each checker of the catalogue', () => {
    for (const name of ['Review', 'Verify', 'Test']) {
      expect(analyseWorkflowDsl(`Custom -> ${name}`).hasChecker).toBe(true);
    }
    expect(analyseWorkflowDsl('Custom -> Revise -> Format').hasChecker).toBe(false);
  });

  it('counts plug-in operators from the given catalogue, but not under referenceCompat', () => {
    const base = BUILTIN_OPERATORS.find((s) => s.name === 'Verify');
    if (!base) throw new Error('catalogue lacks Verify');
    const catalogue = createCatalogue([{ ...base, name: 'FactCheck', plugin: true }]);
    expect(analyseWorkflowDsl('Custom -> FactCheck', { catalogue })).toMatchObject({
      operators: ['Custom', 'FactCheck'],
      hasChecker: true,
    });
    expect(analyseWorkflowDsl('Custom -> FactCheck', { referenceCompat: true })).toMatchObject({
      operators: ['Custom'],
      hasChecker: false,
    });
  });

  it('does not see structure in a plain chain', () => {
    expect(analyseWorkflowDsl('Plan -> Custom -> Review -> Revise -> Verify -> Format').hasStructure).toBe(false);
  });
});

describe('reward properties', () => {
  const names = [...OPERATOR_NAMES, 'done'];
  const step = fc.oneof(
    fc.constantFrom(...names),
    fc.array(fc.constantFrom(...OPERATOR_NAMES), { minLength: 2, maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc.tuple(fc.constantFrom('Review', 'Verify', 'Test'), fc.constantFrom(...OPERATOR_NAMES)).map(([c, t]) => `${c} ? ${t} : done`),
    fc
      .tuple(fc.array(fc.constantFrom(...OPERATOR_NAMES), { minLength: 1, maxLength: 3 }), fc.integer({ min: 2, max: 5 }))
      .map(([xs, n]) => `(${xs.join(' -> ')}) * ${n}`),
  );
  const dslArb = fc.array(step, { maxLength: 9 }).map((steps) => steps.join(' -> '));
  const unit = fc.double({ min: 0, max: 1, noNaN: true });

  it('stays in [-1, 1] and adds up its parts', () => {
    fc.assert(
      fc.property(dslArb, unit, fc.boolean(), (dsl, c, referenceCompat) => {
        const r = computeReward(dsl, c, { referenceCompat });
        expect(r.total).toBeGreaterThanOrEqual(-1);
        expect(r.total).toBeLessThanOrEqual(1 + 1e-12);
        expect(r.total).toBeCloseTo(r.base + r.diversity + r.answer, 12);
        expect([0, 0.2, 0.4, 0.6, 0.8, 1]).toContain(r.diversity);
      }),
    );
  });

  it('lets correctness count only when R_div = 1', () => {
    fc.assert(
      fc.property(dslArb, unit, fc.boolean(), (dsl, c, referenceCompat) => {
        const r = computeReward(dsl, c, { referenceCompat });
        expect(r.released).toBe(r.diversity === 1);
        expect(r.answer).toBe(r.diversity === 1 ? c : 0);
        // correctness never changes an unreleased reward
        expect(computeReward(dsl, 0, { referenceCompat }).total === r.total).toBe(!r.released || c === 0);
      }),
    );
  });

  it('never gives less structure by default than the reference does for canvas output', () => {
    fc.assert(
      fc.property(dslArb, (dsl) => {
        const ours = computeReward(dsl, 0).diversity;
        const theirs = computeReward(dsl, 0, { referenceCompat: true }).diversity;
        expect(ours).toBeGreaterThanOrEqual(theirs);
      }),
    );
  });
});
