/**
 * Why an input was not applied. Every refusal in the canvas — a parse error, an invalid edit, a
 * rejected finish — is one of these values; nothing throws.
 */
export type ParseErrorCode =
  | 'empty'
  | 'think_only'
  | 'no_action'
  | 'ambiguous_fallback'
  | 'unclosed_tag'
  | 'unknown_action'
  | 'unknown_structure'
  | 'missing_argument'
  | 'empty_argument'
  | 'invalid_argument'
  | 'prompt_too_short';

export type RejectionCode =
  | ParseErrorCode
  | 'unknown_operator'
  | 'operator_disabled'
  | 'not_allowed_in_parallel'
  | 'too_few_operators'
  | 'invalid_count'
  | 'too_many_nodes'
  | 'unknown_target'
  | 'child_target'
  | 'not_an_operator'
  | 'awaiting_prompt'
  | 'no_pending_prompt'
  | 'prompt_too_long'
  | 'finish_rejected'
  | 'session_finished'
  | 'turn_budget_exhausted'
  | 'stale_execution'
  | 'invalid_workflow';

export interface Rejection {
  code: RejectionCode;
  /** What was wrong, one sentence. */
  reason: string;
  /** What to do instead, one sentence; empty when there is nothing useful to add. */
  hint: string;
}

export function rejection(code: RejectionCode, reason: string, hint = ''): Rejection {
  return { code, reason, hint };
}
