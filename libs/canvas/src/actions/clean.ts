/**
 * Pre-processing of a director output before the action is looked for: thinking removed, reasoning
 * removed, code fences removed, control characters removed, the bracket form `[action]…[/action]`
 * turned into tags. Linear in the text length.
 */
import { removeBlocks } from './tags';
import { ACTION_TAGS } from './types';

export interface CleanText {
  text: string;
  /** Thinking was present (complete, unterminated or a leading `…</think>`). */
  hadThinking: boolean;
  /** The text held control characters other than tab and newline, now removed. */
  hadBinary: boolean;
  /** The text was longer than `MAX_DIRECTOR_CHARS` and was cut. */
  wasCut: boolean;
  /** Reasoning tag content (`<reasoning>`, `<thought>`), kept for the record. */
  reasoning: string;
}

/** Director outputs are read up to this many characters. */
export const MAX_DIRECTOR_CHARS = 100_000;

const THINK_OPEN = /<think(?:_only)?\s*>/;
const THINK_CLOSE = /<\/think(?:_only)?\s*>/;
const FENCE = /```[A-Za-z0-9_-]*/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd\ufeff]/g;
const BRACKET_TAG = new RegExp(`\\[(/?)(${[...ACTION_TAGS, 'think', 'think_only', 'reasoning', 'thought'].join('|')})\\]`, 'gi');

export function cleanDirectorText(raw: string): CleanText {
  let text = typeof raw === 'string' ? raw : '';
  const wasCut = text.length > MAX_DIRECTOR_CHARS;
  if (wasCut) text = text.slice(0, MAX_DIRECTOR_CHARS);
  const binaryStripped = text.replace(CONTROL, '');
  const hadBinary = binaryStripped.length !== text.length;
  text = binaryStripped.replace(/\r\n?/g, '\n');
  text = text.replace(BRACKET_TAG, (_m, slash: string, name: string) => `<${slash}${name}>`);

  let hadThinking = false;
  // A close with no open before it: the chat template opened the thinking for the model.
  const close = new RegExp(THINK_CLOSE.source, 'i').exec(text);
  if (close && !new RegExp(THINK_OPEN.source, 'i').test(text.slice(0, close.index))) {
    hadThinking = true;
    text = text.slice(close.index + close[0].length);
  }
  const think = removeBlocks(text, THINK_OPEN, THINK_CLOSE);
  if (think.bodies.length > 0) hadThinking = true;
  text = think.text;
  if (think.unclosedAt >= 0) {
    // Generation was cut off inside the thinking.
    hadThinking = true;
    text = text.slice(0, think.unclosedAt);
  }
  const reasoning: string[] = [];
  for (const tag of ['reasoning', 'thought']) {
    const r = removeBlocks(text, new RegExp(`<${tag}\\s*>`), new RegExp(`<\\/${tag}\\s*>`));
    text = r.text;
    reasoning.push(...r.bodies.map((b) => b.trim()));
  }
  text = text.replace(FENCE, '');
  return { text: text.trim(), hadThinking, hadBinary, wasCut, reasoning: reasoning.join('\n') };
}
