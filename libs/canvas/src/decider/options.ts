import { createCatalogue, validateOperatorSpec, OPERATOR_CATALOGUE, type Catalogue, type OperatorSpec } from '../catalogue';
import { rejection, type Rejection } from '../rejection';

/** What a session configures. Every field but `problem` has a default; all of it is plain JSON. */
export interface CanvasOptions {
  problem: string;
  /** `math`, `qa`, `code`, `mathqa_mc`, … (spec §4.3); steers hints, finish rules and the recommender. */
  taskType?: string;
  /** Code tasks: the function the solution must define. */
  entryPoint?: string;
  /** Code tasks: the public tests the workflow may run (Test operator). */
  tests?: string;
  /** Director turns per session, prompt turns and invalid turns included (default 20). */
  maxTurns?: number;
  /** Multiple-choice mode (Programmer disabled); 'auto' detects it from the problem (default 'auto'). */
  multipleChoice?: boolean | 'auto';
  /** Plug-in operators added to the 12 built-ins. */
  plugins?: OperatorSpec[];
  /** Finish constraints (spec §1.6); each can be turned off. */
  finish?: Partial<FinishRules>;
  /** Shortest and longest node prompt accepted (default 5 and 4000 characters). */
  minPromptChars?: number;
  maxPromptChars?: number;
  /** Most top-level nodes (default 15, the reference compiler's limit, enforced at add time here). */
  maxNodes?: number;
  /** Most loop passes actually executed (default 5, as the reference executor). */
  maxLoopIterations?: number;
  /**
   * Accept `<prompt>` inside a single-operator add and insert at once, saving a turn
   * (default false: the reference's two-step protocol always asks for the prompt next turn).
   */
  inlineAddPrompt?: boolean;
  /** Parse plain-text outputs with no action tag through the fallback (default true, as the reference). */
  fallbackParsing?: boolean;
  /** Initial workflow in DSL text; its nodes start without prompts. */
  workflow?: string;
}

export interface FinishRules {
  /** Fewest operators in total, children counted (default 5). */
  minOperators: number;
  /** At least one parallel, conditional or loop (default true). */
  requireStructure: boolean;
  /** At least one solver and one checker (default true). */
  requireChecker: boolean;
  /** Code tasks: a Programmer or a Test; and a Test when tests were given (default true). */
  requireCodeOperators: boolean;
  /** A Format when the last output is long or multi-line (default true). */
  requireFormatForLongAnswer: boolean;
}

export interface ResolvedOptions {
  problem: string;
  taskType: string;
  entryPoint: string | null;
  tests: string | null;
  maxTurns: number;
  multipleChoice: boolean;
  plugins: OperatorSpec[];
  finish: FinishRules;
  minPromptChars: number;
  maxPromptChars: number;
  maxNodes: number;
  maxLoopIterations: number;
  inlineAddPrompt: boolean;
  fallbackParsing: boolean;
}

export const DEFAULT_FINISH_RULES: FinishRules = {
  minOperators: 5,
  requireStructure: true,
  requireChecker: true,
  requireCodeOperators: true,
  requireFormatForLongAnswer: true,
};

const MC_TASK_TYPES = ['mathqa_mc', 'mc', 'multiple_choice'];
/** Option labels such as `a )`, `(b)`, `c.` at a line start; at least two distinct letters make a choice list. */
const OPTION_LABEL = /(?:^|[\s,;:])\(?([a-eA-E])\s?[).]\s*[-+$]?[\w.]/g;

/**
 * Whether a problem looks like a multiple-choice question (spec §1.2): the task type says so, or
 * the text lists options with at least two distinct labels (a-e), or says "options:" / "choose …"
 * next to such a label. Code tasks are never detected as multiple choice.
 */
export function looksMultipleChoice(problem: string, taskType: string): boolean {
  if (MC_TASK_TYPES.includes(taskType.toLowerCase())) return true;
  if (taskFamily(taskType) === 'code') return false;
  const labels = new Set<string>();
  for (const m of problem.matchAll(OPTION_LABEL)) labels.add((m[1] as string).toLowerCase());
  if (labels.size >= 2) return true;
  return labels.size >= 1 && /\b(options?\s*:|choose|which of the following)/i.test(problem);
}

