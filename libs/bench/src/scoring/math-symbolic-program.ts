/**
 * The Python program behind the `symbolic` metric (MATH, AIME, MathQA): it reads a nonce line and a
 * JSON request `{items: [{pred, golds}], timeoutSec}` on stdin, parses each LaTeX answer with its own
 * recursive-descent reader into sympy objects (the answer text is never evaluated as Python), and
 * writes one line "<nonce> {results: [{equivalent, why?}], sympy}" on the saved stdout. It needs only
 * Debian's python3-sympy (libs/sandbox/setup.sh). Kept as text so it travels with the RunCode request.
 *
 * What it understands: integers, decimals, thousands separators (`10,000`, `10{,}000`), `\frac`/`\dfrac`
 * (also `\frac12`), mixed numbers (`2\frac14`), `\sqrt`, `\sqrt[n]`, powers, `\pi`, `e`, `i`, `\infty`,
 * implicit products, `\cdot`/`\times`/`\div`, factorials, `\binom`, trig/log functions, subscripted
 * variables, base-b numerals (`52_8`), units (`\text{ cm}`), degrees, percent and dollar marks, a short
 * `x =`/`x \in` left-hand side, tuples and intervals (same brackets, element-wise), unions of intervals,
 * sets and bare comma lists (unordered), `\pm` (both values), equations (proportional sides) and
 * matrices. Numbers compare exactly (symbolic difference 0, or below 1e-12 relative when sympy can only
 * evaluate it numerically), so 0.333 is not 1/3.
 */
