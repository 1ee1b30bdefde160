/** Numeric answer helpers used by Aggregate's fast path, Verify's override rule and Format. */

const NUMBER = /-?\d[\d,]*(?:\.\d+)?(?:\/\d+)?|-?\.\d+/g;

/** The last number written in the text, normalised (commas dropped, "12.0" -> "12"), or undefined. */
export function lastNumber(text: string): string | undefined {
  const all = text.match(NUMBER);
  const raw = all?.at(-1);
  return raw === undefined ? undefined : normaliseNumber(raw);
}

export function normaliseNumber(raw: string): string {
  let v = raw.replace(/,/g, '');
  if (/^-?\d*\.\d+$/.test(v)) {
    v = String(Number(v));
  }
  return v;
}

/** True when the whole text is one number (after trimming a trailing period). */
export function isBareNumber(text: string): boolean {
  return /^-?(\d[\d,]*(\.\d+)?|\.\d+)(\/\d+)?$/.test(text.trim().replace(/\.$/, ''));
}
