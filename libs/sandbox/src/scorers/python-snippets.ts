// Python shared by the harnesses (each harness is a String.raw template that interpolates these).

/**
 * The report channel of a harness that runs candidate code in its own process: the harness is not
 * dumpable (no ptrace, no /proc/<pid>/mem from the candidate), keeps a private duplicate of stdout
 * for its reports, each prefixed with the run's nonce, and gives stdin to /dev/null. Needs
 * `ctypes`, `json`, `os` and `_nonce`.
 */
export const PY_REPORT_CHANNEL = String.raw`try:
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
except Exception:
    pass
_report_fd = os.dup(1)
_null = os.open(os.devnull, os.O_RDWR)
os.dup2(_null, 0)

def report(obj):
    data = (_nonce + " " + json.dumps(obj) + "\n").encode("utf-8")
    while data:
        data = data[os.write(_report_fd, data):]`;

/**
 * `_fs_guard()`: takes away the process-, file- and exit-related calls candidate code has no need
 * of (as the reference execution harness does); a speed bump, not the boundary (that is the
 * sandbox). Needs `os` and `sys`.
 */
export const PY_FS_GUARD = String.raw`def _fs_guard():
    import builtins, shutil, subprocess
    os.environ["OMP_NUM_THREADS"] = "1"
    for name in ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork",
                 "forkpty", "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown",
                 "chmod", "chown", "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir"):
        if hasattr(os, name):
            setattr(os, name, None)
    shutil.rmtree = None
    shutil.move = None
    shutil.chown = None
    subprocess.Popen = None
    builtins.exit = None
    builtins.quit = None
    builtins.help = None
    for name in ("ipdb", "joblib", "resource", "psutil", "tkinter"):
        sys.modules[name] = None`;
