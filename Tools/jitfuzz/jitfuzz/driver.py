"""Run generated programs under the plain interpreter and the JIT's modes,
compare, pin down, minimize and save what differs.

    Tools/jitfuzz/run --seed S --count N [--jobs J] [--python ./python]
                      [--modes jit-all,warm2,...] [--out DIR] ...

Program k of a run is generate(S + k).  Programs go in batches (one
process per batch and mode, jitfuzz/child.py); every mode's result of a
program is compared with the plain interpreter's: stdout, stderr and exit
status.  A batch that dies (a signal, a fatal error, a timeout) is pinned
to its program: the one that was running, alone; if it does not fail
alone, the shortest run of programs before it that still does.  A
difference is confirmed by running the program alone as a script
(`python -X ... prog.py`, in a process of its own), then minimized
(jitfuzz/minimize.py) with the same kind of run, and saved in the output
directory: <seed>.py (the reproducer, runnable as it is), <seed>.orig.py
(the program as generated) and <seed>.txt (modes, commands, what
differed).  Exit status 1 when anything differed or crashed, 0 otherwise,
2 for a usage error.
"""

import argparse
import concurrent.futures
import difflib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from . import gen, minimize

HERE = os.path.dirname(os.path.abspath(__file__))
CHILD = os.path.join(HERE, "child.py")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))

# name -> interpreter options.  Plain is the reference.  -X jit-stress-deopt
# does not switch the JIT on by itself (docs/jit.md, "Options").
# Every JIT mode also runs the HIR verifier after the builder and each
# pass (-X jit-verify-hir): invalid HIR is a fatal error, i.e. a crash.
MODES = {
    "plain": [],
    "jit-all": ["-X", "jit-all", "-X", "jit-verify-hir"],
    "warm2": ["-X", "jit", "-X", "jit-auto=2", "-X", "jit-verify-hir"],
    "warm50": ["-X", "jit", "-X", "jit-auto=50", "-X", "jit-verify-hir"],
    "stress": ["-X", "jit-all", "-X", "jit-stress-deopt",
               "-X", "jit-verify-hir"],
}
DEFAULT_MODES = ["jit-all", "warm2", "warm50", "stress"]
REFERENCE = "plain"


def child_env():
    """The environment of every run: no PYTHON* settings of the caller
    (PYTHONJIT would switch the JIT on in the reference), the hash seed
    fixed (sets of str print in one order)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


MEMORY_LIMIT = 3 << 30


def limit_memory():
    """In the child, before exec: a program that runs away gets a
    MemoryError, not the machine's memory."""
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass


def signame(rc):
    try:
        return signal.Signals(-rc).name
    except (ValueError, TypeError):
        return "signal %d" % -rc


class Outcome:
    """What one program did under one mode."""

    def __init__(self, out="", err="", status=0, crash=None):
        self.out = out
        self.err = err
        self.status = status
        self.crash = crash      # None, or 'SIGSEGV', 'timeout', 'exit 134', ...

    def key(self):
        return (self.out, self.err, self.status, self.crash)

    def __eq__(self, other):
        return self.key() == other.key()

    def describe(self):
        if self.crash:
            return "crash (%s)" % self.crash
        return "exit status %s" % self.status


