import type { BenchTaskType, FixedWorkflow } from '@flowsteer/contracts';

/**
 * The hand-written baseline workflow per task type (issue 7: `Plan -> Programmer -> Review ?
 * Revise : done -> Format`, adapted): math and multiple choice reason in text (Programmer is
 * disabled for multiple choice and needs a sandbox), code writes a program, QA answers from the
 * context. The same structure everywhere, so the baseline differs from FlowSteer only in who builds it.
 */
const REVIEW = 'Check the solution step by step against the problem; say whether it is correct and what is wrong.';
const REVISE = 'Fix the solution using the review feedback; keep what was right.';

export function fixedWorkflowFor(taskType: BenchTaskType): FixedWorkflow {
  switch (taskType) {
    case 'code':
      return {
        dsl: 'Plan -> Programmer -> Review ? Revise : done -> Format',
        prompts: {
          Plan: 'Outline the algorithm, the function signature and the edge cases.',
          Programmer: 'Write the complete Python solution following the plan.',
          Review: REVIEW,
          Revise: 'Fix the code using the review feedback; return the complete program.',
          Format: 'Return only the final Python code, without explanation.',
        },
      };
    case 'qa':
      return {
        dsl: 'Plan -> Custom -> Review ? Revise : done -> Format',
        prompts: {
          Plan: 'Identify which facts in the context answer the question.',
          Custom: 'Answer the question from the context.',
          Review: 'Check that the answer is supported by the context and answers exactly what is asked.',
          Revise: REVISE,
          Format: 'Give only the short answer phrase (a few words), no sentence.',
        },
      };
    case 'multiple-choice':
      return {
        dsl: 'Plan -> Custom -> Review ? Revise : done -> Format',
        prompts: {
          Plan: 'Outline how to compute the answer and compare it with the options.',
          Custom: 'Solve the problem and pick the matching option.',
          Review: REVIEW,
          Revise: REVISE,
          Format: 'Answer with the letter of the correct option only.',
        },
      };
    case 'math':
    default:
      return {
        dsl: 'Plan -> Custom -> Review ? Revise : done -> Format',
        prompts: {
          Plan: 'Outline the steps needed to solve the problem.',
          Custom: 'Solve the problem step by step following the plan.',
          Review: REVIEW,
          Revise: REVISE,
          Format: 'Give only the final answer in \\boxed{}.',
        },
      };
  }
}
