/**
 * Read a benchmark file (plain or gzip, detected by magic bytes) and split it into raw records with
 * their position: JSONL lines, items of a JSON array, or the nested records of the SQuAD and
 * TriviaQA documents. Parse failures become {@link LoadProblem}s, never exceptions.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { BenchDataMissingError, type LoadProblem } from './load-problem';

export interface RawRecord {
  value: unknown;
  /** 0-based position among the file's records (used as the id when upstream has none). */
  index: number;
  line?: number;
  at?: string;
}

export interface RawRecords {
  records: RawRecord[];
  problems: LoadProblem[];
}

/** File text, gunzipped when the bytes start with the gzip magic number. */
export function readBenchText(path: string): string {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new BenchDataMissingError(`no file at ${path}`, [path]);
  }
  const bytes = readFileSync(path);
  const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return (gz ? gunzipSync(bytes) : bytes).toString('utf8').replace(/^\uFEFF/, '');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseJsonLines(text: string, file: string): RawRecords {
  const records: RawRecord[] = [];
  const problems: LoadProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    try {
      records.push({ value: JSON.parse(line), index: records.length + problems.length, line: i + 1 });
    } catch (e) {
      problems.push({ file, line: i + 1, message: `not valid JSON (${(e as Error).message})` });
    }
  });
  return { records, problems };
}

/** SQuAD JSON: one record per question, carrying its paragraph context and article title. */
function squadRecords(doc: Record<string, unknown>, file: string): RawRecords {
  const records: RawRecord[] = [];
  const problems: LoadProblem[] = [];
  const data = doc.data;
  if (!Array.isArray(data)) return { records, problems: [{ file, at: 'data', message: 'expected an array' }] };
  data.forEach((article, ai) => {
    const paragraphs = isRecord(article) ? article.paragraphs : undefined;
    if (!isRecord(article) || !Array.isArray(paragraphs)) {
      problems.push({ file, at: `data[${ai}]`, message: 'article without a "paragraphs" array' });
      return;
    }
    paragraphs.forEach((para, pi) => {
      const qas = isRecord(para) ? para.qas : undefined;
      if (!isRecord(para) || typeof para.context !== 'string' || !Array.isArray(qas)) {
        problems.push({ file, at: `data[${ai}].paragraphs[${pi}]`, message: 'paragraph without "context" and "qas"' });
        return;
      }
      qas.forEach((qa, qi) => {
        records.push({
          value: { ...(isRecord(qa) ? qa : { qa }), context: para.context, title: article.title },
          index: records.length,
          at: `data[${ai}].paragraphs[${pi}].qas[${qi}]`,
        });
      });
    });
  });
  return { records, problems };
}

/**
 * Split a file's text into records. JSONL unless the whole text is one JSON array (MathQA,
 * sanitized MBPP) or one object with `data` (SQuAD) or `Data` (TriviaQA original format).
 */
export function splitRecords(text: string, file: string): RawRecords {
  const head = text.trimStart()[0];
  if (head === '[' || head === '{') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      doc = undefined; // JSONL (several objects) or a broken document: fall through to lines
    }
    if (Array.isArray(doc)) return { records: doc.map((value, index) => ({ value, index, at: `[${index}]` })), problems: [] };
    if (isRecord(doc) && Array.isArray(doc.data)) return squadRecords(doc, file);
    if (isRecord(doc) && Array.isArray(doc.Data)) {
      return { records: doc.Data.map((value, index) => ({ value, index, at: `Data[${index}]` })), problems: [] };
    }
    if (head === '[') return { records: [], problems: [{ file, line: 1, message: 'not a valid JSON array' }] };
  }
  return parseJsonLines(text, file);
}
