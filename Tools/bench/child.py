"""Run one benchmark inside the interpreter under test; owns one sample.

The harness (Tools/bench/run) starts this file in a fresh process of each
contender:

    <interpreter prefix> child.py BENCH_FILE RESULT_FILE WARMUPS LOOPS

It imports BENCH_FILE (with its folder on sys.path, for the helpers in
files whose names start with an underscore), a module that defines

    run()          one iteration of the workload; returns its result
    check(result)  raises if the result is wrong

and calls run() WARMUPS times untimed, then LOOPS times timed.  Every
result, warm-up or timed, goes through check() (outside the timed region),
so a fast wrong answer fails.  It writes one JSON object to RESULT_FILE:
the seconds of each timed iteration and the interpreter's identity.  A
failed check or an exception exits with status 3 (wrong result) or 4
(crash) and a message on stderr; the harness reports both by name.

This file must run on every contender, so it keeps to Python 3.9 (PyPy 3.9
in Debian 12) and the standard library.
"""

import importlib.util
import json
import os
import platform
import sys
import time
import traceback

WRONG_RESULT = 3
CRASHED = 4


def load(path):
    # Helpers the benchmarks share (_lcg.py, ...) sit next to them.
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    name = "bench_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    for attr in ("run", "check"):
        if not callable(getattr(module, attr, None)):
            raise TypeError("%s defines no %s() function" % (path, attr))
    return module


def checked(module, result):
    try:
        module.check(result)
    except Exception as exc:
        sys.stderr.write("wrong result: %s: %s\n" % (type(exc).__name__, exc))
        sys.stderr.write("the result was: %.500r\n" % (result,))
        sys.exit(WRONG_RESULT)


def peak_rss_kib():
    """This process's peak resident set (VmHWM), or None off Linux.  The
    harness cannot take it from wait4(): a child's ru_maxrss includes the
    harness's own resident set at the fork."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main(argv):
    if len(argv) != 5:
        sys.exit("usage: child.py BENCH_FILE RESULT_FILE WARMUPS LOOPS")
    path, out, warmups, loops = argv[1], argv[2], int(argv[3]), int(argv[4])
    try:
        module = load(path)
        for _ in range(warmups):
            checked(module, module.run())
        times = []
        clock = time.perf_counter
        for _ in range(loops):
            t0 = clock()
            result = module.run()
            t1 = clock()
            times.append(t1 - t0)
            checked(module, result)
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        sys.exit(CRASHED)
    info = {
        "times": times,
        "peak_rss_kib": peak_rss_kib(),
        "implementation": sys.implementation.name,
        "version": sys.version,
        "executable": sys.executable,
        "xoptions": sys._xoptions if hasattr(sys, "_xoptions") else {},
        "platform": platform.platform(),
    }
    with open(out, "w") as f:
        json.dump(info, f)


if __name__ == "__main__":
    main(sys.argv)
