/** `last_boxed_only_string` and `remove_boxed` of the MATH repository (`modeling/dataset/util.py`). */

/**
 * The last `\boxed{...}` (or `\fbox{...}`) with balanced braces, including the command; `\boxed 5`
 * (space form) up to the next `$`; null when there is none or the braces never close.
 */
export function lastBoxedOnlyString(text: string): string | null {
  let idx = text.lastIndexOf('\\boxed');
  if (text.includes('\\boxed ') && text.lastIndexOf('\\boxed ') === idx) {
    const tail = text.split('\\boxed ').pop() ?? '';
    return '\\boxed ' + (tail.split('$')[0] ?? '');
  }
  if (idx < 0) {
    idx = text.lastIndexOf('\\fbox');
    if (idx < 0) return null;
  }
  let open = 0;
  for (let i = idx; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '{') open += 1;
    if (ch === '}') {
      open -= 1;
      if (open === 0) return text.slice(idx, i + 1);
    }
  }
  return null;
}

/** The content of `\boxed{...}` / `\fbox{...}` / `\boxed ...`; null when the string is not of that shape. */
export function removeBoxed(s: string): string | null {
  for (const left of ['\\boxed{', '\\fbox{']) {
    if (s.startsWith(left) && s.endsWith('}')) return s.slice(left.length, -1);
  }
  if (s.startsWith('\\boxed ')) return s.slice('\\boxed '.length);
  return null;
}

/** The final answer inside the last box of a solution text, or null. */
export function extractBoxedAnswer(text: string): string | null {
  const boxed = lastBoxedOnlyString(text);
  return boxed === null ? null : removeBoxed(boxed);
}
