/** Typed field access on raw JSON records; a missing or mistyped field throws {@link BadRecord}. */
import { BadRecord } from '../load-problem';

export type Json = Record<string, unknown>;

export function asObject(v: unknown): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BadRecord('record is not a JSON object');
  return v as Json;
}

export function str(rec: Json, key: string): string {
  const v = rec[key];
  if (typeof v !== 'string') throw new BadRecord(`field "${key}" must be a string, got ${v === undefined ? 'nothing' : typeof v}`);
  return v;
}

export function optStr(rec: Json, key: string): string | undefined {
  const v = rec[key];
  return typeof v === 'string' ? v : undefined;
}

/** A string, or a number written as a string (ids, AIME answers). */
export function strOrNum(rec: Json, key: string): string {
  const v = rec[key];
  if (typeof v === 'number') return String(v);
  return str(rec, key);
}

export function strList(rec: Json, key: string): string[] {
  const v = rec[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new BadRecord(`field "${key}" must be a list of strings`);
  return v as string[];
}

export function nonEmpty(text: string, what: string): string {
  if (text.trim() === '') throw new BadRecord(`${what} is empty`);
  return text;
}
