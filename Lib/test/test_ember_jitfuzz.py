"""The JIT's differential fuzzer (Tools/jitfuzz, docs/jit.md "The
differential fuzzer").

- A fixed-seed run: 300 generated programs under the plain interpreter,
  -X jit-all, -X jit -X jit-auto=2, -X jit -X jit-auto=50 and
  -X jit-all -X jit-stress-deopt must print the same; a failure shows the
  minimized reproducers.
- The generator: programs compile, a seed always gives the same program,
  every feature family comes up and runs, and a program prints the same
  in two processes.
- The minimizer shrinks under a fake failure and never tries a candidate
  that does not compile.
- The driver against a stand-in interpreter (Tools/jitfuzz/tests/fakepython)
  that crashes or computes wrong under options of its own: the crash is
  pinned to its program, minimized and saved; the exit status and the
  summary line say so.

These tests need an Ember checkout; they skip in an installed copy.
"""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
from test import support

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FUZZ = os.path.join(ROOT, "Tools", "jitfuzz")
FAKE = os.path.join(FUZZ, "tests", "fakepython")

if not os.path.isdir(os.path.join(FUZZ, "jitfuzz")):
    raise unittest.SkipTest("not running from an Ember checkout")
try:
    import cinderjit  # noqa: F401
except ImportError:
    raise unittest.SkipTest("no cinderjit module: not an Ember build with "
                            "the method JIT")

sys.path.insert(0, FUZZ)
try:
    from jitfuzz import gen, minimize
finally:
    sys.path.remove(FUZZ)

SEED = 20260000     # the fixed-seed run: programs SEED .. SEED+COUNT-1
COUNT = 300


def run_fuzzer(*args, timeout=1200):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = FUZZ
    env["JITFUZZ_FAKE_HOST"] = sys.executable     # for tests/fakepython
    return subprocess.run(
        [sys.executable, "-c", "import sys; from jitfuzz.driver import main; sys.exit(main())", *args],
        capture_output=True, text=True, env=env, timeout=timeout)


def reproducers(out_dir, limit=20000):
    """The saved reproducers and reports, as text for a failure message."""
    parts = []
    if os.path.isdir(out_dir):
        for name in sorted(os.listdir(out_dir)):
            if name.endswith(".orig.py"):
                continue
            path = os.path.join(out_dir, name)
            if os.path.isfile(path):
                with open(path, encoding="utf-8", errors="replace") as f:
                    parts.append("==== %s ====\n%s" % (name, f.read()))
    text = "\n".join(parts)
    return text if len(text) <= limit else text[:limit] + "\n... (%d chars)" % len(text)


class FixedSeedRun(unittest.TestCase):
    def test_fixed_seed_batch(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "found")
            proc = run_fuzzer("--seed", str(SEED), "--count", str(COUNT), "--jobs", "2",
                              "--python", sys.executable, "--out", out,
                              "--max-minimize", "1", "--min-time", "60")
            summary = [l for l in proc.stdout.splitlines() if l.startswith("jitfuzz: %d programs" % COUNT)]
            self.assertEqual(len(summary), 1, proc.stdout + proc.stderr)
            if proc.returncode != 0:
                self.fail("the JIT differs from the interpreter:\n%s\n%s\n%s" % (
                    proc.stdout, proc.stderr[-3000:], reproducers(out)))
            self.assertIn("4 modes, 0 differences, 0 crashes", summary[0])


