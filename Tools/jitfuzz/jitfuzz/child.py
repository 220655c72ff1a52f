"""Run a batch of programs in this process, each in a fresh namespace with
its output captured.

    python [-X ...] child.py LISTFILE RESULTFILE

LISTFILE names one program file a line.  For each, RESULTFILE gets a line
{"start": path} before it runs and {"done": path, "out": ..., "err": ...,
"status": ...} after: stdout and stderr as the program wrote them (an
uncaught exception as the interpreter would print it, without this file's
frame) and the status the program would have exited with (0, 1 after an
uncaught exception, or SystemExit's).  Each line is flushed before the
next program starts, so when the process dies the last "start" without a
"done" names the program that was running.

This file must run on the interpreter under test with nothing but the
standard library: it is itself part of what runs compiled.
"""

import builtins
import io
import json
import sys
import traceback


def run_one(path):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    out, err = io.StringIO(), io.StringIO()
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    status = 0
    ns = {"__name__": "__main__", "__file__": path, "__builtins__": builtins}
    try:
        code = compile(src, path, "exec")
        exec(code, ns)
    except SystemExit as e:
        c = e.code
        if c is None:
            status = 0
        elif isinstance(c, int):
            status = c
        else:
            print(c, file=sys.stderr)
            status = 1
    except BaseException as e:
        tb = e.__traceback__
        if tb is not None and tb.tb_frame.f_code is run_one.__code__:
            tb = tb.tb_next         # this frame: the interpreter would not show it
        traceback.print_exception(type(e), e, tb)
        status = 1
    finally:
        try:
            sys.stdout.flush()
        except Exception:
            pass
        sys.stdout, sys.stderr = real
    ns.clear()
    return {"out": out.getvalue(), "err": err.getvalue(), "status": status}


def main(argv):
    listfile, resultfile = argv[1], argv[2]
    with open(listfile, encoding="utf-8") as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]
    with open(resultfile, "a", encoding="utf-8") as res:
        for path in paths:
            res.write(json.dumps({"start": path}) + "\n")
            res.flush()
            result = run_one(path)
            result["done"] = path
            res.write(json.dumps(result) + "\n")
            res.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
