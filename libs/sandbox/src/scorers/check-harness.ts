import { PY_FS_GUARD, PY_REPORT_CHANNEL } from './python-snippets';
/**
 * The strict check path's Python programs (check.ts): the parent reads a random nonce and its
 * configuration from stdin before any candidate code runs and reports one line "<nonce> <json>"
 * on a saved copy of stdout; the candidate runs in a child that never holds the nonce.
 */

/**
 * Check harness, the fallback for tests that cannot be replayed (replay.ts): DS-1000, and MBPP
 * items whose setup builds objects of the candidate's classes. The parent holds the nonce (read
 * from stdin before anything else runs), makes itself non-dumpable and never runs candidate code:
 * it starts `_fs_check_child.py` in a fresh interpreter (no nonce, no reporter in its memory) and
 * decides the verdict from what it observes itself: the child's real exit status (0), a completion
 * record on a pipe, and at least as many passed asserts as the tests have unconditional ones.
 */
export const CHECK_HARNESS = String.raw`import ast, ctypes, json, os, subprocess, sys, time
_nonce = sys.stdin.readline().strip()
_cfg = json.loads(sys.stdin.readline())
${PY_REPORT_CHANNEL}
    os._exit(0)

with open(_cfg["tests"], encoding="utf-8") as f:
    tests_src = f.read()
with open(_cfg["file"], encoding="utf-8") as f:
    cand_src = f.read()
try:
    compile(cand_src, _cfg["file"], "exec")
    tree = ast.parse(tests_src, _cfg["tests"])
except BaseException as e:
    report({"status": "failed", "error": "%s: %s" % (type(e).__name__, e), "phase": "compile"})

def unconditional_asserts(node, ok=True):
    n = 0
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Assert):
            n += 1 if ok else 0
        elif isinstance(child, (ast.FunctionDef, ast.With)) or isinstance(child, ast.Module):
            n += unconditional_asserts(child, ok)
        elif isinstance(child, ast.stmt):
            n += unconditional_asserts(child, False)
    return n

need = unconditional_asserts(tree)
r, w = os.pipe()
cin_r, cin_w = os.pipe()
fd = 200 + int.from_bytes(os.urandom(2), "little") % 700
os.dup2(w, fd)
os.close(w)
child = subprocess.Popen([sys.executable, "-s", "_fs_check_child.py"], stdin=cin_r, stdout=_null, stderr=_null,
                         pass_fds=(fd,), close_fds=True)
os.close(cin_r)
os.close(fd)
os.write(cin_w, (json.dumps({"file": _cfg["file"], "tests": _cfg["tests"], "timeout": _cfg["timeout"], "guard": _cfg.get("guard", False), "fd": fd}) + "\n").encode())
os.close(cin_w)
chunks = []
while True:
    b = os.read(r, 65536)
    if not b:
        break
    if sum(len(c) for c in chunks) < (1 << 20):
        chunks.append(b)
rc = child.wait()
raw = b"".join(chunks).decode("utf-8", "replace").strip().splitlines()
try:
    ev = json.loads(raw[-1]) if len(raw) == 1 else None
except ValueError:
    ev = None
if not isinstance(ev, dict) or ev.get("status") not in ("passed", "failed", "timeout"):
    report({"status": "failed", "error": "the tests did not run to the end (exit status %s, no completion record): early exit or crash" % rc})
if ev["status"] != "passed":
    report({"status": ev["status"], "error": str(ev.get("error", ""))[:2000], "traceback": str(ev.get("traceback", ""))[-3000:]})
if rc != 0:
    report({"status": "failed", "error": "the test process ended with status %s" % rc})
if not isinstance(ev.get("asserts"), int) or ev["asserts"] < need:
    report({"status": "failed", "error": "only %s asserts passed, the tests have %d that always run" % (ev.get("asserts"), need)})
report({"status": "passed", "asserts": ev["asserts"]})
`;

/**
 * The check child: runs the candidate, then the tests with every assert rewritten to a strict
 * check (a value of a class the candidate defined is never taken as true or as equal), counts the
 * asserts that passed and writes one completion record on the pipe the parent passed, then exits.
 */
