/**
 * Texts that travel through workflow histories (DESIGN §5: payloads stay small). A short text
 * travels whole, as a plain string. A long one lives in the artifact store under a content-addressed
 * key and travels as a `StoredText`: the reference plus a preview, so histories, results and the
 * Temporal UI still read like the session. A `JoinedText` is the concatenation of other texts (a
 * parallel block's outputs taken as the answer); the store resolves it part by part.
 *
 * Pure: used in workflow code, so no Node APIs.
 */
export type TextValue = string | StoredText | JoinedText;

export interface StoredText {
  /** `artifact://cas/<sha256>`: the store resolves it; equal contents have equal references. */
  ref: string;
  /** The first characters of the text, for people and for the director's feedback. */
  preview: string;
  /** Length of the whole text in UTF-8 bytes. */
  bytes: number;
}

export interface JoinedText {
  join: TextValue[];
  sep: string;
  preview: string;
  bytes: number;
}

/** Texts up to this many UTF-8 bytes travel whole; longer ones are stored and referenced. */
export const INLINE_TEXT_MAX_BYTES = 1024;
/** Characters kept in a stored text's preview (the feedback shows at most 500). */
export const TEXT_PREVIEW_CHARS = 600;

export function isStoredText(value: unknown): value is StoredText {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as StoredText).ref === 'string' &&
    typeof (value as StoredText).preview === 'string'
  );
}

export function isJoinedText(value: unknown): value is JoinedText {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as JoinedText).join) &&
    typeof (value as JoinedText).sep === 'string'
  );
}

export function isTextValue(value: unknown): value is TextValue {
  return typeof value === 'string' || isStoredText(value) || (isJoinedText(value) && value.join.every(isTextValue));
}

/** What people and the director read of a text: the whole of a short one, the preview of a long one. */
export function previewOf(value: TextValue): string {
  return typeof value === 'string' ? value : value.preview;
}

/** The UTF-8 size of the whole text. */
export function bytesOf(value: TextValue): number {
  return typeof value === 'string' ? utf8Bytes(value) : value.bytes;
}

/** True when the value is the whole text (no store look-up needed to read it). */
export function isInlineText(value: TextValue): value is string {
  return typeof value === 'string';
}

/** Whether a text of this content must go to the store instead of travelling whole. */
export function needsStoring(text: string): boolean {
  return text.length > INLINE_TEXT_MAX_BYTES || utf8Bytes(text) > INLINE_TEXT_MAX_BYTES;
}

/** The preview kept for a long text. */
export function previewText(text: string): string {
  return text.length > TEXT_PREVIEW_CHARS ? `${text.slice(0, TEXT_PREVIEW_CHARS)}…` : text;
}

/**
 * Joins texts with a separator: a plain string when every part is whole and the result is short,
 * otherwise a `JoinedText` that keeps the parts by reference.
 */
export function joinTexts(parts: readonly TextValue[], sep: string): TextValue {
  if (parts.every(isInlineText)) {
    const joined = parts.join(sep);
    if (!needsStoring(joined)) return joined;
  }
  const preview = previewText(parts.map(previewOf).join(sep));
  const bytes = parts.reduce((sum, p) => sum + bytesOf(p), 0) + Math.max(0, parts.length - 1) * utf8Bytes(sep);
  return { join: parts.slice(), sep, preview, bytes };
}

/** UTF-8 byte length without Node or DOM APIs (workflow code may call it). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A placeholder a workflow leaves in a prompt for a long text it passes by reference (`PolicyTurnInput.texts`). */
export function textPlaceholder(name: string): string {
  return `\u0000text:${name}\u0000`;
}
