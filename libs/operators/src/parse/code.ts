/**
 * Pulls Python source out of an LLM answer: a `<code>` tag, fenced blocks, or the bare text when
 * it already looks like Python.
 */

const FENCE = /```[ \t]*([a-zA-Z0-9_+-]*)[ \t]*\n([\s\S]*?)```/g;

export function readCode(text: string, mustDefine?: string): string | undefined {
  const tagged = /<code\s*>([\s\S]*?)(?:<\/code\s*>|$)/i.exec(text);
  const source = tagged?.[1] ?? text;
  const blocks = [...source.matchAll(FENCE)]
    .filter((m) => !m[1] || /^(py|python|python3)$/i.test(m[1]))
    .map((m) => (m[2] ?? '').trim())
    .filter(Boolean);
  if (blocks.length > 0) {
    const defining = mustDefine ? blocks.filter((b) => definesFunction(b, mustDefine)) : [];
    // Prefer the block that defines what we need; otherwise the longest (explanations are short).
    const pick = defining.at(-1) ?? [...blocks].sort((a, b) => b.length - a.length)[0];
    return pick;
  }
  // An unclosed fence: take everything after it.
  const unclosed = /```[ \t]*(?:py|python|python3)?[ \t]*\n([\s\S]*)$/i.exec(source);
  if (unclosed?.[1]?.trim()) return unclosed[1].trim();
  const bare = source.trim();
  if (looksLikePython(bare)) return bare;
  return undefined;
}

export function definesFunction(code: string, name: string): boolean {
  return new RegExp(`^\\s*(?:async\\s+)?def\\s+${name}\\s*\\(`, 'm').test(code);
}

function looksLikePython(text: string): boolean {
  return /^\s*(def |import |from \S+ import |class )/m.test(text);
}
