import { PY_REPORT_CHANNEL } from './python-snippets';
/**
 * Python programs of the APPS scorer (apps.ts): the harness that runs the candidate's tests in the
 * candidate's sandbox (inputs only), the call-mode child, and the comparison run (no candidate code).
 */

/**
 * APPS harness (the parent, in the candidate's sandbox): holds the nonce, makes itself
 * non-dumpable, and runs every test in a fresh child process with its own time limit. It never
 * sees an expected output: it reports what each child did (stdio: its stdout; call: the returned
 * value as JSON) and APPS_COMPARE decides, in a run of its own without candidate code.
 */
export const APPS_HARNESS = String.raw`import ctypes, json, math, os, signal, subprocess, sys, tempfile, time
_nonce = sys.stdin.readline().strip()
_cfg = json.loads(sys.stdin.read())
${PY_REPORT_CHANNEL}

with open("solution.py", encoding="utf-8") as f:
    src = f.read()
try:
    compile(src, "solution.py", "exec")
except BaseException as e:
    report({"compile_error": "%s: %s" % (type(e).__name__, e), "results": [-2] * len(_cfg["tests"]), "details": [{"status": "compile-error"} for _ in _cfg["tests"]]})
    os._exit(0)

def run_child(argv, stdin_text, timeout, out_limit):
    inp = os.path.join(_tmp, "in")
    with open(inp, "w", encoding="utf-8") as f:
        f.write(stdin_text)
    outp, errp = os.path.join(_tmp, "out"), os.path.join(_tmp, "err")
    t0 = time.monotonic()
    with open(inp, "rb") as fi, open(outp, "wb") as fo, open(errp, "wb") as fe:
        p = subprocess.Popen(argv, stdin=fi, stdout=fo, stderr=fe, start_new_session=True, cwd=os.getcwd())
        timed_out = False
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        p.wait()
    ms = round((time.monotonic() - t0) * 1000)
    with open(outp, "rb") as f:
        out = f.read(out_limit).decode("utf-8", "replace")
    with open(errp, "rb") as f:
        err = f.read(4000).decode("utf-8", "replace")
    return timed_out, p.returncode, out, err, ms

_tmp = tempfile.mkdtemp(prefix="apps-")
tests = _cfg["tests"]
mode = _cfg["mode"]
timeout = float(_cfg["timeout"])
out_limit = int(_cfg.get("outputLimit", 1 << 20))
deadline = time.monotonic() + float(_cfg.get("budget", 1e9))
results, details = [], []
py = sys.executable
for i, t in enumerate(tests):
    if time.monotonic() > deadline:
        results.append(-1)
        details.append({"status": "timeout", "note": "problem time budget exhausted"})
        continue
    if mode == "stdio":
        timed_out, rc, out, err, ms = run_child([py, "-s", "solution.py"], t["input"], timeout, out_limit)
        if timed_out:
            results.append(-1); details.append({"status": "timeout", "ms": ms})
        elif rc != 0:
            results.append(-1); details.append({"status": "runtime-error", "rc": rc, "error": err[-1000:], "ms": ms})
        else:
            results.append(None); details.append({"status": "ran", "out": out, "ms": ms})
    else:
        payload = json.dumps({"fn": _cfg["fnName"], "input": t["input"]})
        timed_out, rc, out, err, ms = run_child([py, "-s", "_apps_call.py"], payload, timeout, out_limit)
        if timed_out:
            results.append(-1); details.append({"status": "timeout", "ms": ms})
            continue
        line = out.strip().splitlines()[-1] if out.strip() else ""
        try:
            msg = json.loads(line)
        except ValueError:
            msg = {"error": "no result from the solution (rc %s) %s" % (rc, err[-500:])}
        if "error" in msg:
            results.append(-1); details.append({"status": "runtime-error", "error": str(msg["error"])[-1000:], "ms": ms})
        else:
            results.append(None); details.append({"status": "ran", "value": msg.get("value"), "ms": ms})
report({"results": results, "details": details})
os._exit(0)
`;

/**
 * APPS comparison (trusted: no candidate code in its run). Reads {mode, expected, observed} and
 * turns each observation into APPS' per-test code: stdio compares stdout with the expected text
 * (exact, then line by line without surrounding spaces, then by whitespace tokens, then as floats
 * with numpy.allclose's default tolerances); call mode passes a value equal to the expected output
 * or its first element (APPS' testing_util rule). Codes: True, False, -1 (runtime error/timeout).
 */
