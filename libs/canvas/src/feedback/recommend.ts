import { findOperator } from '../catalogue';
import { unmetFinishRules, isLongAnswer, type UnmetRule } from '../decider/finish';
import { catalogueOf, disabledOperators, taskFamily } from '../decider/options';
import type { CanvasState } from '../decider/state';
import { graphStatistics } from '../graph/statistics';
import { operatorsOf } from '../graph/nodes';

/**
 * The rule-based next-step recommendation shown in the feedback (`[NEXT]`, `[REASON]`,
 * `[BLOCK_FINISH]`). It follows the reference's intent — plan, solve, check, format, finish; repair
 * errors first; combine parallel branches — in rules of our own.
 */
export type NextStep =
  | { kind: 'add'; operator: string; position?: number }
  | { kind: 'structure'; structure: 'parallel' | 'conditional' | 'loop'; operators: string[]; position?: number }
  | { kind: 'finish' }
  | { kind: 'prompt' }
  | { kind: 'none' };

export interface Recommendation {
  next: NextStep;
  reason: string;
  /** Finish would be refused now. */
  blockFinish: boolean;
  unmet: UnmetRule[];
}

const ERROR_KINDS =
  /\b(AssertionError|NameError|TypeError|ValueError|SyntaxError|IndexError|KeyError|ZeroDivisionError|RecursionError|AttributeError|ImportError|Timeout|TIMEOUT|timed out)\b/;

export function recommendNext(state: CanvasState): Recommendation {
  const unmet = unmetFinishRules(state);
  const blockFinish = unmet.length > 0;
  const done = (next: NextStep, reason: string): Recommendation => ({
    next: gate(next, state, unmet),
    reason: gated(next, unmet, reason),
    blockFinish,
    unmet,
  });
  if (state.phase === 'finished') return { next: { kind: 'none' }, reason: 'The session has finished.', blockFinish, unmet };
  if (state.phase === 'awaiting_prompt')
    return { next: { kind: 'prompt' }, reason: 'A node is waiting for its prompt.', blockFinish, unmet };

  const family = taskFamily(state.options.taskType);
  const mc = state.options.multipleChoice;
  const disabled = disabledOperators(state.options);
  const canCode = !disabled.includes('Programmer') && (family === 'math' || family === 'code');
  const solver = canCode ? 'Programmer' : 'Custom';
  const catalogue = catalogueOf(state.options);
  const stats = graphStatistics(state.graph, catalogue);
  const has = (op: string) => (stats.operatorCounts[op] ?? 0) > 0;
  const formatAt = state.graph.nodes.findIndex((n) => n.kind === 'operator' && n.operator === 'Format');
  const beforeFormat = formatAt >= 0 ? { position: formatAt } : {};
  const checker = family === 'code' ? 'Test' : family === 'math' ? 'Verify' : 'Review';
  const fixer = family === 'code' ? 'Programmer' : 'Revise';
  const checkStructure: NextStep = { kind: 'structure', structure: 'conditional', operators: [checker, fixer], ...beforeFormat };
  const remaining = state.options.maxTurns - state.turn;

  if (state.graph.nodes.length === 0) {
    return done(
      { kind: 'add', operator: family === 'code' ? 'Programmer' : family === 'math' && !mc ? 'Plan' : solver },
      'The workflow is empty: start with a planning or solving step.',
    );
  }
  if (!blockFinish && remaining <= 1) return done({ kind: 'finish' }, 'Only one turn is left and the workflow meets the finish rules.');

  const exec = state.lastExecution;
  if (exec && !exec.ok) {
    const kind = ERROR_KINDS.exec(exec.error ?? '')?.[1];
    const again = state.errorStreak >= 2 ? ' The same kind of failure has repeated: try a different approach or prompt.' : '';
    const what = kind ? `The execution failed with ${kind}.` : 'The execution failed.';
    if (canCode || has('Programmer')) {
      const last = lastOperator(state);
      if (!disabled.includes('Programmer') && (last === 'Test' || last === 'Programmer') && has('Test') && !stats.hasConditional) {
        return done(
          { kind: 'structure', structure: 'conditional', operators: ['Test', 'Programmer'], ...beforeFormat },
          `${what} Let a Test decide whether a Programmer rewrites the code.${again}`,
        );
      }
      return done(
        { kind: 'add', operator: disabled.includes('Programmer') ? 'Custom' : 'Programmer' },
        `${what} Add a step that writes working code.${again}`,
      );
    }
    return done({ kind: 'add', operator: stats.hasSolver ? 'Revise' : 'Custom' }, `${what} Add a step that repairs the answer.${again}`);
  }

  const lastParallel = lastIndexOf(state, (n) => n.kind === 'parallel');
  if (lastParallel >= 0) {
    const after = state.graph.nodes.slice(lastParallel + 1).flatMap(operatorsOf);
    if (!after.some((o) => findOperator(catalogue, o.operator)?.acceptsList)) {
      const ensemble = family === 'math' ? 'ScEnsemble' : 'Aggregate';
      return done(
        { kind: 'add', operator: ensemble, ...(lastParallel + 1 < state.graph.nodes.length ? { position: lastParallel + 1 } : {}) },
        `The parallel branches are not combined yet: add ${ensemble} right after them.`,
      );
    }
  }

  const answer = exec?.answer ?? null;
  const lastNode = state.graph.nodes[state.graph.nodes.length - 1];
  const last = lastOperator(state);
  const category = last ? findOperator(catalogue, last)?.category : undefined;

  if (mc && answer !== null && !(typeof answer === 'string' && /^\s*\(?[a-eA-E]\)?\s*$/.test(answer))) {
    if (!has('Format')) return done({ kind: 'add', operator: 'Format' }, 'A multiple-choice answer must be a single letter: add Format.');
    if ((stats.operatorCounts['Revise'] ?? 0) >= 3)
      return done({ kind: 'finish' }, 'Revising again will not help; finish with the formatted answer.');
  }
  if (lastNode?.kind === 'conditional' || category === 'checking') {
    const failedVerify = lastNode?.kind === 'operator' && exec?.calls[exec.calls.length - 1]?.passed === false;
    if (failedVerify)
      return done(
        { kind: 'structure', structure: 'conditional', operators: [last ?? checker, fixer], ...beforeFormat },
        `The ${last} check failed: let a conditional repair the answer when the check fails.`,
      );
    if (!has('Format'))
      return done({ kind: 'add', operator: 'Format' }, 'The answer has been checked: add Format to give only the final value.');
    return done({ kind: 'finish' }, 'The answer is checked and formatted.');
  }
  if (category === 'planning') {
    if (last === 'Decompose') {
      return done(
        { kind: 'structure', structure: 'parallel', operators: canCode ? ['Programmer', 'Custom'] : ['Custom', 'AnswerGenerate'] },
        'The problem is split: solve it along different lines in parallel, then Aggregate.',
      );
    }
    return done({ kind: 'add', operator: solver }, 'A plan is not an answer: add a solver that follows it.');
  }
  if (category === 'formatting') {
    if (isLongAnswer(answer))
      return done(
        { kind: 'add', operator: 'Revise', ...beforeFormat },
        'The formatted answer is still long or explanatory: revise it to the bare value.',
      );
    return done({ kind: 'finish' }, 'The answer is short and final.');
  }
  // A solver, reviser, ensemble or plug-in was last.
  if (family === 'code' && state.options.tests && !has('Test')) {
    return done(
      stats.structures === 0
        ? { kind: 'structure', structure: 'conditional', operators: ['Test', 'Programmer'] }
        : { kind: 'add', operator: 'Test' },
      'The code has tests: run them, and rewrite the code when they fail.',
    );
  }
  if (!stats.hasChecker) {
    return done(
      stats.structures === 0 ? checkStructure : { kind: 'add', operator: checker },
      `Nothing checks the answer yet: add ${checker}${stats.structures === 0 ? ' as a conditional that repairs it when the check fails' : ''}.`,
    );
  }
  if (!has('Format') && !(family === 'code'))
    return done({ kind: 'add', operator: 'Format' }, 'Add Format last so that only the final value is returned.');
  return done({ kind: 'finish' }, 'The workflow solves, checks and formats the answer.');
}

