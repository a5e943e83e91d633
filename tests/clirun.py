"""Run the `inktrace` command in this test process: `inktrace.cli.main(argv)` with stdout and stderr captured,
answered as a `subprocess.CompletedProcess` (returncode, stdout, stderr), like `python -m inktrace ...` would.

Each subprocess paid ~5 s of imports (torch, fastai, scipy) before its first line; the suite started ~80 of them.
A few tests still start a real process on purpose: the console script on PATH, warnings at import, a killed run."""
import contextlib, io, os, subprocess, warnings


def inktrace_cli(*args, cwd=None, check_no_traceback=False) -> subprocess.CompletedProcess:
    "`inktrace *args` in-process, from `cwd` when given; `SystemExit` (argparse's errors, `--help`) becomes the return code."
    from inktrace.cli import main
    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    def show(message, category, filename, lineno, file=None, line=None):   # warnings go to the captured stderr, as in a process
        err.write(warnings.formatwarning(message, category, filename, lineno, line))
    try:
        if cwd is not None: os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.resetwarnings()                                        # Python's default filters, as a fresh process has them
            for cat in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning): warnings.simplefilter("ignore", cat)
            warnings.showwarning = show
            try: rc = main(argv)
            except SystemExit as e:
                if isinstance(e.code, str): err.write(e.code + "\n"); rc = 1
                else: rc = e.code or 0
    finally: os.chdir(old)
    return subprocess.CompletedProcess(["inktrace", *argv], rc or 0, out.getvalue(), err.getvalue())
