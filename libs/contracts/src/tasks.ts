/** One benchmark item as every part of the system sees it (loaders, sessions, scorers, reports). */
export type BenchTaskType = 'math' | 'qa' | 'code' | 'multiple-choice';

/** One stdin/stdout (or call-based) example of an APPS-style problem. */
export interface IoTest {
  /** stdio mode: the stdin text. call mode: the call arguments as upstream writes them (a JSON-like list). */
  input: string;
  /** stdio mode: the expected stdout. call mode: the expected return value as JSON text. */
  output: string;
}

export interface BenchCodeSpec {
  /** function the tests call (HumanEval `entry_point`, MBPP name parsed from the asserts, APPS starter function). */
  entryPoint?: string;
  /** Python test source: HumanEval `test` (defines `check`), MBPP asserts joined by newlines, DS-1000 `code_context`. */
  tests?: string;
  /** code to run before the tests (MBPP `test_setup_code`, sanitized MBPP `test_imports`). */
  testSetup?: string;
  /** the function header / prompt the completion continues (HumanEval `prompt`, APPS `starter_code`). */
  starterCode?: string;
  /** stdin/stdout or call-based examples (APPS). */
  ioTests?: IoTest[];
  /** how `ioTests` are run: `stdio` feeds stdin and compares stdout, `call` calls `entryPoint` with the input. */
  ioMode?: 'stdio' | 'call';
  /** held-out tests that are not shown in the problem (MBPP `challenge_test_list`). */
  extraTests?: string;
}

export interface BenchTask {
  /** registry name of the dataset, e.g. "gsm8k", "math500", "hotpotqa". */
  dataset: string;
  /** stable id inside the dataset (upstream id where one exists, otherwise the 0-based line/item index). */
  id: string;
  taskType: BenchTaskType;
  /** the text given to the solver, with its context (paragraphs, options) already embedded. */
  problem: string;
  /** gold answers; several = aliases (max over them). `[""]` marks an unanswerable SQuAD v2 question. */
  answers: string[];
  code?: BenchCodeSpec;
  /** stratum used by the seeded sampler (MATH level, APPS difficulty, ...); absent where the data has none. */
  stratum?: string;
  /** small upstream metadata worth keeping (level, subject, category, split). */
  meta?: Record<string, string | number | boolean>;
}