export const MATH_SYMBOLIC_PROGRAM = String.raw`
import json, re, signal, sys

_nonce = sys.stdin.readline().strip()
_request = json.loads(sys.stdin.read())
_out = sys.stdout
sys.stdout = sys.stderr

import sympy as sp

TIME_PER_PAIR = float(_request.get("timeoutSec", 3))


class ParseError(Exception):
    pass


class Timeout(BaseException):
    pass


def _alarm(signum, frame):
    raise Timeout()


signal.signal(signal.SIGALRM, _alarm)

# ---------------------------------------------------------------- text clean-up
DROP = ["\\left", "\\right", "\\displaystyle", "\\!", "\\,", "\\;", "\\:", "\\quad", "\\qquad", "\\limits", "\\big", "\\Big"]
TEXT_CMDS = ("\\text", "\\textbf", "\\textit", "\\mathrm", "\\mathbf", "\\mbox", "\\textnormal", "\\operatorname")


def braced(s, i):
    """s[i] == '{': the content up to the matching brace and the index after it."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return s[i + 1:j], j + 1
    raise ParseError("unbalanced braces")


def unwrap_text(s):
    """\\text{..} and friends: kept as their content (units are dropped later by the caller)."""
    for cmd in TEXT_CMDS:
        while True:
            k = s.find(cmd + "{")
            if k < 0:
                break
            inner, end = braced(s, k + len(cmd))
            s = s[:k] + " \\TEXT{" + inner + "} " + s[end:]
    return s


def clean(s):
    s = s.strip()
    s = re.sub(r"^\$+|\$+$", "", s).strip()
    s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
    for d in DROP:
        s = s.replace(d, "")
    s = re.sub(r"(?<!\\)\\ ", " ", s).replace("~", " ")
    s = re.sub(r"\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|\u00b0|\\degree", "", s)
    s = s.replace("\\%", "").replace("%", "").replace("\\$", "")
    s = s.replace("{,}", "")
    s = re.sub(r"\\(?:mathbb|mathcal)\{R\}", lambda m: "\\REALS", s)
    s = unwrap_text(s)
    # "\TEXT{ cm}" after a value: a unit
    s = re.sub(r"\\TEXT\{\s*[A-Za-z][A-Za-z\s.^0-9]*\}\s*(?:\^\s*\{?\d\}?)?\s*$", "", s) if not re.fullmatch(r"\s*\\TEXT\{[^{}]*\}\s*", s) else s
    s = s.strip().rstrip(".").strip()
    return s


def short_lhs(s):
    """'x = 5', 'k=2', 'a_1 = 3', 'f(x) = 2x', 'x \\in [1,2]' -> the right-hand side."""
    parts = re.split(r"=|\\in(?![A-Za-z])", s)
    if len(parts) == 2 and re.fullmatch(r"\s*(?:[A-Za-z](?:_\{?\w+\}?)?(?:\([A-Za-z]\))?|\\[A-Za-z]+)\s*", parts[0]):
        return parts[1].strip()
    return s


# ---------------------------------------------------------------- tokenizer
TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<cmd>\\[A-Za-z]+|\\\{|\\\}|\\\\)|(?P<ch>[A-Za-z])|(?P<op>[-+*/^_(){}\[\],!|&=<>]))")


def tokenize(s):
    out, i = [], 0
    s = s.rstrip()
    while i < len(s):
        m = TOKEN.match(s, i)
        if not m or m.end() == i:
            raise ParseError("cannot read %r" % s[i:i + 10])
        i = m.end()
        for kind in ("num", "cmd", "ch", "op"):
            if m.group(kind) is not None:
                out.append((kind, m.group(kind)))
                break
    return out


FUNCS = {"\\sin": sp.sin, "\\cos": sp.cos, "\\tan": sp.tan, "\\cot": sp.cot, "\\sec": sp.sec, "\\csc": sp.csc,
         "\\arcsin": sp.asin, "\\arccos": sp.acos, "\\arctan": sp.atan, "\\ln": sp.log, "\\exp": sp.exp,
         "\\sinh": sp.sinh, "\\cosh": sp.cosh, "\\tanh": sp.tanh}
CONSTS = {"\\pi": sp.pi, "\\infty": sp.oo, "\\infinity": sp.oo}
GREEK = {"\\alpha", "\\beta", "\\gamma", "\\delta", "\\theta", "\\lambda", "\\mu", "\\phi", "\\varphi", "\\omega", "\\sigma", "\\tau", "\\rho", "\\epsilon"}


def guarded_pow(base, exponent):
    """Powers of numbers are evaluated eagerly by sympy: refuse the ones that would not fit."""
    if base.is_number and exponent.is_number and exponent.is_real and abs(exponent) > 1000 and abs(base) not in (0, 1):
        raise ParseError("power too large")
    return sp.Pow(base, exponent)


class Parser:
    def __init__(self, tokens):
        self.t = tokens
        self.i = 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, value):
        kind, v = self.take()
        if v != value:
            raise ParseError("expected %s, got %s" % (value, v))

    def done(self):
        return self.i >= len(self.t)

    # expr := term (('+'|'-') term)*
    def expr(self):
        if self.peek()[1] in ("+", "-"):
            sign = -1 if self.take()[1] == "-" else 1
            left = sign * self.term()
        else:
            left = self.term()
        while self.peek()[1] in ("+", "-") or self.peek()[1] == "\\pm":
            op = self.take()[1]
            if op == "\\pm":
                raise ParseError("plus-minus")
            right = self.term()
            left = left + right if op == "+" else left - right
        return left

    def term(self):
        left = self.factor()
        while True:
            kind, v = self.peek()
            if v in ("*", "\\cdot", "\\times"):
                self.take()
                left = left * self.factor()
            elif v in ("/", "\\div"):
                self.take()
                left = left / self.factor()
            elif self.starts_atom():
                left = left * self.factor()  # implicit product: 2x, 2\sqrt3, (a)(b)
            else:
                return left

    def starts_atom(self):
        kind, v = self.peek()
        if kind in ("num", "ch"):
            return True
        if kind == "cmd" and (v in FUNCS or v in CONSTS or v in GREEK or v in ("\\frac", "\\sqrt", "\\binom", "\\log", "\\TEXT")):
            return True
        return v in ("(", "{")

    def factor(self):
        base = self.postfix(self.atom())
        if self.peek()[1] == "^":
            self.take()
            exponent = self.signed_group()
            return guarded_pow(base, exponent)
        return base

    def signed_group(self):
        if self.peek()[1] == "-":
            self.take()
            return -self.digit_arg()
        return self.digit_arg()

    def postfix(self, value):
        while self.peek()[1] == "!":
            self.take()
            if value.is_number and abs(value) > 1000:
                raise ParseError("factorial too large")
            value = sp.factorial(value)
        return value

    def group(self):
        self.expect("{")
        value = self.expr()
        self.expect("}")
        return value

    def digit_arg(self):
        """A braced group, or one character's worth when not braced: \\frac12, x^23 (= x^2 * 3), \\sqrt3."""
        kind, v = self.peek()
        if v == "{":
            return self.group()
        if kind == "num" and len(v) > 1:
            self.t[self.i] = ("num", v[1:])
            return sp.Integer(v[0]) if v[0].isdigit() else self.fail(v)
        return self.atom()

    def fail(self, what):
        raise ParseError("cannot read %s" % what)

    def subscript_name(self):
        """a_1, a_{12}, x_n: the raw text of the subscript."""
        kind, v = self.take()
        if v != "{":
            return v
        parts = []
        while self.peek()[1] not in ("}", None):
            parts.append(self.take()[1])
        self.expect("}")
        return "".join(parts)

    def atom(self):
        kind, v = self.take()
        if kind is None:
            raise ParseError("unexpected end")
        if kind == "num":
            return sp.Rational(v) if "." in v else sp.Integer(v)
        if kind == "ch":
            if self.peek()[1] == "_":
                self.take()
                return sp.Symbol(v + "_" + self.subscript_name())
            if v == "i":
                return sp.I
            if v == "e":
                return sp.E
            return sp.Symbol(v)
        if v == "(":
            value = self.expr()
            self.expect(")")
            return value
        if v == "{":
            value = self.expr()
            self.expect("}")
            return value
        if v == "\\frac":
            num = self.digit_arg()
            den = self.digit_arg()
            return num / den
        if v == "\\binom":
            n = self.digit_arg()
            k = self.digit_arg()
            if n.is_number and abs(n) > 10000:
                raise ParseError("binomial too large")
            return sp.binomial(n, k)
        if v == "\\sqrt":
            if self.peek()[1] == "[":
                self.take()
                index = self.expr()
                self.expect("]")
                return sp.root(self.digit_arg(), index)
            return sp.sqrt(self.digit_arg())
        if v in CONSTS:
            return CONSTS[v]
        if v in GREEK:
            return sp.Symbol(v[1:])
        if v == "\\log":
            if self.peek()[1] == "_":
                self.take()
                base = self.digit_arg()
                return sp.log(self.func_arg(), base)
            return sp.log(self.func_arg())
        if v in FUNCS:
            if self.peek()[1] == "^":  # \sin^2 x
                self.take()
                power = self.digit_arg()
                return sp.Pow(FUNCS[v](self.func_arg()), power)
            return FUNCS[v](self.func_arg())
        if v == "\\TEXT":
            raise ParseError("text")
        raise ParseError("unknown %s" % v)

    def func_arg(self):
        if self.peek()[1] in ("(", "{"):
            return self.atom()
        return self.factor()


def parse_scalar(s):
    s = s.strip()
    m = re.fullmatch(r"(\d+)_\{?(\d+)\}?", s)
    if m:  # a numeral in base b: its value (digits are checked by int())
        return sp.Integer(int(m.group(1), int(m.group(2))))
    if re.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "")
    m = re.fullmatch(r"(-?)(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}", s)
    if m:  # mixed number 2\frac{1}{4}
        value = sp.Integer(m.group(2)) + sp.Rational(int(m.group(3)), int(m.group(4)))
        return -value if m.group(1) else value
    p = Parser(tokenize(s))
    value = p.expr()
    if not p.done():
        raise ParseError("trailing input")
    return value


def split_top(s, sep=","):
    parts, depth, cur = [], 0, ""
    i = 0
    while i < len(s):
        c = s[i]
        if s.startswith("\\{", i) or s.startswith("\\}", i):
            depth += 1 if s[i + 1] == "{" else -1
            cur += s[i:i + 2]
            i += 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    parts.append(cur)
    return [p.strip() for p in parts]


# ---------------------------------------------------------------- structured answers
def parse_answer(raw):
    """('scalar', expr) | ('tuple', open, close, [expr]) | ('set', [expr]) | ('union', sympy set) | ('matrix', Matrix) | ('text', str)"""
    s = short_lhs(clean(raw))
    if not s:
        raise ParseError("empty")
    if re.fullmatch(r"\\TEXT\{[^{}]*\}", s):
        return ("text", normalise_text(s[6:-1]))
    if re.fullmatch(r"[A-Za-z]{2,}(?:\s+[A-Za-z]+)*", s):
        return ("text", normalise_text(s))
    m = re.fullmatch(r"\\begin\{[pbv]?matrix\}(.*)\\end\{[pbv]?matrix\}", s, re.S)
    if m:
        rows = [r for r in m.group(1).split("\\\\") if r.strip()]
        return ("matrix", sp.Matrix([[parse_scalar(c) for c in r.split("&")] for r in rows]))
    if "\\pm" in s:  # a \pm b: both values, as a set
        items = [p for p in split_top(s[2:-2] if s.startswith("\\{") and s.endswith("\\}") else s) if p]
        values = []
        for item in items:
            values += [parse_scalar(item.replace("\\pm", "+", 1)), parse_scalar(item.replace("\\pm", "-", 1))] if "\\pm" in item else [parse_scalar(item)]
        return ("set", values)
    if "\\cup" in s:
        pieces = [parse_answer(p) for p in s.split("\\cup")]
        sets = [to_set(p) for p in pieces]
        return ("union", sp.Union(*sets))
    if s.startswith("\\{") and s.endswith("\\}"):
        return ("set", [parse_scalar(p) for p in split_top(s[2:-2]) if p])
    if s[0] in "([" and s[-1] in ")]" and matching_outer(s):
        items = split_top(s[1:-1])
        if len(items) >= 2:
            return ("tuple", s[0], s[-1], [parse_scalar(p) for p in items])
    if re.fullmatch(r"-?\d{1,3}(?:,\s*\d{3})+(?:\.\d+)?", s):
        return ("scalar", parse_scalar(re.sub(r",\s*", "", s)))
    if s.count("=") == 1:  # an equation: equivalent when the two differences are proportional
        lhs, rhs = s.split("=")
        return ("equation", parse_scalar(lhs) - parse_scalar(rhs))
    if s == "\\REALS":
        return ("union", sp.Reals)
    items = split_top(s)
    if len(items) >= 2:
        return ("set", [parse_scalar(p) for p in items])
    return ("scalar", parse_scalar(s))


def matching_outer(s):
    depth = 0
    for k, c in enumerate(s):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0 and k != len(s) - 1:
                return False
    return depth == 0


def to_set(parsed):
    kind = parsed[0]
    if kind == "union":
        return parsed[1]
    if kind == "tuple" and len(parsed[3]) == 2:
        lo, hi = parsed[3]
        return sp.Interval(lo, hi, left_open=parsed[1] == "(", right_open=parsed[2] == ")")
    if kind == "set":
        return sp.FiniteSet(*parsed[1])
    if kind == "scalar":
        return sp.FiniteSet(parsed[1])
    raise ParseError("not a set")


def normalise_text(t):
    return re.sub(r"\s+", " ", t.strip().lower())


def same_value(a, b):
    if a == b:
        return True
    try:
        diff = sp.simplify(a - b)
        if diff == 0:
            return True
        if diff.free_symbols:
            return bool(sp.expand(diff) == 0)
        value = complex(sp.N(diff, 30))
        scale = max(1.0, abs(complex(sp.N(b, 30))))
        return abs(value) <= 1e-12 * scale
    except (TypeError, ValueError, AttributeError, ZeroDivisionError):
        return False


def same_list_unordered(xs, ys):
    if len(xs) != len(ys):
        return False
    left = list(ys)
    for x in xs:
        for k, y in enumerate(left):
            if same_value(x, y):
                del left[k]
                break
        else:
            return False
    return True


def equivalent(pred, gold):
    a = parse_answer(pred)
    b = parse_answer(gold)
    if a[0] == "text" or b[0] == "text":
        return a[0] == b[0] and a[1] == b[1]
    if a[0] == "scalar" and b[0] == "scalar":
        return same_value(a[1], b[1])
    if a[0] == "tuple" and b[0] == "tuple":
        return (a[1], a[2]) == (b[1], b[2]) and len(a[3]) == len(b[3]) and all(same_value(x, y) for x, y in zip(a[3], b[3]))
    if a[0] == "set" and b[0] == "set":
        return same_list_unordered(a[1], b[1])
    if a[0] == "equation" and b[0] == "equation":
        ratio = sp.simplify(a[1] / b[1])
        return bool(ratio.is_constant() and ratio != 0)
    if a[0] == "matrix" and b[0] == "matrix":
        return a[1].shape == b[1].shape and all(same_value(x, y) for x, y in zip(a[1], b[1]))
    if "union" in (a[0], b[0]) or {a[0], b[0]} <= {"tuple", "union"}:
        try:
            return bool(sp.simplify(to_set(a).symmetric_difference(to_set(b))) == sp.EmptySet)
        except ParseError:
            return False
    return False


MAX_CHARS = 400


def decide(pred, golds):
    if len(pred) > MAX_CHARS:
        return {"equivalent": False, "why": "answer longer than %d characters: not parsed" % MAX_CHARS}
    errors = []
    for gold in golds:
        signal.setitimer(signal.ITIMER_REAL, TIME_PER_PAIR)
        try:
            if equivalent(pred, gold):
                return {"equivalent": True}
        except Timeout:
            errors.append("timed out")
        except Exception as e:  # a parse failure, or sympy giving up: not equivalent, with the reason
            errors.append("%s: %s" % (type(e).__name__, e))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return {"equivalent": False, **({"why": "; ".join(errors)[:300]} if errors else {})}


results = [decide(item["pred"], item["golds"]) for item in _request["items"]]
_out.write(_nonce + " " + json.dumps({"results": results, "sympy": sp.__version__}) + "\n")
_out.flush()
`;
