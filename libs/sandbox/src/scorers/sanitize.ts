/**
 * Pure: turns an LLM answer into the Python code to run. No I/O, no Node APIs.
 *
 * Rules, in order:
 * 1. Fenced blocks (``` or ~~~, any info string, an unterminated last fence runs to the end) are
 *    collected. Blocks tagged with a language other than Python (bash, text, json, output, ...) are
 *    ignored unless nothing else is fenced.
 * 2. With an entry point, the first Python block that defines it (`def name(` or `class name`) wins.
 * 3. Otherwise the longest Python block wins (the solution, not a usage example); ties go to the
 *    first.
 * 4. Without fences, a <code>...</code> span (DS-1000 style) is used when present.
 * 5. Otherwise the whole text, minus a leading "python" language line.
 * Line endings become \n and tabs are kept; the result ends with one newline.
 */
export interface ExtractCodeOptions {
  /** Function the code must define (HumanEval entry point, APPS call-based function). */
  entryPoint?: string;
}

interface Block {
  lang: string;
  body: string;
}

const PYTHON_LANGS = new Set(['', 'python', 'py', 'python3', 'py3', 'python2', 'ipython', 'pycon', 'sage']);

function fencedBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = /^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)[^\n`]*$/.exec(lines[i] ?? '');
    if (!open) {
      i++;
      continue;
    }
    const fence = open[1] ?? '```';
    const lang = (open[2] ?? '').toLowerCase();
    const body: string[] = [];
    i++;
    while (i < lines.length) {
      const line = lines[i] ?? '';
      const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]?.[0] === fence[0] && (close[1]?.length ?? 0) >= fence.length) break;
      body.push(line);
      i++;
    }
    i++; // skip the closing fence (or run past the end)
    blocks.push({ lang, body: body.join('\n') });
  }
  return blocks;
}

function definesName(code: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*(?:async\\s+)?(?:def|class)\\s+${escaped}\\b`, 'm').test(code);
}

function finish(code: string): string {
  const trimmed = code.replace(/^\s*\n/, '').replace(/\s+$/, '');
  return trimmed.length ? `${trimmed}\n` : '';
}

export function extractCode(answer: string, options: ExtractCodeOptions = {}): string {
  const text = answer.replace(/\r\n?/g, '\n');
  const blocks = fencedBlocks(text);
  if (blocks.length > 0) {
    const python = blocks.filter((b) => PYTHON_LANGS.has(b.lang));
    const pool = python.length > 0 ? python : blocks;
    if (options.entryPoint) {
      const defining = pool.find((b) => definesName(b.body, options.entryPoint as string));
      if (defining) return finish(defining.body);
    }
    let best = pool[0] as Block;
    for (const b of pool) if (b.body.trim().length > best.body.trim().length) best = b;
    return finish(best.body);
  }
  const code = /<code>([\s\S]*?)(?:<\/code>|$)/.exec(text);
  if (code) return finish(code[1] ?? '');
  return finish(text.replace(/^\s*(?:python3?|py)\s*\n/i, ''));
}
