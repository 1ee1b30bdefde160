/** Small text helpers shared by the feedback and prompt builders. */
import { previewOf, type TextValue } from '@flowsteer/contracts';

/** At most `max` characters; an elided tail is marked with an ellipsis. */
export function clip(value: TextValue, max: number): string {
  const text = previewOf(value);
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  return `${text.slice(0, max - 1)}…`;
}

/** Keeps the head and the tail, eliding the middle, within `max` characters. */
export function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = ' … ';
  const keep = Math.max(0, max - marker.length);
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}${marker}${text.slice(text.length - (keep - head))}`;
}

/** One line: newlines and runs of whitespace collapsed to single spaces. */
export function oneLine(value: TextValue): string {
  return previewOf(value).replace(/\s+/g, ' ').trim();
}
