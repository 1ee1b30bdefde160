/**
 * Finding `<tag>value</tag>` pairs (case-insensitive names, whitespace allowed before `>`).
 * All scans move forward only (global regexes with `lastIndex`), so the cost stays linear in the
 * text length even for adversarial outputs with thousands of unmatched tags.
 */

export type TagLookup =
  | { state: 'absent' }
  | { state: 'unclosed'; at: number }
  | { state: 'found'; value: string; start: number; end: number };

function openRe(name: string): RegExp {
  return new RegExp(`<${name}\\s*>`, 'gi');
}
function closeRe(name: string): RegExp {
  return new RegExp(`<\\/${name}\\s*>`, 'gi');
}

function execFrom(re: RegExp, text: string, from: number): RegExpExecArray | null {
  re.lastIndex = from;
  return re.exec(text);
}

/** The first `<name>…</name>` in `text` at or after `from`. */
export function findTag(text: string, name: string, from = 0): TagLookup {
  const o = execFrom(openRe(name), text, from);
  if (!o) return { state: 'absent' };
  const valueStart = o.index + o[0].length;
  const c = execFrom(closeRe(name), text, valueStart);
  if (!c) return { state: 'unclosed', at: o.index };
  return { state: 'found', value: text.slice(valueStart, c.index).trim(), start: o.index, end: c.index + c[0].length };
}

/** Index of the first opening `<name>` tag at or after `from`, or -1. */
export function indexOfOpenTag(text: string, name: string, from = 0): number {
  const o = execFrom(openRe(name), text, from);
  return o ? o.index : -1;
}

/** True when `text` holds a closing tag `</name>` or a cut-off opening such as `<acti` at its end. */
export function hasTagFragment(text: string, name: string): boolean {
  if (execFrom(closeRe(name), text, 0)) return true;
  const tail = text
    .slice(-name.length - 3)
    .toLowerCase()
    .trimEnd();
  for (let k = 2; k <= name.length; k++) {
    if (tail.endsWith(`<${name.slice(0, k)}`) || tail.endsWith(`</${name.slice(0, k)}`)) return true;
  }
  return false;
}

export interface Removed {
  text: string;
  /** Contents of the removed blocks, in order. */
  bodies: string[];
  /** Index in the returned text where an unclosed opening tag began (the rest was kept), or -1. */
  unclosedAt: number;
}

/**
 * Removes every `open … close` block (regexes are used with the `g` flag from their source).
 * An opening tag without a close stops the scan and is reported by `unclosedAt`.
 */
export function removeBlocks(text: string, open: RegExp, close: RegExp, replacement = '\n'): Removed {
  const o = new RegExp(open.source, 'gi');
  const c = new RegExp(close.source, 'gi');
  let out = '';
  let pos = 0;
  const bodies: string[] = [];
  for (;;) {
    const m = execFrom(o, text, pos);
    if (!m) break;
    const e = execFrom(c, text, m.index + m[0].length);
    if (!e) {
      out += text.slice(pos);
      return { text: out, bodies, unclosedAt: out.length - (text.length - m.index) };
    }
    out += text.slice(pos, m.index) + replacement;
    bodies.push(text.slice(m.index + m[0].length, e.index));
    pos = e.index + e[0].length;
  }
  out += text.slice(pos);
  return { text: out, bodies, unclosedAt: -1 };
}
