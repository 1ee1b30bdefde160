/**
 * How an answer must be written for the canonical scorer to read it: the official graders are strict
 * (GSM8K reads only "#### <number>", MATH/AIME only a \boxed{} answer), so whoever asks a model for a
 * final answer (the direct baseline, a Format step) states the convention. One definition, per scorer.
 */
import type { BenchTask } from '@flowsteer/contracts';
import { extractGsm8kHashAnswer } from './gsm8k';
import { lastBoxedOnlyStringOfficial } from './math-boxed';
import { scorerKindOfTask } from './score-answer';

export function answerInstruction(task: Pick<BenchTask, 'dataset' | 'taskType'>): string {
  switch (scorerKindOfTask(task)) {
    case 'gsm8k':
      return 'Solve the problem. End with the final answer on its own line as "#### <number>": digits only, no units, no $ sign.';
    case 'math':
    case 'aime':
      return 'Solve the problem. End with the final answer in \\boxed{}.';
    case 'mathqa':
      return 'Solve the problem and answer with the letter of the correct option only.';
    case 'code':
      return task.dataset === 'ds1000'
        ? 'Write the code that completes the solution. Reply with the code only, in one ```python block.'
        : 'Write the complete Python solution. Reply with the code only.';
    default:
      return 'Answer the question. Reply with the short answer only (a few words), no explanation.';
  }
}

/**
 * A session's final answer (a Format step's bare "18" or "\frac12") read as the content of the answer
 * line the official grader looks for, when the text has none: GSM8K `#### <answer>`, MATH and AIME
 * `\boxed{<answer>}`. The grader then judges it unchanged: `#### $18`, `#### 018` or
 * `#### The answer is 18` are still wrong. Texts that carry their own line, and other benchmarks,
 * pass through. Used for session and baseline answers; `flowsteer score` scores the raw text.
 */
export function asAnswerLine(task: Pick<BenchTask, 'dataset' | 'taskType'>, answer: string): string {
  const bare = answer.trim();
  if (bare === '') return answer;
  switch (scorerKindOfTask(task)) {
    case 'gsm8k':
      return extractGsm8kHashAnswer(answer) === null ? `#### ${bare}` : answer;
    case 'math':
    case 'aime':
      return lastBoxedOnlyStringOfficial(answer) === null ? `\\boxed{${bare}}` : answer;
    default:
      return answer;
  }
}
