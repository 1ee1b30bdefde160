import { guidanceBlock } from '../core/guidance';
import type { OperatorImpl } from '../core/operator-call';
import { readTag, readVerdict } from '../parse/tags';
import { type Confidence, readConfidence, shouldOverwrite } from './verify-decision';

export interface VerifyOutput {
  is_correct: boolean;
  confidence: Confidence;
  /** The answer handed on: the original unless the override rule replaced it. */
  answer: string;
  verification_steps: string;
  original_answer: string;
  suggested_answer: string;
  answer_overwritten: boolean;
}

/**
 * Verify: solves the problem independently, then compares with the given answer and reports
 * whether it holds, how sure it is, and its own answer. See verify-decision.ts for when the
 * given answer is replaced. An unreadable verdict counts as "correct, low confidence".
 */
export const verify: OperatorImpl<VerifyOutput> = async (call) => {
  const { problem, prompt, taskType } = call.input;
  const originalAnswer = call.text.trim();
  const reply = await call.ask(
    'You check answers by solving the problem yourself first.',
    `${guidanceBlock('verify', prompt, taskType)}## Problem\n${problem}\n\n## Answer to check\n${originalAnswer}\n\n` +
      'First solve the problem yourself inside <work></work> and state your own final answer inside <my_answer></my_answer>. ' +
      'Then compare: <verdict>correct or incorrect</verdict> for the answer to check, and <confidence>high, medium or low</confidence>.',
  );
  const verificationSteps = readTag(reply, 'work') ?? '';
  const suggestedAnswer = readTag(reply, 'my_answer') ?? '';
  let isCorrect = readVerdict(readTag(reply, 'verdict'));
  let confidence = readConfidence(readTag(reply, 'confidence'));
  if (isCorrect === undefined) {
    call.note('verdict unreadable: treated as correct with low confidence');
    isCorrect = true;
    confidence = 'low';
  }
  if (!suggestedAnswer) call.note('my_answer tag missing: no independent answer to compare');
  const answerOverwritten = shouldOverwrite({ original: originalAnswer, suggested: suggestedAnswer, isCorrect, confidence });
  const answer = answerOverwritten ? suggestedAnswer : originalAnswer;
  const feedback =
    `Verifier (${confidence} confidence) judged the answer ${isCorrect ? 'correct' : 'incorrect'}` +
    `${suggestedAnswer ? `; its own answer: ${suggestedAnswer}` : ''}.${verificationSteps ? `\n${verificationSteps}` : ''}`;
  return {
    text: answer,
    passed: isCorrect,
    feedback,
    output: {
      is_correct: isCorrect,
      confidence,
      answer,
      verification_steps: verificationSteps,
      original_answer: originalAnswer,
      suggested_answer: suggestedAnswer,
      answer_overwritten: answerOverwritten,
    },
  };
};