/** The task family (`math`, `qa`, `code` or the given type). */
export function taskFamily(taskType: string): string {
  const t = taskType.toLowerCase();
  if (['code', 'humaneval', 'mbpp', 'apps', 'ds1000', 'bigcodebench'].includes(t)) return 'code';
  if (['math', 'gsm8k', 'aime', 'aime2025', 'reasoning'].includes(t)) return 'math';
  if (MC_TASK_TYPES.includes(t) || t === 'mathqa') return 'math';
  if (['qa', 'hotpotqa', 'squad', 'squad_v2', 'triviaqa', 'nq'].includes(t)) return 'qa';
  return t;
}

const int = (v: unknown, d: number, min: number, max: number): number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : d;

/** Checks options a caller gave; the sentences say what is wrong. */
export function checkOptions(options: CanvasOptions): Rejection | null {
  if (!options || typeof options !== 'object')
    return rejection('invalid_workflow', 'Canvas options must be an object.', 'Pass at least { problem }.');
  if (typeof options.problem !== 'string' || options.problem.trim() === '') {
    return rejection('invalid_workflow', 'The canvas needs a non-empty problem.', 'Pass the problem text as options.problem.');
  }
  const problems: string[] = [];
  const plugins = options.plugins ?? [];
  const seen: OperatorSpec[] = [...OPERATOR_CATALOGUE.operators];
  for (const spec of plugins) {
    problems.push(...validateOperatorSpec(spec, seen));
    seen.push(spec);
  }
  for (const [key, min, max] of [
    ['maxTurns', 1, 10_000],
    ['minPromptChars', 0, 1000],
    ['maxPromptChars', 1, 1_000_000],
    ['maxNodes', 1, 1000],
    ['maxLoopIterations', 1, 100],
  ] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max))
      problems.push(`${key} must be a whole number from ${min} to ${max}`);
  }
  if (problems.length > 0)
    return rejection('invalid_workflow', `Invalid canvas options: ${problems.join('; ')}.`, 'Fix the options and start again.');
  return null;
}

/** Fills defaults. Invalid values fall back to defaults (call `checkOptions` first to report them). */
export function resolveOptions(options: CanvasOptions): ResolvedOptions {
  const taskType = typeof options.taskType === 'string' && options.taskType ? options.taskType : 'default';
  const problem = String(options.problem ?? '');
  const mc = options.multipleChoice ?? 'auto';
  const plugins = validPlugins(options.plugins ?? []);
  return {
    problem,
    taskType,
    entryPoint: options.entryPoint ?? null,
    tests: options.tests ?? null,
    maxTurns: int(options.maxTurns, 20, 1, 10_000),
    multipleChoice: mc === 'auto' ? looksMultipleChoice(problem, taskType) : mc === true,
    plugins,
    finish: { ...DEFAULT_FINISH_RULES, ...(options.finish ?? {}) },
    minPromptChars: int(options.minPromptChars, 5, 0, 1000),
    maxPromptChars: int(options.maxPromptChars, 4000, 1, 1_000_000),
    maxNodes: int(options.maxNodes, 15, 1, 1000),
    maxLoopIterations: int(options.maxLoopIterations, 5, 1, 100),
    inlineAddPrompt: options.inlineAddPrompt === true,
    fallbackParsing: options.fallbackParsing !== false,
  };
}

function validPlugins(plugins: readonly OperatorSpec[]): OperatorSpec[] {
  const seen: OperatorSpec[] = [...OPERATOR_CATALOGUE.operators];
  const ok: OperatorSpec[] = [];
  for (const spec of plugins) {
    if (validateOperatorSpec(spec, seen).length === 0) {
      ok.push(spec);
      seen.push(spec);
    }
  }
  return ok;
}

/** The catalogue of a session: the built-ins plus its plug-ins. */
export function catalogueOf(options: ResolvedOptions): Catalogue {
  return options.plugins.length === 0 ? OPERATOR_CATALOGUE : createCatalogue(options.plugins);
}

/** Operators refused in this session. */
export function disabledOperators(options: ResolvedOptions): string[] {
  return options.multipleChoice ? ['Programmer'] : [];
}