function lastOperator(state: CanvasState): string | undefined {
  const lastNode = state.graph.nodes[state.graph.nodes.length - 1];
  if (!lastNode) return undefined;
  const ops = operatorsOf(lastNode);
  if (lastNode.kind === 'conditional') return lastNode.condition.operator;
  return ops[ops.length - 1]?.operator;
}

function lastIndexOf(state: CanvasState, test: (n: CanvasState['graph']['nodes'][number]) => boolean): number {
  for (let i = state.graph.nodes.length - 1; i >= 0; i--) if (test(state.graph.nodes[i] as CanvasState['graph']['nodes'][number])) return i;
  return -1;
}

/** A finish that the rules would refuse becomes the first missing piece. */
function gate(next: NextStep, state: CanvasState, unmet: UnmetRule[]): NextStep {
  if (next.kind !== 'finish' || unmet.length === 0) return next;
  // A conditional check also adds operators and a checker, so it goes first.
  const priority: UnmetRule['rule'][] = ['empty', 'code', 'structure', 'checker', 'format', 'operators', 'pending'];
  const first = [...unmet].sort((a, b) => priority.indexOf(a.rule) - priority.indexOf(b.rule))[0] as UnmetRule;
  const formatAt = state.graph.nodes.findIndex((n) => n.kind === 'operator' && n.operator === 'Format');
  const position = formatAt >= 0 && first.rule !== 'format' ? { position: formatAt } : {};
  const m = /^conditional (\w+) \? (\w+) : done$/.exec(first.suggestion);
  if (m) return { kind: 'structure', structure: 'conditional', operators: [m[1] as string, m[2] as string], ...position };
  return { kind: 'add', operator: first.suggestion, ...position };
}

function gated(next: NextStep, unmet: UnmetRule[], reason: string): string {
  if (next.kind !== 'finish' || unmet.length === 0) return reason;
  return `Finishing is not allowed yet: ${(unmet[0] as UnmetRule).message}`;
}

/** `ADD:Verify`, `ADD:conditional(Verify ? Revise : done)`, `FINISH`, … as the feedback prints it. */
export function formatNextStep(next: NextStep): string {
  const at = 'position' in next && next.position !== undefined ? ` at position ${next.position}` : '';
  switch (next.kind) {
    case 'add':
      return `ADD:${next.operator}${at}`;
    case 'structure':
      if (next.structure === 'conditional') return `ADD:conditional(${next.operators[0]} ? ${next.operators[1]} : done)${at}`;
      if (next.structure === 'parallel') return `ADD:parallel[${next.operators.join(', ')}]${at}`;
      return `ADD:loop(${next.operators.join(' -> ')})${at}`;
    case 'finish':
      return 'FINISH';
    case 'prompt':
      return 'WRITE_PROMPT';
    case 'none':
      return 'NONE';
  }
}
