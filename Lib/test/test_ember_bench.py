"""Ember's benchmark harness (Tools/bench): every benchmark rejects a wrong
result, and the runner reports wrong results, crashes, missing
interpreters and unknown names by name while the other results still come
out, in the table, the JSON file and each metric.

These tests need an Ember checkout; they skip in an installed copy."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
from test import support

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BENCH = os.path.join(ROOT, "Tools", "bench")
RUNNER = os.path.join(BENCH, "run")
BENCH_DIR = os.path.join(BENCH, "benchmarks")


def benchmark_files(kind):
    """(name, path) of the shipped benchmarks of one kind."""
    out = []
    for entry in sorted(os.listdir(BENCH_DIR)):
        if entry.endswith(".py") and not entry.startswith("_"):
            path = os.path.join(BENCH_DIR, entry)
            with open(path, encoding="utf-8") as f:
                startup = 'KIND = "startup"' in f.read()
            if startup == (kind == "startup"):
                out.append((entry[:-3], path))
    return out


# Run in a child so that a benchmark's set-up (Django's settings, logging
# configuration) cannot leak into the test process.  It runs the benchmark
# once, checks the true result, then mutates it every way the protocol
# names and reports each mutation check() let through.
MUTATE = textwrap.dedent("""\
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import child
    module = child.load(sys.argv[2])
    result = module.run()
    module.check(result)

    def mutations(value, where="result"):
        if isinstance(value, bool):
            yield where + " flipped", not value
        elif isinstance(value, int):
            yield where + " + 1", value + 1
        elif isinstance(value, float):
            yield where + " * 1.001", value * 1.001 if value else 1e-3
        elif isinstance(value, str):
            yield where + " + 'x'", value + "x"
        elif isinstance(value, bytes):
            yield where + " + b'x'", value + b"x"
        elif isinstance(value, (tuple, list)):
            if not value:
                yield where + " grown", type(value)([0])
                return
            for i in sorted({0, len(value) - 1}):
                for label, wrong in mutations(value[i], "%s[%d]" % (where, i)):
                    copy = list(value)
                    copy[i] = wrong
                    yield label, type(value)(copy)
        else:
            raise TypeError("run() returned a %s" % type(value).__name__)

    tried, unnoticed = [], []
    for label, wrong in mutations(result):
        tried.append(label)
        try:
            module.check(wrong)
        except AssertionError:
            continue
        unnoticed.append(label)
    print(json.dumps({"tried": tried, "unnoticed": unnoticed}))
    """)


def harness_rss_kib():
    """The resident set of a process of this interpreter running the harness."""
    code = ("import runpy, resource, sys; sys.argv = [sys.argv[1], '--list'];"
            "import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: runpy.run_path(sys.argv[0], run_name='__main__')\n"
            "    except SystemExit: pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, RUNNER], check=True,
                         capture_output=True, text=True).stdout
    return int(out)


def load_runner():
    """Tools/bench/run as a module (its file name has no .py)."""
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.SourceFileLoader("ember_bench_run", RUNNER)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def run_harness(*args, timeout=900):
    return subprocess.run([sys.executable, RUNNER, *args],
                          capture_output=True, text=True, timeout=timeout)


@unittest.skipUnless(os.path.exists(RUNNER), "not running from an Ember checkout")
@support.requires_subprocess()
class EveryBenchmarkChecksItsResult(unittest.TestCase):
    def test_wrong_results_are_rejected(self):
        benches = benchmark_files("inprocess")
        self.assertGreaterEqual(len(benches), 25)
        for name, path in benches:
            with self.subTest(benchmark=name):
                proc = subprocess.run([sys.executable, "-c", MUTATE, BENCH, path],
                                      capture_output=True, text=True, timeout=600)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                report = json.loads(proc.stdout)
                self.assertTrue(report["tried"])
                self.assertEqual(report["unnoticed"], [],
                                 "check() accepted these wrong results")

    def test_startup_benchmarks_check_their_output(self):
        run = load_runner()
        for name, path in benchmark_files("startup"):
            with self.subTest(benchmark=name):
                bench = run.Benchmark(path)
                proc = subprocess.run([sys.executable, *bench.args],
                                      capture_output=True, text=True)
                run.check_stdout(bench, proc.stdout, proc.stderr)
                with self.assertRaises(run.BenchError) as cm:
                    run.check_stdout(bench, proc.stdout + "x", "")
                self.assertEqual(cm.exception.kind, "wrong result")


GOOD = '''\
"""Sums squares: a benchmark that is right."""
GROUP = "calls"
def run():
    return sum(i * i for i in range(2000))
def check(result):
    assert result == 2664667000, result
'''

WRONG = '''\
"""Returns a wrong answer."""
GROUP = "calls"
def run():
    return 41
def check(result):
    assert result == 42, "expected 42, got %r" % (result,)
'''

CRASH = '''\
"""Raises."""
GROUP = "object"
def run():
    raise ZeroDivisionError("boom inside the benchmark")
def check(result):
    pass
'''

BIG = '''\
"""Holds 200 MB."""
GROUP = "object"
def run():
    block = bytearray(200 * 1024 * 1024)
    return len(block)
def check(result):
    assert result == 200 * 1024 * 1024
'''

BAD_STARTUP = '''\
"""Prints the wrong thing."""
GROUP = "startup"
KIND = "startup"
ARGS = ["-c", "print('hello')"]
LAUNCHES = 2
EXPECT_STDOUT = "goodbye\\n"
'''


@unittest.skipUnless(os.path.exists(RUNNER), "not running from an Ember checkout")
@support.requires_subprocess()
class RunnerTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        self.dir = os.path.join(self.tmp, "benchmarks")
        os.mkdir(self.dir)
        self.out = os.path.join(self.tmp, "out")

    def write(self, name, text):
        with open(os.path.join(self.dir, name + ".py"), "w") as f:
            f.write(text)

    def harness(self, *args):
        return run_harness("--bench-dir", self.dir, "--out", self.out,
                           "--no-chart", *args)

    def results(self, metric="time"):
        with open(os.path.join(self.out, "results-%s.json" % metric)) as f:
            return json.load(f)

    def test_failures_are_named_and_the_rest_comes_out(self):
        for name, text in (("good", GOOD), ("wrong", WRONG), ("crash", CRASH),
                           ("badstart", BAD_STARTUP)):
            self.write(name, text)
        proc = self.harness("-p", "2", "--warmups", "0", "--loops", "2",
                            "-b", "good wrong crash badstart nosuch",
                            "a=" + sys.executable, "b=" + sys.executable,
                            "gone=/nonexistent/python3")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        err = proc.stderr
        self.assertIn("unknown benchmark 'nosuch'", err)
        self.assertIn("gone: no such interpreter (/nonexistent/python3)", err)
        self.assertIn("wrong on a: wrong result", err)
        self.assertIn("expected 42, got 41", err)
        self.assertIn("crash on b: crashed", err)
        self.assertIn("ZeroDivisionError: boom inside the benchmark", err)
        self.assertIn("badstart on a: wrong result", err)
        self.assertIn("expected stdout 'goodbye\\n', got 'hello\\n'", err)

        report = self.results()
        self.assertEqual([c["name"] for c in report["contenders"]], ["a", "b"])
        self.assertEqual(report["baseline"], "a")   # vanilla was not named
        self.assertEqual(report["contenders"][0]["version"], sys.version)
        for key in ("date", "host", "command", "problems"):
            self.assertIn(key, report)
        by_name = {b["name"]: b for b in report["benchmarks"]}
        good = by_name["good"]["results"]
        for contender in ("a", "b"):
            self.assertEqual(len(good[contender]["samples"]), 2)
            self.assertGreater(good[contender]["median"], 0)
        self.assertGreater(good["b"]["ratio"], 0)
        self.assertEqual(by_name["wrong"]["results"]["a"]["status"], "wrong result")
        self.assertEqual(by_name["crash"]["results"]["b"]["status"], "crashed")
        # The table still shows the good benchmark's numbers and a geomean.
        self.assertRegex(proc.stdout, r"good\s+\S+ [mun]?s ±\d+%")
        self.assertIn("geomean (all)", proc.stdout)

    def test_nothing_to_run(self):
        self.write("good", GOOD)
        proc = self.harness("-b", "nosuch", "a=" + sys.executable)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("unknown benchmark 'nosuch' (known: good)", proc.stderr)
        proc = self.harness("nobody=/nonexistent/python3")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no contender starts", proc.stderr)

    def test_bad_arguments(self):
        for args, message in (
                (["frobnicate"], "unknown contender 'frobnicate'"),
                (["=python"], "expected NAME=PREFIX"),
                (["-p", "0"], "--processes must be at least 1"),
                (["--metric", "speed"], "invalid choice: 'speed'"),
                (["a=" + sys.executable, "a=" + sys.executable], "named twice")):
            with self.subTest(args=args):
                proc = self.harness(*args)
                self.assertNotEqual(proc.returncode, 0)
                self.assertIn(message, proc.stderr)

    def test_prefix_arguments_reach_the_interpreter(self):
        self.write("good", GOOD)
        proc = self.harness("-p", "1", "--loops", "1",
                            "plain=" + sys.executable,
                            "opt=%s -X ember-bench-probe=1" % sys.executable)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        contenders = {c["name"]: c for c in self.results()["contenders"]}
        self.assertEqual(contenders["opt"]["xoptions"], {"ember-bench-probe": "1"})
        self.assertEqual(contenders["plain"]["xoptions"], {})

    def test_memory_metric_sees_peak_rss(self):
        self.write("good", GOOD)
        self.write("big", BIG)
        proc = self.harness("--metric", "memory", "-p", "1", "--warmups", "0",
                            "--loops", "1", "a=" + sys.executable)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        rss = {b["name"]: b["results"]["a"]["median"]
               for b in self.results("memory")["benchmarks"]}
        self.assertGreater(rss["big"], 200 * 1024)          # KiB
        # The child's own peak, not the harness's resident set at the fork.
        self.assertLess(rss["good"], 0.9 * harness_rss_kib())

    @unittest.skipUnless(shutil.which("valgrind"), "needs valgrind")
    def test_instruction_counts_are_stable(self):
        self.write("good", GOOD)
        proc = self.harness("--metric", "instructions", "-b", "good",
                            "a=" + sys.executable, "b=" + sys.executable)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        good = self.results("instructions")["benchmarks"][0]["results"]
        # 2000 squares summed by a generator: a few hundred thousand
        # instructions per iteration, the same for the same interpreter.
        self.assertGreater(good["a"]["median"], 100_000)
        self.assertLess(good["a"]["median"], 50_000_000)
        self.assertAlmostEqual(good["b"]["ratio"], 1.0, delta=0.01)

    def test_chart(self):
        py = "/usr/bin/python3"
        probe = subprocess.run([py, "-c", "import matplotlib"], capture_output=True)
        if probe.returncode:
            self.skipTest("needs Debian's python3-matplotlib")
        self.write("good", GOOD)
        proc = run_harness("--bench-dir", self.dir, "--out", self.out,
                           "-p", "1", "--loops", "1",
                           "a=" + sys.executable, "b=" + sys.executable)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.out, "chart-time.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


@unittest.skipUnless(os.path.exists(RUNNER), "not running from an Ember checkout")
@support.requires_subprocess()
class ShippedSuiteTests(unittest.TestCase):
    def test_every_benchmark_runs_on_this_interpreter(self):
        # One short process of each benchmark: the list, the metadata and
        # every result check, on the interpreter under test.
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        proc = run_harness("--out", tmp, "--no-chart", "-p", "1",
                           "--warmups", "0", "--loops", "1",
                           "this=" + sys.executable)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(tmp, "results-time.json")) as f:
            report = json.load(f)
        groups = {b["group"] for b in report["benchmarks"]}
        self.assertEqual(groups, {"object", "numeric", "calls", "async",
                                  "stdlib", "app", "startup"})
        for b in report["benchmarks"]:
            self.assertTrue(b["description"], b["name"])
            self.assertGreater(b["results"]["this"]["median"], 0, b["name"])

    def test_list(self):
        proc = run_harness("--list")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for name in ("richards", "nbody", "django_view", "startup_bare"):
            self.assertRegex(proc.stdout, r"\b%s\b" % name)
        self.assertIn("vanilla", proc.stdout)


if __name__ == "__main__":
    unittest.main()
