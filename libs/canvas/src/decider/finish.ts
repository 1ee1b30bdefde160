import type { TextValue } from '@flowsteer/contracts';
import { graphStatistics } from '../graph/statistics';
import { catalogueOf, taskFamily } from './options';
import type { CanvasState } from './state';

export interface UnmetRule {
  rule: 'operators' | 'structure' | 'checker' | 'code' | 'format' | 'pending' | 'empty';
  /** What is missing, in one sentence. */
  message: string;
  /** The operator or structure that would satisfy it. */
  suggestion: string;
}

const LONG_MARKERS = ['Step ', 'To solve', 'Because', 'First,', 'The solution', '1. ', '2. '];

/** Whether an answer reads like an explanation rather than a bare final value (spec §1.6). */
export function isLongAnswer(answer: TextValue | null): boolean {
  if (!answer) return false;
  if (typeof answer !== 'string') return true; // only texts over the inline limit travel by reference
  const a = answer.trim();
  return a.length > 60 || a.includes('\n') || LONG_MARKERS.some((m) => a.includes(m));
}

/** The finish constraints (spec §1.6) not met by the current canvas; empty means finish is allowed. */
export function unmetFinishRules(state: CanvasState): UnmetRule[] {
  const rules = state.options.finish;
  const out: UnmetRule[] = [];
  const stats = graphStatistics(state.graph, catalogueOf(state.options));
  const has = (op: string) => (stats.operatorCounts[op] ?? 0) > 0;
  const code = taskFamily(state.options.taskType) === 'code';
  if (state.phase === 'awaiting_prompt') {
    out.push({ rule: 'pending', message: 'A node prompt is still pending.', suggestion: 'write the prompt' });
  }
  if (stats.totalOperators === 0) {
    out.push({ rule: 'empty', message: 'The workflow is empty.', suggestion: code ? 'Programmer' : 'Custom' });
    return out;
  }
  if (stats.totalOperators < rules.minOperators) {
    out.push({
      rule: 'operators',
      message: `The workflow has ${stats.totalOperators} operator${stats.totalOperators === 1 ? '' : 's'}; at least ${rules.minOperators} are needed.`,
      suggestion: !stats.hasChecker ? (code ? 'Test' : 'Verify') : !has('Format') ? 'Format' : 'Review',
    });
  }
  if (rules.requireStructure && stats.structures === 0) {
    out.push({
      rule: 'structure',
      message: 'The workflow has no parallel, conditional or loop.',
      suggestion: code ? 'conditional Test ? Programmer : done' : 'conditional Verify ? Revise : done',
    });
  }
  if (rules.requireChecker && (!stats.hasSolver || !stats.hasChecker)) {
    const missing = !stats.hasSolver
      ? 'a solver (Custom, AnswerGenerate, Programmer, Revise or Aggregate)'
      : 'a checker (Review, Verify or Test)';
    out.push({
      rule: 'checker',
      message: `The workflow lacks ${missing}.`,
      suggestion: !stats.hasSolver ? (code ? 'Programmer' : 'Custom') : code ? 'Test' : 'Verify',
    });
  }
  if (rules.requireCodeOperators && code) {
    if (!has('Programmer') && !has('Test'))
      out.push({ rule: 'code', message: 'A code task needs a Programmer or a Test.', suggestion: 'Programmer' });
    else if (state.options.tests && !has('Test'))
      out.push({ rule: 'code', message: 'This code task has tests, so the workflow must run a Test.', suggestion: 'Test' });
  }
  if (rules.requireFormatForLongAnswer && !has('Format') && isLongAnswer(state.lastExecution?.answer ?? null)) {
    out.push({ rule: 'format', message: 'The current answer is long or explanatory, and there is no Format.', suggestion: 'Format' });
  }
  return out;
}
