/**
 * Answer normalisations of the reference QA evaluators, ported character for character.
 * Python's `\b` under `re.UNICODE` treats letters, digits and `_` of any script as word characters;
 * JavaScript's `\b` is ASCII-only, so the article rule uses explicit Unicode look-arounds instead.
 */

/** `string.punctuation` of Python. */
export const PYTHON_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const PUNCTUATION_SET = new Set(PYTHON_PUNCTUATION);
/** TriviaQA also treats these quote marks as punctuation. */
const TRIVIA_PUNCTUATION_SET = new Set(PYTHON_PUNCTUATION + '\u2018\u2019\u00b4`');

const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

function whiteSpaceFix(text: string): string {
  return splitWhitespace(text).join(' ');
}

/**
 * The characters Python's `str.split()` splits on (`str.isspace()`): JavaScript's `\s` differs, it
 * lacks the separators U+001C..U+001F and U+0085 and adds U+FEFF, which Python keeps inside a token.
 */
// eslint-disable-next-line no-control-regex -- U+001C..U+001F are whitespace to Python, on purpose
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/** Python's `str.split()` with no argument: split on runs of whitespace, no empty tokens. */
export function splitWhitespace(text: string): string[] {
  return text.split(PY_WHITESPACE).filter((t) => t.length > 0);
}

/**
 * SQuAD v1.1/v2.0 `normalize_answer` (also HotpotQA's): lower-case, delete punctuation, replace the
 * articles a/an/the by a space, collapse whitespace.
 */
export function normalizeSquadAnswer(s: string): string {
  const lower = s.toLowerCase();
  let noPunct = '';
  for (const ch of lower) if (!PUNCTUATION_SET.has(ch)) noPunct += ch;
  return whiteSpaceFix(noPunct.replace(ARTICLES, ' '));
}

/**
 * TriviaQA `normalize_answer` (`evaluation/triviaqa_evaluation.py`): underscores become spaces, lower-case,
 * punctuation (plus ‘ ’ ´ `) is REPLACED by a space, articles removed, whitespace collapsed.
 */
export function normalizeTriviaqaAnswer(s: string): string {
  const lower = s.replaceAll('_', ' ').toLowerCase();
  let spaced = '';
  for (const ch of lower) spaced += TRIVIA_PUNCTUATION_SET.has(ch) ? ' ' : ch;
  // the reference's final .strip() is a no-op after the whitespace fix (and JS trim() would also eat U+FEFF)
  return whiteSpaceFix(spaced.replace(ARTICLES, ' '));
}

/**
 * NQ-open (`orqa` `eval_utils.normalize_answer`): Unicode NFD first, then the SQuAD normalisation.
 */
export function normalizeNqAnswer(s: string): string {
  return normalizeSquadAnswer(s.normalize('NFD'));
}