class GeneratorTests(unittest.TestCase):
    def test_programs_compile(self):
        for seed in range(300):
            text = gen.generate(seed).text()
            with self.subTest(seed=seed):
                compile(text, "<seed %d>" % seed, "exec")

    def test_deterministic(self):
        for seed in (0, 1, 12345, 2**40):
            self.assertEqual(gen.generate(seed).text(), gen.generate(seed).text())
        self.assertNotEqual(gen.generate(1).text(), gen.generate(2).text())

    def test_families_covered(self):
        seen = set()
        for seed in range(200):
            seen.update(gen.generate(seed).families)
        self.assertEqual(seen, set(gen.FAMILIES))

    def test_allowed_families(self):
        for seed in range(50):
            p = gen.generate(seed, allowed=("gen", "num"))
            self.assertLessEqual(set(p.families), {"gen", "num"})
            p = gen.generate(seed, allowed=tuple(f for f in gen.FAMILIES if f != "gcgen"))
            self.assertNotIn("gcgen", p.families)
            self.assertIn("random", p.families)
        self.assertEqual(gen.generate(3, allowed=gen.FAMILIES).text(), gen.generate(3).text())

    def test_features_present(self):
        # what the issue asks for, by the text it takes
        text = "\n".join(gen.generate(seed).text() for seed in range(300))
        for feature in ["yield from", ".send(", "gc.collect(", "gc.get_referents(", ".throw(",
                        "for ", "break", "else:", "return", "finally:", "with ", "nonlocal",
                        "lambda", "__slots__", "__getattr__", "super()", "@property",
                        "*rest", "2**63", "2**62", "2**30", "NAN", "INF", "-0.0",
                        "b'", ".encode(", "frozenset(", "builtins.", "__code__ =",
                        "__defaults__ =", "__class__ =", "+=", "<<=", " < ", " <= ",
                        "match ", "raise ", " from e", "global ", " := ", "[x * x for x in",
                        "{x: ", "weakref.ref(", "del "]:
            with self.subTest(feature=feature):
                self.assertIn(feature, text)

    def test_each_family_runs(self):
        # every family alone: runs to the end, prints, exit status 0, and
        # prints the same in a second process
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["PYTHONHASHSEED"] = "0"
        with tempfile.TemporaryDirectory() as tmp:
            for fam in gen.FAMILIES:
                with self.subTest(family=fam):
                    path = os.path.join(tmp, fam + ".py")
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(gen.generate(7, families=[fam]).text())
                    outs = []
                    for _ in range(2):
                        p = subprocess.run([sys.executable, path], capture_output=True,
                                           text=True, env=env, timeout=support.LONG_TIMEOUT)
                        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
                        self.assertGreater(len(p.stdout.splitlines()), 1)
                        outs.append(p.stdout)
                    self.assertEqual(outs[0], outs[1])

    def test_no_addresses(self):
        # reprs with addresses go through _r
        ns = {}
        exec(gen.PRELUDE, ns)
        self.assertEqual(ns["_r"](object()), "<object object at ADDR>")
        self.assertEqual(ns["_r"]([len, (x for x in ())])[:36], "[<built-in function len>, <generator")
        self.assertNotIn("0x", ns["_r"]([object(), object()]))


class MinimizerTests(unittest.TestCase):
    PROGRAM = textwrap.dedent("""\
        x = 1
        def f(a):
            for k in range(a):
                if k == 3:
                    crash_here(k)
                else:
                    a += 1
            return a
        try:
            y = 2
        except ValueError:
            pass
        finally:
            z = 3
        class C:
            def m(self):
                return f(4)
        print(C().m(), x, y, z)
        """).splitlines()

    def test_shrinks(self):
        tried = []

        def failing(text):
            compile(text, "<candidate>", "exec")    # never an invalid one
            tried.append(text)
            return "crash_here(k)" in text
        out = minimize.minimize("# prefix\n", self.PROGRAM, failing)
        # the for and the if unwrapped: their bodies stand alone
        self.assertEqual(out, ["def f(a):", "    crash_here(k)"])
        self.assertTrue(all(t.startswith("# prefix\n") for t in tried))

    def test_keeps_what_is_needed(self):
        # the failure needs the class and the call
        def failing(text):
            return "return f(4)" in text and "print(C().m()" in text and "def f" in text
        out = minimize.minimize("", self.PROGRAM, failing)
        text = "\n".join(out)
        compile(text, "<min>", "exec")
        self.assertIn("class C:", text)
        self.assertNotIn("try:", text)
        self.assertNotIn("x = 1", text)
        self.assertLess(len(out), len(self.PROGRAM) - 6)

    def test_budget(self):
        calls = []

        def failing(text):
            calls.append(1)
            return True
        minimize.minimize("", self.PROGRAM, failing, budget=3)
        self.assertLessEqual(len(calls), 3)

    def test_generated_program(self):
        # a real program, a fake failure: one line of one chunk
        p = gen.generate(5)
        prefix = p.header() + gen.PRELUDE
        body = "\n".join("\n".join(c) for c in p.chunks).splitlines()
        target = next(l for l in body if "def " in l and "(" in l)
        out = minimize.minimize(prefix, body, lambda t: target in t)
        self.assertEqual(out[0], target)
        self.assertLessEqual(len(out), 2)


