/**
 * Tolerant readers for the XML-ish tags our prompts ask for. Small models often drop closing tags,
 * change case, wrap answers in code fences or answer in "Label: value" lines; each reader accepts
 * those variants and returns `undefined` only when nothing usable is there.
 */

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Removes reasoning blocks (`<think>…</think>`, also an unclosed leading one) that some models emit. */
export function stripThinking(text: string): string {
  let out = text.replace(/<think>[\s\S]*?<\/think>/gi, '');
  // An unterminated <think> swallows the rest: keep what came before it.
  const open = out.search(/<think>/i);
  if (open >= 0) out = out.slice(0, open);
  return out.trim();
}

/**
 * Reads `<name>value</name>` (last complete occurrence wins, as models often restate the format
 * first). Falls back to an unclosed `<name>` running to the next tag or the end, then to a
 * `name: value` line. Returns the trimmed value or `undefined`.
 */
export function readTag(text: string, name: string): string | undefined {
  const n = escape(name);
  const closed = [...text.matchAll(new RegExp(`<${n}\\s*>([\\s\\S]*?)</${n}\\s*>`, 'gi'))];
  const lastClosed = closed.at(-1);
  if (lastClosed) return clean(lastClosed[1] ?? '');
  const open = new RegExp(`<${n}\\s*>([\\s\\S]*?)(?=<[a-z_/][a-z_]*\\s*>|$)`, 'i').exec(text);
  if (open) {
    const value = clean(open[1] ?? '');
    if (value) return value;
  }
  const label = name.replace(/_/g, '[ _]');
  const line = new RegExp(`^\\s*(?:\\*\\*)?${label}(?:\\*\\*)?\\s*[:=]\\s*(?:\\*\\*)?(.+)$`, 'im').exec(text);
  if (line) {
    const value = clean(line[1] ?? '');
    if (value) return value;
  }
  return undefined;
}

/** Trims and removes one wrapping code fence or quote pair. */
function clean(value: string): string {
  let v = value.trim();
  const fenced = /^```[a-zA-Z0-9_-]*\s*\n?([\s\S]*?)\n?```$/.exec(v);
  if (fenced) v = (fenced[1] ?? '').trim();
  v = v.replace(/\*\*$/, '').trim();
  return v;
}

/** Interprets a verdict word. `undefined` when the text says neither. */
export function readVerdict(text: string | undefined): boolean | undefined {
  if (!text) return undefined;
  const t = text.toLowerCase();
  if (/\b(not|isn't|is not)\s+(correct|valid|ok|right|pass(ed)?)\b/.test(t)) return false;
  const negative = /\b(fail(s|ed)?|false|no|incorrect|wrong|reject(ed)?|invalid)\b/.test(t);
  const positive = /\b(pass(es|ed)?|true|yes|correct|accept(ed)?|valid|ok)\b/.test(t);
  if (negative && !positive) return false;
  if (positive && !negative) return true;
  return undefined;
}

/** Reads items of a numbered or bulleted list ("1. …", "2) …", "Step 3: …", "- …"). */
export function readList(text: string): string[] {
  const items: string[] = [];
  for (const raw of text.split('\n')) {
    const m = /^\s*(?:(?:step\s*)?\d+\s*[.):]|[-*•])\s+(.+)$/i.exec(raw);
    if (m?.[1]) items.push(m[1].trim());
  }
  return items;
}

/** The last line with content, a common fallback for "the answer". */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? '';
}
