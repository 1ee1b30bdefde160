import { cleanDirectorText } from './clean';
import { parseError } from './fields';
import { findTag, removeBlocks } from './tags';
import { ACTION_TAGS, type ParseResult } from './types';

export interface PromptReplyOptions {
  /** Shortest accepted prompt, in characters (default 5, as the reference). */
  minChars?: number;
}

/**
 * Reads the reply to a prompt request: the content of `<prompt>…</prompt>` if present (an unclosed
 * one is read to the end), otherwise the whole text with thinking, reasoning and any action-grammar
 * tags (with their content) removed. JSON `{"prompt": "…"}` is accepted too. Never throws.
 */
export function parsePromptReply(text: unknown, options: PromptReplyOptions = {}): ParseResult {
  const minChars = options.minChars ?? 5;
  if (typeof text !== 'string') return parseError('empty', 'The reply is not text.', 'Write the prompt as plain text.');
  const clean = cleanDirectorText(text);
  const notes: string[] = [];
  if (clean.hadBinary) notes.push('control characters removed');
  let prompt: string;
  const json = readJsonPrompt(clean.text);
  const tag = findTag(clean.text, 'prompt');
  if (json !== undefined) {
    prompt = json;
  } else if (tag.state === 'found') {
    prompt = tag.value;
  } else if (tag.state === 'unclosed') {
    prompt = clean.text.slice(tag.at).replace(/^<prompt\s*>/i, '');
    notes.push('the <prompt> tag was not closed; read to the end');
  } else {
    prompt = clean.text;
    for (const name of ACTION_TAGS) {
      prompt = removeBlocks(prompt, new RegExp(`<${name}\\s*>`), new RegExp(`<\\/${name}\\s*>`), ' ').text;
    }
    prompt = prompt.replace(/<\/?[a-z_]+\s*>/gi, ' ');
  }
  prompt = prompt.trim();
  if (prompt.length < minChars) {
    if (prompt.length === 0 && clean.hadThinking) {
      return parseError(
        'think_only',
        'The reply holds only thinking and no prompt.',
        'Write the prompt itself, 1-3 sentences, without <think> tags.',
      );
    }
    return parseError(
      'prompt_too_short',
      `The prompt is too short (${prompt.length} characters; at least ${minChars}).`,
      'Write 1-3 sentences saying what this step must do and what it must output.',
    );
  }
  return { ok: true, action: { type: 'prompt', prompt }, source: 'prompt', notes };
}

function readJsonPrompt(text: string): string | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && typeof (v as { prompt?: unknown }).prompt === 'string') return (v as { prompt: string }).prompt;
  } catch {
    return undefined;
  }
  return undefined;
}