@unittest.skipUnless(os.access(FAKE, os.X_OK), "no Tools/jitfuzz/tests/fakepython")
class DriverTests(unittest.TestCase):
    def test_crash_and_difference(self):
        # seeds with a gcgen chunk (fake-crash kills the process at
        # gc.get_referents) and programs that call abs() of a negative int
        # (fake-differ); the first of these seeds is a gcgen one
        start = next(s for s in range(1000) if "gcgen" in gen.generate(s).families)
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "found")
            proc = run_fuzzer("--seed", str(start), "--count", "3", "--jobs", "2",
                              "--python", FAKE, "--modes", "crash=-X fake-crash",
                              "--out", out, "--max-minimize", "1", "--min-time", "30",
                              "--batch", "3")
            self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
            self.assertRegex(proc.stdout, r"jitfuzz: 3 programs, 1 modes, \d+ differences, [1-9]\d* crashes")
            self.assertIn("seed %d: crash (SIGSEGV) under crash" % start, proc.stdout)
            with open(os.path.join(out, "%d.py" % start)) as f:
                rep = f.read()
            with open(os.path.join(out, "%d.orig.py" % start)) as f:
                orig = f.read()
            self.assertIn("gc.get_referents(", rep)
            self.assertLess(rep.count("\n"), orig.count("\n"))
            # the reproducer crashes the fake as a script, not without the option
            env = dict(os.environ, PYTHONHASHSEED="0", JITFUZZ_FAKE_HOST=sys.executable)
            p = subprocess.run([FAKE, "-X", "fake-crash", os.path.join(out, "%d.py" % start)],
                               capture_output=True, env=env)
            self.assertEqual(p.returncode, -11)
            p = subprocess.run([FAKE, os.path.join(out, "%d.py" % start)], capture_output=True, env=env)
            self.assertEqual(p.returncode, 0, p.stderr)

    def test_no_difference(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc = run_fuzzer("--seed", "3", "--count", "4", "--python", FAKE,
                              "--modes", "same=-X nothing", "--out", tmp)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            self.assertIn("jitfuzz: 4 programs, 1 modes, 0 differences, 0 crashes", proc.stdout)
            self.assertEqual(os.listdir(tmp), [])

    def test_usage(self):
        proc = run_fuzzer("--modes", "nosuch", "--python", FAKE)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("unknown mode 'nosuch'", proc.stderr)
        proc = run_fuzzer("--python", "/nonexistent/python")
        self.assertEqual(proc.returncode, 2)
        proc = run_fuzzer("--print", "42")
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(proc.stdout, gen.generate(42).text())
        proc = run_fuzzer("--print", "42", "--exclude", "random,gcgen")
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(proc.stdout, gen.generate(42, allowed=tuple(
            f for f in gen.FAMILIES if f not in ("random", "gcgen"))).text())
        proc = run_fuzzer("--exclude", "nosuch", "--python", FAKE)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("unknown family 'nosuch'", proc.stderr)


if __name__ == "__main__":
    unittest.main()