export const APPS_COMPARE = String.raw`import json, sys
def as_text(x):
    return x if isinstance(x, str) else str(x)

def floats(tokens):
    try:
        return [float(t) for t in tokens]
    except ValueError:
        return None

def same_text(got, expected):
    exp = as_text(expected)
    if got == exp:
        return True
    g = [l.strip() for l in got.strip().splitlines()]
    e = [l.strip() for l in exp.strip().splitlines()]
    if g == e:
        return True
    gt, et = got.split(), exp.split()
    if gt == et:
        return True
    if len(gt) == len(et) and gt:
        gf, ef = floats(gt), floats(et)
        if gf is not None and ef is not None:
            return all(abs(a - b) <= 1e-8 + 1e-5 * abs(b) for a, b in zip(gf, ef))
    return False

def same_value(got, expected):
    if got == expected:
        return True
    return isinstance(expected, list) and len(expected) > 0 and got == expected[0]

cfg = json.loads(sys.stdin.read())
results, details = [], []
for exp, obs in zip(cfg["expected"], cfg["observed"]):
    if obs.get("status") != "ran":
        results.append(obs.get("code", -1)); details.append(obs.get("detail", obs))
    elif cfg["mode"] == "stdio":
        out = obs["out"] if isinstance(obs.get("out"), str) else ""
        ok = any(same_text(out, e) for e in (exp if isinstance(exp, list) else [exp]))
        results.append(ok); details.append({"status": "passed" if ok else "wrong-answer", "got": out[:300], "ms": obs.get("ms")})
    else:
        ok = same_value(obs.get("value"), exp)
        results.append(ok); details.append({"status": "passed" if ok else "wrong-answer", "got": json.dumps(obs.get("value"))[:300], "ms": obs.get("ms")})
print(json.dumps({"results": results, "details": details}))
`;

/**
 * APPS call-mode child: loads the solution, finds the function (top level, or a method of class
 * Solution), rebuilds the arguments from MapCoder's input text (one `str(arg)` per line, each read
 * back with ast.literal_eval, else kept as a string) and prints {"value": ...} as JSON on a saved
 * stdout (the solution's own prints are discarded).
 */
export const APPS_CALL_CHILD = String.raw`import ast, inspect, json, os, sys
req = json.loads(sys.stdin.read())
out_fd = os.dup(1)
null = os.open(os.devnull, os.O_RDWR)
os.dup2(null, 0); os.dup2(null, 1)
sys.stdin = open(os.devnull)

def emit(obj):
    data = (json.dumps(obj) + "\n").encode("utf-8")
    while data:
        data = data[os.write(out_fd, data):]
    os._exit(0)

def lit(text):
    try:
        return ast.literal_eval(text)
    except Exception:
        return text

def to_json(v):
    if isinstance(v, (tuple, list)):
        return [to_json(x) for x in v]
    if isinstance(v, dict):
        return {str(k) if not isinstance(k, str) else k: to_json(x) for k, x in v.items()}
    if isinstance(v, (set, frozenset)):
        return {"__set__": sorted(repr(x) for x in v)}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return {"__repr__": repr(v)}

try:
    ns = {"__name__": "__solution__"}
    with open("solution.py", encoding="utf-8") as f:
        exec(compile(f.read(), "solution.py", "exec"), ns)
    name = req["fn"]
    fn = ns.get(name)
    if fn is None and "Solution" in ns:
        fn = getattr(ns["Solution"](), name, None)
    if fn is None:
        emit({"error": "function %s is not defined" % name})
    try:
        params = [p for p in inspect.signature(fn).parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        nparams = len(params)
    except (TypeError, ValueError):
        nparams = -1
    text = req["input"]
    lines = text.split("\n")
    if nparams == 1:
        args = [lit(text)]
    elif nparams == 0:
        args = []
    else:
        args = [lit(l) for l in lines]
    value = fn(*args)
    emit({"value": to_json(value)})
except SystemExit as e:
    emit({"error": "SystemExit: %s" % e})
except BaseException as e:
    emit({"error": "%s: %s" % (type(e).__name__, e)})
`;
