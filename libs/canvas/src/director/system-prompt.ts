import type { Catalogue } from '../catalogue';
import { OPERATOR_CATEGORIES } from '../catalogue';
import type { ResolvedOptions } from '../decider/options';
import { disabledOperators, taskFamily } from '../decider/options';

/** The director's standing instructions for action turns, in our own words. */
export function directorSystemPrompt(options: ResolvedOptions, catalogue: Catalogue): string {
  const disabled = disabledOperators(options);
  const operators = OPERATOR_CATEGORIES.flatMap((cat) =>
    catalogue.operators
      .filter((s) => s.category === cat && !disabled.includes(s.name))
      .map((s) => `- ${s.name} (${cat}${s.acceptsList ? ', takes a list' : ''}${s.executesCode ? ', runs code' : ''}): ${s.description}`),
  );
  const f = options.finish;
  const finishRules = [
    `at least ${f.minOperators} operators in total`,
    f.requireStructure ? 'at least one parallel, conditional or loop' : '',
    f.requireChecker ? 'a solver and a checker (Review, Verify or Test)' : '',
    f.requireFormatForLongAnswer ? 'a Format when the answer is long' : '',
  ].filter(Boolean);
  return [
    'You are the Flow-Director. You build a workflow of operators that solves one problem, one edit per turn, on a canvas that runs the workflow after every complete edit and shows you the result.',
    'Each turn, output exactly ONE action in the tag format below and nothing else. Keep any thinking short; the action is mandatory.',
    '',
    '## Operators (names are case-sensitive; no others exist)',
    ...operators,
    '',
    '## Actions',
    '- <action>add</action><operator>NAME</operator> — add one operator at the end (<position>k</position> inserts at index k). Next turn you write its prompt.',
    '- <action>add</action><structure>parallel</structure><operators>A, B</operators> — two or more branches on the same input; combine them afterwards with ScEnsemble or Aggregate.',
    '- <action>add</action><structure>conditional</structure><condition>CHECK</condition><true>FIX</true><false>done</false> — CHECK runs; when it FAILS, FIX runs on its answer with its feedback; when it passes, the answer goes on (or the <false> operator runs). Written CHECK ? FIX : done.',
    '- <action>add</action><structure>loop</structure><operators>A, B</operators><count>2</count> — repeat A -> B count times.',
    '- <action>delete</action><target>node_ID</target> — remove a top-level node.',
    '- <action>modify</action><target>node_ID</target><operator>NAME</operator> — replace an operator; next turn you write its new prompt.',
    '- <action>set_prompt</action><target>node_ID</target><prompt>TEXT</prompt> — rewrite a node prompt.',
    '- <action>finish</action> — end the session; refused until the finish rules hold.',
    'After an add or modify, and for every child of a new structure, the canvas asks for the node prompt: reply with the prompt text only.',
    '',
    '## Good shapes',
    '- Plan -> Programmer -> Verify ? Revise : done -> Format (math)',
    '- Plan -> [Programmer, Custom] -> ScEnsemble -> Review ? Revise : done -> Format',
    '- Programmer -> Test ? Programmer : done -> Format (code)',
    '- Decompose -> [Custom, AnswerGenerate] -> Aggregate -> Verify ? Revise : done -> Format',
    '',
    '## Rules',
    `- Finish only when the workflow has ${finishRules.join(', ')}.`,
    '- Order: plan, solve, check, format, finish. Never add Plan or Decompose after a solver, checker or Format.',
    '- ScEnsemble and Aggregate go right after a parallel block, never inside one.',
    '- Do not add the same operator more than three times in a row. Follow [NEXT] in the feedback unless you have a reason not to.',
    '- No code fences, no XML other than the action tags.',
    ...(disabled.length > 0 ? [`- Disabled for this problem: ${disabled.join(', ')}.`] : []),
    '',
    `## This problem\n${taskHint(options)}`,
  ].join('\n');
}

/** A short task-type hint (spec §3.3 problem-type hints, in our words). */
export function taskHint(options: ResolvedOptions): string {
  if (options.multipleChoice)
    return 'Multiple choice: the final answer must be a single letter (a-e). Solve without running code, then Format the letter.';
  switch (taskFamily(options.taskType)) {
    case 'math':
      return 'Math: compute carefully (Programmer is reliable for arithmetic), check the result (Verify), and give only the final value (Format).';
    case 'code':
      return `Code: a Programmer writes the function${options.entryPoint ? ` ${options.entryPoint}` : ''}; check it with Test (not Verify). A good shape is Programmer -> Test ? Programmer : done -> Format.`;
    case 'qa':
      return 'Question answering: the answer is a short span (a name, date, number or yes/no). Use Custom or AnswerGenerate, Review it, and Format the span.';
    default:
      return 'Build a workflow that solves, checks and formats the answer.';
  }
}
