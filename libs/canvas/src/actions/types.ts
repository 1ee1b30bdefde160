import type { ParseErrorCode } from '../rejection';

/**
 * One director (or human) edit, as parsed from the wire format. Structures are add variants.
 * A conditional's `fix` is the `<true>` tag: it runs when the condition's check FAILS; `otherwise`
 * is the `<false>` tag (null = `done`).
 */
export type Action =
  | { type: 'add'; operator: string; position?: number; prompt?: string }
  | { type: 'add_parallel'; operators: string[]; position?: number }
  | { type: 'add_conditional'; condition: string; fix: string; otherwise: string | null; position?: number }
  | { type: 'add_loop'; operators: string[]; count: number; position?: number }
  | { type: 'delete'; target: string }
  | { type: 'modify'; target: string; operator: string }
  | { type: 'set_prompt'; target: string; prompt: string }
  | { type: 'finish'; answer?: string }
  /** The reply to a prompt request (the canvas is awaiting a node prompt). */
  | { type: 'prompt'; prompt: string };

export type ActionType = Action['type'];

export interface ParseError {
  code: ParseErrorCode;
  message: string;
  hint: string;
}

export type ParseSource = 'tags' | 'json' | 'fallback' | 'prompt';

export type ParseResult = { ok: true; action: Action; source: ParseSource; notes: string[] } | { ok: false; error: ParseError };

/** The wire tags of the action grammar (spec §3.1). */
export const ACTION_TAGS = [
  'action',
  'operator',
  'structure',
  'operators',
  'condition',
  'true',
  'false',
  'count',
  'target',
  'prompt',
  'position',
  'answer',
] as const;
export type ActionTag = (typeof ACTION_TAGS)[number];