class Runner:
    def __init__(self, python, timeout=120.0):
        self.python = python
        self.timeout = timeout
        self.env = child_env()
        self.lock = threading.Lock()
        self.procs = set()

    def cmd(self, mode_args, *rest):
        return [self.python, "-X", "faulthandler", *mode_args, *rest]

    def _run(self, cmd, timeout, cwd=None):
        """(returncode or 'timeout', stdout, stderr)"""
        # the interpreter may be being rebuilt (make replaces it): wait
        # for it rather than fail the run
        for attempt in range(60):
            try:
                p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=self.env, cwd=cwd, start_new_session=True,
                                     preexec_fn=limit_memory)
                break
            except OSError:
                if attempt == 59:
                    raise
                time.sleep(5)
        with self.lock:
            self.procs.add(p)
        try:
            out, err = p.communicate(timeout=timeout)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
            out, err = p.communicate()
            rc = "timeout"
        finally:
            with self.lock:
                self.procs.discard(p)
        return rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    def kill_all(self):
        with self.lock:
            for p in list(self.procs):
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except OSError:
                    pass

    def script(self, mode_args, path, timeout=None):
        """Run one program as a script, in a process of its own."""
        rc, out, err = self._run(self.cmd(mode_args, path), timeout or self.timeout,
                                 cwd=os.path.dirname(path))
        if rc == "timeout":
            return Outcome(out, err, None, "timeout")
        if rc < 0:
            return Outcome(out, err, None, signame(rc))
        if rc not in (0, 1) or "Fatal Python error" in err:
            return Outcome(out, err, rc, "exit %d" % rc)
        return Outcome(out, err, rc)

    def batch(self, mode_args, paths, workdir, tag):
        """Run programs in one process: ({path: Outcome}, crashed path or
        None, crash description or None, child's stderr)."""
        listfile = os.path.join(workdir, "batch-%s.list" % tag)
        resfile = os.path.join(workdir, "batch-%s.res" % tag)
        with open(listfile, "w") as f:
            f.write("\n".join(paths) + "\n")
        if os.path.exists(resfile):
            os.unlink(resfile)
        timeout = self.timeout + 20.0 * len(paths)
        rc, out, err = self._run(self.cmd(mode_args, CHILD, listfile, resfile), timeout)
        results, running = {}, None
        if os.path.exists(resfile):
            with open(resfile, encoding="utf-8") as f:
                for line in f:
                    try:
                        rec = json.loads(line)
                    except ValueError:
                        break           # a line cut by the crash
                    if "start" in rec:
                        running = rec["start"]
                    else:
                        results[rec["done"]] = Outcome(rec["out"], rec["err"], rec["status"])
                        running = None
        crash = None
        if rc == "timeout":
            crash = "timeout"
        elif rc < 0:
            crash = signame(rc)
        elif rc != 0 or "Fatal Python error" in err:
            crash = "exit %d" % rc
        if crash and running is None and len(results) < len(paths):
            running = paths[len(results)]
        return results, running, crash, err


def unified(a, b, name_a, name_b, limit=60):
    lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), name_a, name_b, lineterm="", n=1))
    if len(lines) > limit:
        lines = lines[:limit] + ["... (%d more lines)" % (len(lines) - limit)]
    return "\n".join(lines)


