import { OPERATOR_NAMES } from '../catalogue';
import { cleanDirectorText } from './clean';
import { actionFromFields, parseError, quote, type Fields } from './fields';
import { findTag, hasTagFragment, indexOfOpenTag } from './tags';
import { ACTION_TAGS, type ParseResult } from './types';

export interface ParseOptions {
  /** Operator names the no-tag fallback recognises (default: the 12 built-ins). */
  operators?: readonly string[];
  /** Refuse outputs without an action tag instead of guessing (default false: the reference's fallback). */
  strict?: boolean;
}

const FINISH_PHRASES =
  /\b(let'?s finish|i will finish|i'll finish|finish(?:ing)? (?:the )?workflow|workflow (?:is )?(?:complete|completed|finished|done)|time to finish|now finish|ready to finish)\b/i;

/**
 * Reads the first action of a director output. Accepted forms, in order: a JSON object
 * (`{"action":"add","operator":"Plan"}`, for JSON-schema-constrained decoding), the tag form
 * `<action>add</action><operator>Plan</operator>` (tags case-insensitive, `[action]…[/action]`
 * accepted), and — unless `strict` — a plain-text fallback (a finish phrase, or exactly one operator
 * name). Thinking (`<think>…</think>`, unterminated `<think>`, a leading `…</think>`), reasoning tags
 * and code fences are removed first; anything after the first action is ignored.
 * Never throws: every failure is a `ParseError` with a code, a message and a hint.
 */
export function parseAction(text: unknown, options: ParseOptions = {}): ParseResult {
  if (typeof text !== 'string')
    return parseError('empty', 'The output is not text.', 'Reply with one action, e.g. <action>add</action><operator>Plan</operator>.');
  const clean = cleanDirectorText(text);
  const body = clean.text;
  if (body === '') {
    if (clean.hadThinking) {
      return parseError(
        'think_only',
        'The output holds only thinking and no action.',
        'After </think>, write exactly one action such as <action>add</action><operator>Custom</operator>.',
      );
    }
    return parseError(
      'empty',
      clean.hadBinary ? 'The output holds only unreadable characters.' : 'The output is empty.',
      'Reply with one action, e.g. <action>add</action><operator>Plan</operator>.',
    );
  }
  const notes: string[] = [];
  if (clean.hadBinary) notes.push('control characters removed');

  const json = readJsonAction(body);
  if (json) return actionFromFields(json, 'json', notes);

  const at = indexOfOpenTag(body, 'action');
  if (at < 0) {
    if (hasTagFragment(body, 'action')) {
      return parseError(
        'unclosed_tag',
        'The output has a broken <action> tag (cut off, or a closing tag without an opening one).',
        'Write the whole action: <action>add</action><operator>Custom</operator>.',
      );
    }
    if (options.strict)
      return parseError(
        'no_action',
        'The output holds no <action> tag.',
        'Write exactly one action, e.g. <action>add</action><operator>Custom</operator>.',
      );
    return fallback(body, options.operators ?? OPERATOR_NAMES, notes);
  }
  const action = findTag(body, 'action', at);
  if (action.state !== 'found') {
    return parseError(
      'unclosed_tag',
      'The <action> tag is not closed (the output may have been cut off).',
      'Close every tag: <action>add</action>.',
    );
  }
  const next = indexOfOpenTag(body, 'action', action.end);
  if (next >= 0) notes.push('only the first action was read; later actions were ignored');
  const region = next >= 0 ? body.slice(0, next) : body;

  const fields: Fields = { action: action.value };
  for (const tag of ACTION_TAGS) {
    if (tag === 'action') continue;
    const found = findTag(region, tag);
    if (found.state === 'unclosed') {
      return parseError('unclosed_tag', `The <${tag}> tag is not closed (the output may have been cut off).`, `Close it with </${tag}>.`);
    }
    if (found.state === 'found') fields[tag] = found.value;
  }
  return actionFromFields(fields, 'tags', notes);
}

function readJsonAction(body: string): Fields | undefined {
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start || body.slice(0, start).trim() !== '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || !('action' in value)) return undefined;
  const fields: Fields = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = k.toLowerCase();
    if (!(ACTION_TAGS as readonly string[]).includes(key)) continue;
    if (typeof v === 'string') fields[key] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) fields[key] = String(v);
    else if (Array.isArray(v)) fields[key] = v.filter((x) => typeof x === 'string').join(', ');
    else if (v === null && key === 'false') fields[key] = 'done';
  }
  return fields;
}

function fallback(body: string, operators: readonly string[], notes: string[]): ParseResult {
  if (FINISH_PHRASES.test(body)) {
    notes.push('no action tag: read a finish phrase as finish');
    return { ok: true, action: { type: 'finish' }, source: 'fallback', notes };
  }
  const mentioned = operators.filter((name) => new RegExp(`\\b${name}\\b`, 'i').test(body));
  if (mentioned.length === 1) {
    const operator = mentioned[0] as string;
    notes.push(`no action tag: read the one operator named (${operator}) as an add`);
    return { ok: true, action: { type: 'add', operator }, source: 'fallback', notes };
  }
  if (mentioned.length > 1) {
    return parseError(
      'ambiguous_fallback',
      `The output has no <action> tag and names several operators (${mentioned.join(', ')}).`,
      'Write exactly one action in tags, e.g. <action>add</action><operator>' + mentioned[0] + '</operator>.',
    );
  }
  const sample = quote(body.slice(0, 40));
  return parseError(
    'no_action',
    `The output holds no <action> tag and no operator name (starts ${sample}).`,
    'Write exactly one action, e.g. <action>add</action><operator>Custom</operator>.',
  );
}
