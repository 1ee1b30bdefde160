import { OPERATOR_CATALOGUE, OPERATOR_NAMES, isChecker, operatorNames, type Catalogue } from '@flowsteer/canvas';

/**
 * What the diversity reward looks at in a final workflow. Built from the DSL text by
 * `analyseWorkflowDsl`, or by a caller that already has the canvas statistics.
 */
export interface WorkflowFeatures {
  /** Operator names in order of appearance, with repeats (a loop body counts once, as written). */
  operators: string[];
  /** Some operator is a checker (Review, Verify, Test, or a checking plug-in). */
  hasChecker: boolean;
  hasFormat: boolean;
  /** Which structures the text shows. */
  structures: { parallel: boolean; conditional: boolean; loop: boolean };
  /** Whether the workflow earns the structure term (see `analyseWorkflowDsl` for the two rules). */
  hasStructure: boolean;
}

export interface AnalyseOptions {
  /**
   * Reproduce the reference code's text tests exactly: only the 12 built-in operator names count,
   * checkers are {Review, Verify, Test}, and structure is "`[` and `]`" or "`?` and `:`" or the regex
   * `x\s*\d+`, so the canvas's loop form `(A -> B) * 3` earns no structure.
   */
  referenceCompat?: boolean;
  /** Catalogue whose operator names count (default: the built-in one). Ignored with `referenceCompat`. */
  catalogue?: Catalogue;
}

const REFERENCE_CHECKERS: ReadonlySet<string> = new Set(['Review', 'Verify', 'Test']);

/** Every whole-word occurrence of one of `names` in `text`, in order. */
function findOperatorNames(text: string, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  // Longer names first so that the alternation never stops at a shorter prefix.
  const sorted = [...names].sort((a, b) => b.length - a.length);
  const escaped = sorted.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`\\b(?:${escaped.join('|')})\\b`, 'g');
  return text.match(pattern) ?? [];
}

/** Loop notations: the canvas's `( ... ) * n` (or a bare `*`, meaning 3) and the prompt's `[...]x2`. */
const LOOP_CANVAS = /\)\s*\*/;
const LOOP_X_NOTATION = /[\])]\s*x\s*\d+/;
const PARALLEL = /\[[^\]]*\S[^\]]*\]/;
const CONDITIONAL = /\?[^:]*:/;

/**
 * Reads the diversity features from a workflow in the canvas DSL text form, e.g.
 * `Plan -> [Programmer, Custom] -> ScEnsemble -> Review ? Revise : done -> Format` or
 * `Plan -> (Programmer -> Test) * 3 -> Format`.
 *
 * Default rule: a parallel block, a conditional or a loop is a structure (DESIGN §6 fix).
 * With `referenceCompat` the reference's text tests are used (spec §4.2).
 */
export function analyseWorkflowDsl(dsl: string, options: AnalyseOptions = {}): WorkflowFeatures {
  if (options.referenceCompat) {
    const operators = findOperatorNames(dsl, OPERATOR_NAMES);
    const parallel = dsl.includes('[') && dsl.includes(']');
    const conditional = dsl.includes('?') && dsl.includes(':');
    const loop = /x\s*\d+/.test(dsl);
    return {
      operators,
      hasChecker: operators.some((op) => REFERENCE_CHECKERS.has(op)),
      hasFormat: operators.includes('Format'),
      structures: { parallel, conditional, loop },
      hasStructure: parallel || conditional || loop,
    };
  }
  const catalogue = options.catalogue ?? OPERATOR_CATALOGUE;
  const operators = findOperatorNames(dsl, operatorNames(catalogue));
  const parallel = PARALLEL.test(dsl);
  const conditional = CONDITIONAL.test(dsl);
  const loop = LOOP_CANVAS.test(dsl) || LOOP_X_NOTATION.test(dsl);
  return {
    operators,
    hasChecker: operators.some((op) => isChecker(catalogue, op)),
    hasFormat: operators.includes('Format'),
    structures: { parallel, conditional, loop },
    hasStructure: parallel || conditional || loop,
  };
}