def explain(ref, got, mode):
    parts = ["plain: %s; %s: %s" % (ref.describe(), mode, got.describe())]
    for what, a, b in (("stdout", ref.out, got.out), ("stderr", ref.err, got.err)):
        if a != b:
            parts.append("%s differs:\n%s" % (what, unified(a, b, "plain", mode)))
    if got.crash:
        tail = got.err[-3000:]
        parts.append("%s stderr (end):\n%s" % (mode, tail))
    return "\n".join(parts)


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.runner = Runner(args.python, args.timeout)
        self.modes = args.modes
        self.out_dir = args.out
        self.work = tempfile.mkdtemp(prefix="jitfuzz-")
        self.failures = []      # dicts
        self.minimized = 0
        self.print_lock = threading.Lock()

    def say(self, msg):
        with self.print_lock:
            print("jitfuzz: " + msg, flush=True)

    def mode_args(self, mode):
        return self.modes_table[mode]

    # -- running --------------------------------------------------------

    def run_batch_fully(self, mode, paths, tag):
        """Outcomes of all paths under mode; a crash is pinned down and the
        batch goes on after it.  Returns ({path: Outcome}, [crash info])."""
        args = self.mode_args(mode)
        results, crashes = {}, []
        todo = list(paths)
        part = 0
        while todo:
            res, running, crash, err = self.runner.batch(args, todo, self.work, "%s-%s-%d" % (tag, mode, part))
            part += 1
            results.update(res)
            if not crash:
                break
            if running is None:
                # everything ran; the process died after (at exit)
                crashes.append({"paths": list(todo), "crash": crash, "err": err, "at_exit": True})
                break
            idx = todo.index(running)
            crashes.append({"paths": todo[:idx + 1], "crash": crash, "err": err, "at_exit": False})
            results[running] = Outcome("", err, None, crash)
            todo = todo[idx + 1:]
        return results, crashes

    def pin_crash(self, mode, info):
        """The shortest list of programs ending with the crashed one that
        still crashes the child."""
        args = self.mode_args(mode)
        paths = info["paths"]
        if info["at_exit"]:
            # bisect halves
            cur = paths
            while len(cur) > 1:
                half = len(cur) // 2
                for part in (cur[:half], cur[half:]):
                    _, _, crash, _ = self.runner.batch(args, part, self.work, "pin")
                    if crash:
                        cur = part
                        break
                else:
                    break
            return cur
        last = paths[-1]
        _, _, crash, _ = self.runner.batch(args, [last], self.work, "pin")
        if crash:
            return [last]
        # the largest start s such that paths[s:] still crashes
        lo, hi = 0, len(paths) - 1      # paths[lo:] crashes, paths[hi:] does not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            _, _, crash, _ = self.runner.batch(args, paths[mid:], self.work, "pin")
            if crash:
                lo = mid
            else:
                hi = mid
        return paths[lo:]

    # -- main ------------------------------------------------------------

    def generate(self):
        paths = []
        for k in range(self.args.count):
            seed = self.args.seed + k
            path = os.path.join(self.work, "%d.py" % seed)
            with open(path, "w", encoding="utf-8") as f:
                f.write(gen.generate(seed, allowed=self.args.allowed).text())
            paths.append(path)
        return paths

    def run(self):
        t0 = time.monotonic()
        self.modes_table = dict(MODES)
        for m in self.modes:
            if "=" in m:
                name, opts = m.split("=", 1)
                self.modes_table[name] = opts.split()
        modes = [m.split("=", 1)[0] for m in self.modes]
        self.mode_names = modes
        paths = self.generate()
        size = self.args.batch
        batches = [paths[i:i + size] for i in range(0, len(paths), size)]
        tasks = []
        for b, batch in enumerate(batches):
            for mode in [REFERENCE] + modes:
                tasks.append((b, mode, batch))
        outcomes = {}       # (mode, path) -> Outcome
        crash_infos = []    # (mode, info)
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.args.jobs) as ex:
            futs = {ex.submit(self.run_batch_fully, mode, batch, "b%d" % b): (mode, b)
                    for b, mode, batch in tasks}
            done_batches = 0
            try:
                for fut in concurrent.futures.as_completed(futs):
                    mode, b = futs[fut]
                    res, crashes = fut.result()
                    for p, o in res.items():
                        outcomes[(mode, p)] = o
                    for c in crashes:
                        crash_infos.append((mode, c))
                    done_batches += 1
                    if self.args.verbose:
                        self.say("batch %d/%d done (%s)" % (done_batches, len(tasks), mode))
            except KeyboardInterrupt:
                self.runner.kill_all()
                raise
        ran = time.monotonic() - t0
        self.say("ran %d programs under %d modes in %.1f s: %.1f s per 100 programs" % (
            len(paths), len(modes) + 1, ran, 100.0 * ran / len(paths)))
        # compare
        bad = {}    # path -> {mode: (ref, got)}
        for p in paths:
            ref = outcomes.get((REFERENCE, p))
            for mode in modes:
                got = outcomes.get((mode, p))
                if ref is None or got is None:
                    continue
                if ref != got:
                    bad.setdefault(p, {})[mode] = (ref, got)
        # crashes that are not a single program's
        for mode, info in crash_infos:
            pinned = self.pin_crash(mode, info)
            if len(pinned) > 1 or info["at_exit"]:
                self.record_multi(mode, info, pinned)
        ndiff = ncrash = 0
        plain_bad = 0
        for p in paths:
            if (REFERENCE, p) in outcomes and outcomes[(REFERENCE, p)].crash:
                plain_bad += 1
        # minimize first one program of each kind of failure (the modes
        # that fail, and how), then the rest in seed order: a known bug
        # that many programs hit does not take all the minimizations
        order = sorted(bad, key=self.seed_of)
        firsts, seen = [], set()
        for p in order:
            sig = tuple(sorted((m, got.crash or "diff") for m, (_, got) in bad[p].items()))
            if sig not in seen:
                seen.add(sig)
                firsts.append(p)
        self.to_minimize = set(firsts[:self.args.max_minimize])
        for p in order:
            if len(self.to_minimize) >= self.args.max_minimize:
                break
            self.to_minimize.add(p)
        for p in order:
            kind = self.handle(p, bad[p])
            if kind == "crash":
                ncrash += 1
            elif kind == "diff":
                ndiff += 1
        ncrash += len([f for f in self.failures if f.get("multi")])
        elapsed = time.monotonic() - t0
        if plain_bad:
            self.say("%d programs crashed or timed out under the plain interpreter too (not compared)" % plain_bad)
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)
        else:
            self.say("programs kept in %s" % self.work)
        self.say("%.1f s in all (pinning down, minimizing)" % elapsed)
        print("jitfuzz: %d programs, %d modes, %d differences, %d crashes" % (
            len(paths), len(modes), ndiff, ncrash), flush=True)
        return 1 if (ndiff or ncrash) else 0

    # -- after a difference ------------------------------------------------

    def seed_of(self, path):
        return int(os.path.basename(path)[:-3])

    def handle(self, path, per_mode):
        """Confirm, minimize and save one program's difference."""
        seed = self.seed_of(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        ref = self.runner.script(self.mode_args(REFERENCE), path)
        if ref.crash:
            self.say("seed %d: the plain interpreter fails as a script (%s); not compared" % (seed, ref.crash))
            return None
        # confirmed as a script under one mode (the first that fails so);
        # the other modes keep their batch's evidence
        confirmed, how = {}, "batch"
        order = sorted(per_mode, key=self.mode_names.index)
        first = order[0]
        for mode in order:
            got = self.runner.script(self.mode_args(mode), path)
            if got != ref:
                confirmed[mode] = (ref, got)
                how, first = "script", mode
                break
        for mode in order:
            confirmed.setdefault(mode, per_mode[mode])
        kind = "crash" if any(got.crash for _, got in confirmed.values()) else "diff"
        modes = sorted(confirmed, key=self.mode_names.index)
        self.say("seed %d: %s under %s%s" % (
            seed, ("crash (%s)" % confirmed[first][1].crash) if kind == "crash" else "difference",
            ", ".join(modes), "" if how == "script" else " (only in its batch, not alone)"))
        reduced = text
        if how == "script" and path in self.to_minimize and not self.args.no_minimize:
            reduced = self.shrink(path, text, first, confirmed[first][1])
            self.minimized += 1
        self.save(seed, text, reduced, confirmed, modes, first, kind, how)
        return kind

    def failing_pred(self, mode, want, workfile, timeout):
        """Does a candidate still fail as `want` did?  Candidates run with a
        short timeout: removing a line can make a loop endless."""
        args = self.mode_args(mode)
        ref_args = self.mode_args(REFERENCE)

        def failing(text):
            with open(workfile, "w", encoding="utf-8") as f:
                f.write(text)
            got = self.runner.script(args, workfile, timeout)
            if want.crash:
                return got.crash == want.crash
            if got.crash:
                return False
            ref = self.runner.script(ref_args, workfile, timeout)
            if ref.crash:
                return False
            return ref != got
        return failing

    def shrink(self, path, text, mode, want):
        prog_prefix_end = text.index(gen.PRELUDE) + len(gen.PRELUDE)
        prefix, body = text[:prog_prefix_end], text[prog_prefix_end:]
        workfile = os.path.join(self.work, "min-%d.py" % self.seed_of(path))
        t = time.monotonic()
        self.runner.script(self.mode_args(mode), path)
        took = time.monotonic() - t
        timeout = self.args.timeout if want.crash == "timeout" else max(10.0, 5 * took)
        failing = self.failing_pred(mode, want, workfile, timeout)
        t = time.monotonic()
        lines = minimize.minimize(prefix, body.splitlines(), failing,
                                  budget=self.args.min_budget,
                                  deadline=time.monotonic() + self.args.min_time)
        reduced = prefix + "\n".join(lines) + "\n"
        if not failing(reduced):       # should not happen; keep the original
            reduced = text
        self.say("seed %d: minimized %d -> %d lines in %.0f s" % (
            self.seed_of(path), text.count("\n"), reduced.count("\n"), time.monotonic() - t))
        return reduced

    def save(self, seed, text, reduced, confirmed, modes, first, kind, how):
        os.makedirs(self.out_dir, exist_ok=True)
        base = os.path.join(self.out_dir, str(seed))
        head = "# jitfuzz reproducer: %s under %s\n# %s\n" % (
            "crash (%s)" % confirmed[first][1].crash if kind == "crash" else "output differs",
            ", ".join(modes), self.command(first, "%s.py" % seed))
        with open(base + ".py", "w", encoding="utf-8") as f:
            f.write(head + reduced)
        if reduced != text:
            with open(base + ".orig.py", "w", encoding="utf-8") as f:
                f.write(text)
        # what the reproducer does now, under the mode it was confirmed
        # (or minimized) with; the others as the full run saw them
        rep = base + ".py"
        report = ["seed %d: %s under %s (%s)" % (seed, kind, ", ".join(modes),
                                                 "as a script" if how == "script" else "only in its batch"),
                  "reproduce: " + self.command(first, rep), ""]
        for mode in modes:
            report.append("== %s ==" % mode)
            if mode == first and how == "script":
                ref_now = self.runner.script(self.mode_args(REFERENCE), rep)
                got_now = self.runner.script(self.mode_args(mode), rep)
                if got_now != ref_now:
                    report.append("the reproducer:")
                    report.append(explain(ref_now, got_now, mode))
                    report.append("")
                    continue
            report.append("the program in the full run (%s):" % ("as a script" if mode == first and how == "script"
                                                                  else "in its batch"))
            report.append(explain(*confirmed[mode], mode))
            report.append("")
        with open(base + ".txt", "w", encoding="utf-8") as f:
            f.write("\n".join(report) + "\n")
        self.failures.append({"seed": seed, "kind": kind, "modes": modes, "file": rep})
        self.index("%d %s %s %s%s" % (seed, kind if kind == "diff" else "crash:" + confirmed[first][1].crash,
                                      ",".join(modes), rep, "" if reduced != text else " (not minimized)"))
        self.say("seed %d: saved %s (.txt: what differed)" % (seed, rep))

    def index(self, line):
        """One line per failure in OUT/INDEX: seed, kind, modes, file."""
        with open(os.path.join(self.out_dir, "INDEX"), "a", encoding="utf-8") as f:
            f.write(line + "\n")

    def record_multi(self, mode, info, pinned):
        """A crash that needs several programs in one process (or happens at
        exit): save the list and the command that runs them."""
        os.makedirs(self.out_dir, exist_ok=True)
        first = self.seed_of(pinned[0])
        last = self.seed_of(pinned[-1])
        d = os.path.join(self.out_dir, "batch-%d-%d" % (first, last))
        os.makedirs(d, exist_ok=True)
        names = []
        for p in pinned:
            shutil.copy(p, d)
            names.append(os.path.join(d, os.path.basename(p)))
        with open(os.path.join(d, "list"), "w") as f:
            f.write("\n".join(names) + "\n")
        cmd = " ".join(self.runner.cmd(self.mode_args(mode), CHILD, os.path.join(d, "list"), "/dev/null"))
        with open(os.path.join(d, "README"), "w") as f:
            f.write("crash (%s) under %s of these programs run one after the other in one process%s\n"
                    "reproduce: %s\n\nstderr (end):\n%s\n" % (
                        info["crash"], mode, " (at exit)" if info["at_exit"] else "", cmd, info["err"][-3000:]))
        self.failures.append({"seed": first, "kind": "crash", "modes": [mode], "file": d, "multi": True})
        self.index("%d crash:%s %s %s (programs %d..%d in one process)" % (first, info["crash"], mode, d, first, last))
        self.say("crash (%s) under %s needs programs %d..%d in one process: %s" % (
            info["crash"], mode, first, last, d))

    def command(self, mode, path):
        return " ".join(["PYTHONHASHSEED=0", self.args.python] + self.mode_args(mode) + [path])


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="Tools/jitfuzz/run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=None, help="first seed (default: from the time)")
    ap.add_argument("--count", type=int, default=100, help="programs (default 100)")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="processes at once (default 2)")
    ap.add_argument("--python", default=os.path.join(ROOT, "python"),
                    help="interpreter under test (default: the checkout's ./python)")
    ap.add_argument("--modes", nargs="+", default=DEFAULT_MODES,
                    help="modes compared with plain (names, comma- or space-separated): %s, or NAME=OPTIONS "
                         "(e.g. 'hot=-X jit -X jit-auto=10'); default %s" % (
                             ", ".join(m for m in MODES if m != REFERENCE), ",".join(DEFAULT_MODES)))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "jitfuzz", "found"),
                    help="where reproducers go (default build/jitfuzz/found)")
    ap.add_argument("--batch", type=int, default=25, help="programs per process (default 25)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per program run alone")
    ap.add_argument("--max-minimize", type=int, default=10, help="failures to minimize (default 10)")
    ap.add_argument("--min-budget", type=int, default=400, help="runs per minimization (default 400)")
    ap.add_argument("--min-time", type=float, default=300.0, help="seconds per minimization (default 300)")
    ap.add_argument("--no-minimize", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the generated programs")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--print", dest="print_seed", type=int, metavar="SEED",
                    help="print the program of SEED and exit")
    ap.add_argument("--families", default=",".join(gen.FAMILIES),
                    help="feature families to draw chunks from, comma-separated (default: all: %s)" %
                         ",".join(gen.FAMILIES))
    ap.add_argument("--exclude", default="",
                    help="families not to use (e.g. one with a known bug), comma-separated; "
                         "programs of a seed depend on --families and --exclude")
    args = ap.parse_args(argv)
    fams = [f.strip() for f in args.families.split(",") if f.strip()]
    excl = [f.strip() for f in args.exclude.split(",") if f.strip()]
    for f in fams + excl:
        if f not in gen.FAMILIES:
            ap.error("unknown family %r (known: %s)" % (f, ", ".join(gen.FAMILIES)))
    args.allowed = tuple(f for f in fams if f not in excl)
    if not args.allowed:
        ap.error("no family left")
    if args.print_seed is not None:
        return args
    if args.seed is None:
        args.seed = int(time.time()) % 1000000 * 1000
    modes = []
    for entry in args.modes:
        for m in entry.split(","):
            m = m.strip()
            if not m:
                continue
            name = m.split("=", 1)[0]
            if name == REFERENCE or ("=" not in m and m not in MODES) or not name:
                ap.error("unknown mode %r (known: %s, or NAME=OPTIONS)" % (
                    m, ", ".join(x for x in MODES if x != REFERENCE)))
            modes.append(m)
    if not modes:
        ap.error("no modes")
    args.modes = modes
    if args.jobs < 1 or args.count < 1 or args.batch < 1:
        ap.error("--jobs, --count and --batch take a positive number")
    if not (os.path.isfile(args.python) and os.access(args.python, os.X_OK)):
        ap.error("no interpreter at %s (build it first: make)" % args.python)
    args.python = os.path.abspath(args.python)
    args.out = os.path.abspath(args.out)
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.print_seed is not None:
        sys.stdout.write(gen.generate(args.print_seed, allowed=args.allowed).text())
        return 0
    fz = Fuzzer(args)
    print("jitfuzz: seeds %d..%d, modes %s, %s" % (args.seed, args.seed + args.count - 1,
                                                    ", ".join(args.modes), args.python), flush=True)
    try:
        return fz.run()
    except KeyboardInterrupt:
        fz.runner.kill_all()
        return 130
