import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { AppsItem } from '../scorers/apps';
import type { HumanEvalItem } from '../scorers/humaneval';
import type { MbppItem } from '../scorers/mbpp';
import { BENCH_DIR } from './sandboxes';

function jsonl<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function humanEvalItems(): HumanEvalItem[] {
  return jsonl<HumanEvalItem>(gunzipSync(readFileSync(join(BENCH_DIR, 'humaneval/HumanEval.jsonl.gz'))).toString('utf8'));
}

export function mbppItems(): MbppItem[] {
  return jsonl<MbppItem>(readFileSync(join(BENCH_DIR, 'mbpp/mbpp.jsonl'), 'utf8'));
}

export function sanitizedMbppItems(): MbppItem[] {
  return JSON.parse(readFileSync(join(BENCH_DIR, 'mbpp/sanitized-mbpp.json'), 'utf8')) as MbppItem[];
}

export function appsItems(): AppsItem[] {
  return jsonl<AppsItem>(readFileSync(join(BENCH_DIR, 'apps/selected150.jsonl'), 'utf8'));
}
