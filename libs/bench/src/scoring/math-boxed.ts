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

/**
 * The reference extraction exactly (`last_boxed_only_string` of `modeling/dataset/util.py`): the last
 * `\boxed` (else the last `\fbox`) up to its balancing `}`; null when there is none or it never closes.
 * Unlike {@link lastBoxedOnlyString} there is no `\boxed 5` space form.
 */
export function lastBoxedOnlyStringOfficial(text: string): string | null {
  let idx = text.lastIndexOf('\\boxed');
  if (idx < 0) {
    idx = text.lastIndexOf('\\fbox');
    if (idx < 0) return null;
  }
  let open = 0;
  for (let i = idx; i < text.length; i += 1) {
    if (text[i] === '{') open += 1;
    if (text[i] === '}') {
      open -= 1;
      if (open === 0) return text.slice(idx, i + 1);
    }
  }
  return null;
}

/** `remove_boxed` of `modeling/eval_math_gpt.py`: only `\boxed{...}` is unwrapped; anything else (an `\fbox`, null) gives null. */
export function removeBoxedOfficial(s: string | null): string | null {
  if (s === null || !s.startsWith('\\boxed{') || !s.endsWith('}')) return null;
  return s.slice('\\boxed{'.length, -1);
}

/** The answer the MATH reference harness reads out of a text: `remove_boxed(last_boxed_only_string(text))`. */
export function extractBoxedAnswerOfficial(text: string): string | null {
  return removeBoxedOfficial(lastBoxedOnlyStringOfficial(text));
}
