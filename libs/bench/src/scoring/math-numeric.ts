/**
 * A small exact-enough evaluator for the closed-form answers MATH/GSM8K/AIME use: integers, decimals,
 * thousands separators, `a/b`, `\frac`, `\sqrt`, `\sqrt[n]`, `\pi`, powers, products, percent and degree
 * marks, `x = ...` prefixes, `\text{...}` units, and tuples/intervals compared element by element.
 * Anything with a free variable or an unknown command is "not a number" (null): callers then fall back
 * to string equivalence. No `eval`, no dependencies.
 */

export interface MathValue {
  /** the opening/closing bracket of a tuple or interval, '' for a single value or a bare list. */
  open: string;
  close: string;
  values: number[];
}

type Token = { kind: 'num'; value: number; text: string } | { kind: 'cmd'; name: string } | { kind: 'ch'; ch: string };

class NotANumber extends Error {}

const DROP_COMMANDS = ['\\left', '\\right', '\\displaystyle', '\\!', '\\,', '\\;', '\\:', '\\ ', '\\limits'];

/** Textual clean-up before parsing (order matters: units and marks first, then spacing). */
export function cleanMathText(input: string): string {
  let s = input.trim();
  s = s.replace(/^\$+|\$+$/g, '').trim();
  s = s.replace(/\\(?:text|textbf|mathrm|mbox|textnormal)\{\s*([^{}]*)\}/g, (_m, inner: string) =>
    /^[\d.,\s]+$/.test(inner) ? inner : ' ',
  );
  for (const c of DROP_COMMANDS) s = s.replaceAll(c, c === '\\ ' ? ' ' : '');
  s = s.replaceAll('\\dfrac', '\\frac').replaceAll('\\tfrac', '\\frac');
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|°/g, '');
  s = s.replace(/\\%|%/g, '');
  s = s.replaceAll('\\$', '');
  s = s.replace(/\\cdot|\\times/g, '*').replace(/\\div/g, '/');
  s = s.replace(/\*\*/g, '^');
  // a short left-hand side: "x = 3", "k=2", "a_1 = 5"
  const eq = s.split('=');
  if (eq.length === 2 && /^\s*[A-Za-z](?:_\{?\w+\}?)?\s*$/.test(eq[0] ?? '')) s = eq[1] ?? '';
  return s.trim();
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i] ?? '';
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)/.exec(s.slice(i));
    if (num) {
      out.push({ kind: 'num', value: Number(num[0]), text: num[0] });
      i += num[0].length;
      continue;
    }
    if (ch === '\\') {
      const cmd = /^\\[A-Za-z]+/.exec(s.slice(i));
      if (!cmd) throw new NotANumber(`stray backslash in ${s}`);
      out.push({ kind: 'cmd', name: cmd[0] });
      i += cmd[0].length;
      continue;
    }
    if ('+-*/^(){}[]'.includes(ch)) {
      out.push({ kind: 'ch', ch });
      i += 1;
      continue;
    }
    throw new NotANumber(`not a number: ${ch}`);
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): number {
    const v = this.expr();
    if (this.pos !== this.tokens.length) throw new NotANumber('trailing input');
    return v;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isCh(ch: string): boolean {
    const t = this.peek();
    return t?.kind === 'ch' && t.ch === ch;
  }

  private expect(ch: string): void {
    if (!this.isCh(ch)) throw new NotANumber(`expected ${ch}`);
    this.pos += 1;
  }

  private expr(): number {
    let v = this.term();
    while (this.isCh('+') || this.isCh('-')) {
      const plus = this.isCh('+');
      this.pos += 1;
      const r = this.term();
      v = plus ? v + r : v - r;
    }
    return v;
  }

  private startsPrimary(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.kind === 'num' || t.kind === 'cmd') return true;
    return t.ch === '(' || t.ch === '{';
  }

  private term(): number {
    let v = this.unary();
    for (;;) {
      if (this.isCh('*')) {
        this.pos += 1;
        v *= this.unary();
      } else if (this.isCh('/')) {
        this.pos += 1;
        v /= this.unary();
      } else if (this.startsPrimary()) {
        v *= this.power(); // implicit product: 2\sqrt{3}, 3\pi, 2(4)
      } else return v;
    }
  }

  private unary(): number {
    if (this.isCh('-')) {
      this.pos += 1;
      return -this.unary();
    }
    if (this.isCh('+')) {
      this.pos += 1;
      return this.unary();
    }
    return this.power();
  }

  private power(): number {
    const base = this.primary();
    if (!this.isCh('^')) return base;
    this.pos += 1;
    const exp = this.isCh('-') || this.isCh('+') ? this.unary() : this.isCh('{') ? this.group() : this.primary();
    return Math.pow(base, exp);
  }

  /** `{expr}` or, for the LaTeX shorthand `\frac12` / `\sqrt12`, one digit (the rest stays in the input). */
  private group(): number {
    if (this.isCh('{')) {
      this.pos += 1;
      const v = this.expr();
      this.expect('}');
      return v;
    }
    const t = this.peek();
    if (t?.kind === 'num' && /^\d{2,}$/.test(t.text)) {
      const rest = t.text.slice(1);
      this.tokens[this.pos] = { kind: 'num', value: Number(rest), text: rest };
      return Number(t.text[0]);
    }
    return this.primary();
  }

  private primary(): number {
    const t = this.peek();
    if (!t) throw new NotANumber('unexpected end');
    if (t.kind === 'num') {
      this.pos += 1;
      return t.value;
    }
    if (t.kind === 'ch' && (t.ch === '(' || t.ch === '{')) {
      this.pos += 1;
      const v = this.expr();
      this.expect(t.ch === '(' ? ')' : '}');
      return v;
    }
    if (t.kind === 'cmd') {
      this.pos += 1;
      switch (t.name) {
        case '\\frac': {
          const a = this.group();
          const b = this.group();
          return a / b;
        }
        case '\\sqrt': {
          let degree = 2;
          if (this.isCh('[')) {
            this.pos += 1;
            degree = this.expr();
            this.expect(']');
          }
          const x = this.group();
          return degree === 2 ? Math.sqrt(x) : Math.sign(x) * Math.pow(Math.abs(x), 1 / degree);
        }
        case '\\pi':
          return Math.PI;
        default:
          throw new NotANumber(`unknown command ${t.name}`);
      }
    }
    throw new NotANumber(`unexpected ${t.kind === 'ch' ? t.ch : ''}`);
  }
}

