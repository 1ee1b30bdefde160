import {
  BUILTIN_OPERATORS,
  CatalogueError,
  OPERATOR_CATALOGUE,
  OPERATOR_NAMES,
  createCatalogue,
  findOperator,
  findOperatorIgnoringCase,
  isChecker,
  validateOperatorSpec,
  type OperatorSpec,
} from './index';

const plugin: OperatorSpec = {
  name: 'Translate',
  category: 'formatting',
  description: 'Translate the answer into English.',
  inputs: [{ name: 'solution', type: 'text', description: 'text to translate' }],
  outputs: [{ name: 'response', type: 'text', description: 'the translation' }],
  acceptsList: false,
  executesCode: false,
  allowedInParallel: true,
  solver: false,
  producesAnswer: true,
  promptGuidance: 'Say the target register.',
  instruction: 'Translate the text into English.',
};

describe('operator catalogue', () => {
  it('holds the 12 paper operators in 6 categories', () => {
    expect(OPERATOR_NAMES).toHaveLength(12);
    const byCategory: Record<string, string[]> = {};
    for (const s of BUILTIN_OPERATORS) (byCategory[s.category] ??= []).push(s.name);
    expect(byCategory).toEqual({
      planning: ['Plan', 'Decompose'],
      solving: ['Custom', 'AnswerGenerate', 'Programmer'],
      checking: ['Review', 'Verify', 'Test'],
      revision: ['Revise'],
      ensemble: ['ScEnsemble', 'Aggregate'],
      formatting: ['Format'],
    });
  });

  it('marks list takers, code runners and checkers', () => {
    const flag = (k: keyof OperatorSpec) => OPERATOR_CATALOGUE.operators.filter((s) => s[k] === true).map((s) => s.name);
    expect(flag('acceptsList')).toEqual(['ScEnsemble', 'Aggregate']);
    expect(flag('executesCode')).toEqual(['Programmer', 'Test']);
    expect(OPERATOR_CATALOGUE.operators.filter((s) => s.passField).map((s) => s.name)).toEqual(['Review', 'Verify', 'Test']);
    expect(OPERATOR_CATALOGUE.operators.filter((s) => !s.allowedInParallel).map((s) => s.name)).toEqual(['ScEnsemble', 'Aggregate']);
    expect(flag('solver')).toEqual(['Custom', 'AnswerGenerate', 'Programmer', 'Revise', 'Aggregate']);
    expect(isChecker(OPERATOR_CATALOGUE, 'Verify')).toBe(true);
    expect(isChecker(OPERATOR_CATALOGUE, 'Custom')).toBe(false);
  });

  it('every built-in passes its own validation and is one-line described', () => {
    for (const s of BUILTIN_OPERATORS) {
      const others = OPERATOR_CATALOGUE.operators.filter((o) => o.name !== s.name);
      expect(validateOperatorSpec(s as OperatorSpec, others)).toEqual([]);
    }
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(OPERATOR_CATALOGUE))).toEqual(OPERATOR_CATALOGUE);
  });

  it('lookups are case-sensitive, with a case-insensitive helper for hints', () => {
    expect(findOperator(OPERATOR_CATALOGUE, 'custom')).toBeUndefined();
    expect(findOperatorIgnoringCase(OPERATOR_CATALOGUE, 'custom')?.name).toBe('Custom');
  });

  it('accepts a plug-in operator without touching the built-ins', () => {
    const cat = createCatalogue([plugin]);
    expect(cat.operators).toHaveLength(13);
    expect(findOperator(cat, 'Translate')).toMatchObject({ plugin: true, category: 'formatting' });
    expect(OPERATOR_CATALOGUE.operators).toHaveLength(12);
  });

  it('rejects bad plug-ins with every problem named', () => {
    expect(() => createCatalogue([{ ...plugin, name: 'custom' }])).toThrow(/already in the catalogue/);
    expect(() => createCatalogue([{ ...plugin, name: 'done' }])).toThrow(CatalogueError);
    expect(() => createCatalogue([{ ...plugin, name: 'Bad Name' }])).toThrow(/capital letter/);
    expect(() => createCatalogue([{ ...plugin, passField: 'response' }])).toThrow(/passField/);
    expect(() => createCatalogue([plugin, plugin])).toThrow(/already/);
    try {
      createCatalogue([{ ...plugin, name: 'x', category: 'magic' as never, inputs: [] }]);
    } catch (e) {
      expect((e as CatalogueError).problems.length).toBeGreaterThanOrEqual(3);
    }
  });
});
