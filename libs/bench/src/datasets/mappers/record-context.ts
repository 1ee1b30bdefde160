/** Where a record came from, handed to every record mapper. */
export interface RecordContext {
  /** 0-based position of the record in its file. */
  index: number;
  file: string;
  /** registry variant, when not the dataset's default (e.g. "math500", "sanitized"). */
  variant?: string;
}