/** The numeric value of one expression, or null. */
export function evaluateMathExpression(text: string): number | null {
  try {
    const tokens = tokenize(text);
    if (tokens.length === 0) return null;
    const v = new Parser(tokens).parseAll();
    return Number.isFinite(v) ? v : null;
  } catch (e) {
    if (e instanceof NotANumber) return null;
    throw e;
  }
}

/** Split on commas that are not inside (), [], {}. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if ('([{'.includes(ch)) depth += 1;
    if (')]}'.includes(ch)) depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

const THOUSANDS = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/**
 * The value(s) of an answer: one number, or a tuple/interval/list compared element-wise. Null when
 * any part is not a closed-form number.
 */
export function evaluateMathValue(answer: string): MathValue | null {
  let s = cleanMathText(answer);
  if (s === '') return null;
  if (THOUSANDS.test(s.replace(/\s/g, ''))) s = s.replace(/[,\s]/g, '');
  let open = '';
  let close = '';
  const first = s[0] ?? '';
  const last = s[s.length - 1] ?? '';
  if ('(['.includes(first) && ')]'.includes(last) && splitTopLevel(s.slice(1, -1)).length > 1) {
    open = first;
    close = last;
    s = s.slice(1, -1);
  }
  const values: number[] = [];
  for (const part of splitTopLevel(s)) {
    const v = evaluateMathExpression(part);
    if (v === null) return null;
    values.push(v);
  }
  return { open, close, values };
}

export interface Tolerance {
  /** absolute tolerance (FlowSteer's math_equal uses 1e-3). */
  abs?: number;
  /** relative tolerance. */
  rel?: number;
}

/** Two numbers equal within either tolerance. */
export function numbersClose(a: number, b: number, tol: Tolerance): boolean {
  if (a === b) return true;
  const d = Math.abs(a - b);
  return d <= (tol.abs ?? 0) || d <= (tol.rel ?? 0) * Math.max(Math.abs(a), Math.abs(b));
}

/** Both answers evaluate, have the same brackets and length, and agree element-wise within `tol`. */
export function numericEquivalent(a: string, b: string, tol: Tolerance = { rel: 1e-6 }): boolean {
  const va = evaluateMathValue(a);
  const vb = evaluateMathValue(b);
  if (!va || !vb) return false;
  if (va.open !== vb.open || va.close !== vb.close || va.values.length !== vb.values.length) return false;
  return va.values.every((x, i) => numbersClose(x, vb.values[i] ?? NaN, tol));
}
