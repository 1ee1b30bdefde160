/** What went wrong with one record (or one file) while loading; loading goes on past it. */
export interface LoadProblem {
  file: string;
  /** 1-based line of a JSONL file. */
  line?: number;
  /** where in a JSON document, e.g. "[17]" or "data[3].paragraphs[0].qas[2]". */
  at?: string;
  message: string;
}

/** Thrown by a record mapper when a record lacks what the task needs; becomes a {@link LoadProblem}. */
export class BadRecord extends Error {}

/** No data where the loader looked (missing dataset, missing file, or DS-1000 which has no copy). */
export class BenchDataMissingError extends Error {
  constructor(
    message: string,
    readonly paths: string[],
  ) {
    super(message);
    this.name = 'BenchDataMissingError';
  }
}

export function formatProblem(p: LoadProblem): string {
  const where = p.line !== undefined ? `:${p.line}` : p.at !== undefined ? ` ${p.at}` : '';
  return `${p.file}${where}: ${p.message}`;
}