export const CHECK_CHILD = String.raw`import ast, builtins, faulthandler, json, os, signal, sys, traceback
_cfg = json.loads(sys.stdin.readline())
_fd = _cfg["fd"]
_null = os.open(os.devnull, os.O_RDWR)
os.dup2(_null, 0)
sys.stdin = open(os.devnull)
with open(_cfg["file"], encoding="utf-8") as f:
    _cand = f.read()
with open(_cfg["tests"], encoding="utf-8") as f:
    _tests = f.read()

class _HarnessTimeout(BaseException):
    pass

def _on_alarm(signum, frame):
    raise _HarnessTimeout()

_write, _exit, _dumps = os.write, os._exit, json.dumps
_state = [0]
_CAND = "__candidate__"
_plain = (bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset, type(None))

def _foreign(v):
    return getattr(type(v), "__module__", None) == _CAND or (type(v) is not bool and _odd(v) and getattr(type(v), "__module__", None) == "builtins")

def _fs_assert(value, msg):
    if _foreign(value):
        raise AssertionError("a value of the candidate's own class is not a test result")
    if not value:
        raise AssertionError(msg) if msg is not None else AssertionError()
    _state[0] += 1

_known = ("builtins", "numpy", "pandas", "scipy", "sklearn", "decimal", "fractions", "collections", "datetime", "torch", "matplotlib")

def _odd(v):
    t = type(v)
    if t in _plain:
        return False
    mod = str(getattr(t, "__module__", ""))
    if mod == "builtins":
        return getattr(builtins, t.__name__, None) is not t
    return mod.split(".")[0] not in _known

def _fs_eq(a, b):
    if _foreign(a) or _foreign(b):
        return False
    if (type(b) in _plain and _odd(a)) or (type(a) in _plain and _odd(b)):
        return False
    return a == b

class _Strict(ast.NodeTransformer):
    def visit_Assert(self, node):
        self.generic_visit(node)
        test = node.test
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
            test = ast.Call(func=ast.Name(id="_fs_eq", ctx=ast.Load()), args=[test.left, test.comparators[0]], keywords=[])
        call = ast.Call(func=ast.Name(id="_fs_assert", ctx=ast.Load()), args=[test, node.msg or ast.Constant(value=None)], keywords=[])
        return ast.copy_location(ast.Expr(value=call), node)

${PY_FS_GUARD}

def _done(obj):
    data = (_dumps(obj) + "\n").encode("utf-8")
    while data:
        data = data[_write(_fd, data):]
    _exit(0)

try:
    _cand_code = compile(_cand, _cfg["file"], "exec")
    _test_code = compile(ast.fix_missing_locations(_Strict().visit(ast.parse(_tests, _cfg["tests"]))), _cfg["tests"], "exec")
except BaseException as e:
    _done({"status": "failed", "error": "%s: %s" % (type(e).__name__, e)})
_timeout, _guard_on = float(_cfg["timeout"]), bool(_cfg.get("guard", False))
del _cfg
signal.signal(signal.SIGALRM, _on_alarm)
os.dup2(_null, 1)
os.dup2(_null, 2)
faulthandler.disable()
if _guard_on:
    _fs_guard()
_ns = {"__name__": _CAND, "_fs_assert": _fs_assert, "_fs_eq": _fs_eq}
_result = {"status": "passed"}
signal.setitimer(signal.ITIMER_REAL, _timeout)
try:
    exec(_cand_code, _ns)
    _ns["_fs_assert"], _ns["_fs_eq"] = _fs_assert, _fs_eq
    exec(_test_code, _ns)
except _HarnessTimeout:
    _result = {"status": "timeout"}
except BaseException as e:
    signal.setitimer(signal.ITIMER_REAL, 0)
    tb = traceback.format_exception(type(e), e, e.__traceback__)
    _result = {"status": "failed", "error": ("%s: %s" % (type(e).__name__, e))[:2000], "traceback": "".join(tb)[-3000:]}
finally:
    signal.setitimer(signal.ITIMER_REAL, 0)
_result["asserts"] = _state[0]
_done(_result)
`;
