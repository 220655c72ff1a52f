"""The JIT's start-up options (-X jit*, PYTHONJIT, PYTHONJITLISTFILE) and
-X jit-stats (docs/jit.md, "Options").  Every case runs in a new process:
options are read once, at start-up."""

import os
import tempfile
import textwrap
import unittest
from test.support import script_helper

SHOW = "import _ember, sys; print(repr(_ember._jit_options()))"


def options(*xopts, **env):
    args = []
    for x in xopts:
        args += ["-X", x]
    res = script_helper.assert_python_ok(*args, "-c", SHOW, **env)
    return eval(res.out.decode())


def fails(*xopts, **env):
    """Start-up must stop with status 2; returns stderr."""
    args = []
    for x in xopts:
        args += ["-X", x]
    res = script_helper.assert_python_failure(*args, "-c", "pass", **env)
    err = res.err.decode()
    if res.rc != 2:
        raise AssertionError(f"exit status {res.rc}, not 2: {err}")
    return err


class ListFile:
    def __init__(self, text):
        self.text = textwrap.dedent(text)

    def __enter__(self):
        fd, self.path = tempfile.mkstemp(suffix=".txt")
        with os.fdopen(fd, "w") as f:
            f.write(self.text)
        return self.path

    def __exit__(self, *exc):
        os.unlink(self.path)


class JitSwitchTests(unittest.TestCase):
    def test_off_by_default(self):
        opts = options()
        self.assertFalse(opts["enabled"])
        self.assertEqual(opts["threshold"], 1000)
        self.assertEqual(opts["list_entries"], -1)

    def test_x_jit(self):
        self.assertTrue(options("jit")["enabled"])
        self.assertTrue(options("jit=1")["enabled"])
        self.assertFalse(options("jit=0")["enabled"])
        self.assertEqual(options("jit")["threshold"], 1000)

    def test_x_jit_bad_value(self):
        err = fails("jit=yes")
        self.assertIn("Invalid -X jit=yes", err)
        self.assertIn("-X jit=0", err)

    def test_env(self):
        self.assertTrue(options(PYTHONJIT="1")["enabled"])
        self.assertFalse(options(PYTHONJIT="0")["enabled"])
        self.assertFalse(options(PYTHONJIT="")["enabled"])
        # -X wins over the environment.
        self.assertFalse(options("jit=0", PYTHONJIT="1")["enabled"])
        self.assertTrue(options("jit-all", PYTHONJIT="0")["enabled"])

    def test_env_ignored_with_E(self):
        res = script_helper.assert_python_ok("-E", "-c", SHOW, PYTHONJIT="1")
        self.assertFalse(eval(res.out.decode())["enabled"])

    def test_env_bad_value(self):
        res = script_helper.assert_python_failure("-c", "pass",
                                                  PYTHONJIT="on")
        self.assertEqual(res.rc, 2)
        self.assertIn("Invalid PYTHONJIT=on: expected 1 or 0",
                      res.err.decode())

    def test_unknown_jit_option(self):
        for opt in ("jit-foo", "jit-al", "jit-all-x", "jit-dump", "jit-"):
            with self.subTest(opt=opt):
                err = fails(opt)
                self.assertIn(f"Unknown -X {opt}:", err)
                self.assertIn("jit-auto=N", err)

    def test_other_x_options_are_not_ours(self):
        # Only 'jit', 'jit=...' and 'jit-...' belong to the JIT.
        self.assertFalse(options("jitter")["enabled"])


class ThresholdTests(unittest.TestCase):
    def test_jit_all(self):
        opts = options("jit-all")
        self.assertTrue(opts["enabled"])
        self.assertEqual(opts["threshold"], 1)
        self.assertIn("takes no value", fails("jit-all=1"))

    def test_jit_auto(self):
        for n in (1, 5, 123456):
            opts = options(f"jit-auto={n}")
            self.assertTrue(opts["enabled"])
            self.assertEqual(opts["threshold"], n)

    def test_jit_auto_bad_values(self):
        for opt in ("jit-auto", "jit-auto=", "jit-auto=0", "jit-auto=-3",
                    "jit-auto=abc", "jit-auto=5x", "jit-auto= 5",
                    "jit-auto=1.5", "jit-auto=99999999999999999999999"):
            with self.subTest(opt=opt):
                err = fails(opt)
                self.assertIn(f"Invalid -X {opt}:", err)
                self.assertIn("N an integer >= 1", err)

    def test_jit_max_size(self):
        opts = options()
        self.assertEqual(opts["max_size"], 50000)      # the default cap
        for n in (0, 1, 1234, 2147483647):
            opts = options(f"jit-max-size={n}")
            self.assertEqual(opts["max_size"], n)
            # The cap does not switch the JIT on by itself.
            self.assertFalse(opts["enabled"])

    def test_jit_max_size_bad_values(self):
        for opt in ("jit-max-size", "jit-max-size=", "jit-max-size=-1",
                    "jit-max-size=abc", "jit-max-size=5x",
                    "jit-max-size= 5", "jit-max-size=2147483648"):
            with self.subTest(opt=opt):
                err = fails(opt)
                self.assertIn(f"Invalid -X {opt}:", err)
                self.assertIn("N an integer >= 0", err)

    def test_jit_dump_times(self):
        opts = options("jit-dump-times=f")
        self.assertTrue(opts["dump_times"])
        self.assertEqual(opts["dump_filter"], "f")
        self.assertFalse(opts["dump_hir"] or opts["enabled"])

    def test_all_and_auto_conflict(self):
        err = fails("jit-all", "jit-auto=5")
        self.assertIn("both set the compile threshold", err)

    def test_jit_0_wins(self):
        # -X jit=0 switches the JIT off whatever else is given.
        opts = options("jit=0", "jit-all")
        self.assertFalse(opts["enabled"])


class ListFileTests(unittest.TestCase):
    def test_entries_comments_blank_lines(self):
        with ListFile("""\
            # functions to compile
            json.decoder:JSONDecoder.decode

              __main__:f   # trailing comment
            pkg.mod:outer.<locals>.inner
            mod:<lambda>
            """) as path:
            opts = options(f"jit-list-file={path}")
        self.assertTrue(opts["enabled"])        # a list file implies -X jit
        self.assertEqual(opts["list_entries"], 4)
        self.assertEqual(opts["threshold"], 1)  # listed: at the first call

    def test_with_jit_auto(self):
        with ListFile("__main__:f\n") as path:
            opts = options(f"jit-list-file={path}", "jit-auto=7")
        self.assertEqual(opts["threshold"], 7)

    def test_env(self):
        with ListFile("a:b\nc:d\n") as path:
            opts = options(PYTHONJITLISTFILE=path)
            self.assertTrue(opts["enabled"])
            self.assertEqual(opts["list_entries"], 2)
            with ListFile("a:b\n") as other:
                # -X wins over the environment.
                opts = options(f"jit-list-file={other}",
                               PYTHONJITLISTFILE=path)
            self.assertEqual(opts["list_entries"], 1)

    def test_malformed_lines(self):
        for bad in ("just_a_name", ":f", "mod:", "a:b:c", "mod:f g",
                    "mod:f()", "mod..x:f", "mod:f.", "mod/x:f"):
            with self.subTest(bad=bad):
                with ListFile(f"# ok\nmod:ok\n{bad}\nmod:other\n") as path:
                    err = fails(f"jit-list-file={path}")
                self.assertIn(f"{path}:3: invalid JIT list entry '{bad}'",
                              err)
                self.assertIn("expected 'module:qualname'", err)

    def test_missing_file(self):
        path = os.path.join(tempfile.gettempdir(), "no-such-jit-list-file")
        err = fails(f"jit-list-file={path}")
        self.assertIn(f"Invalid -X jit-list-file={path}: cannot read it",
                      err)
        self.assertIn("No such file", err)
        res = script_helper.assert_python_failure(
            "-c", "pass", PYTHONJITLISTFILE=path)
        self.assertEqual(res.rc, 2)
        self.assertIn("cannot read it", res.err.decode())

    def test_empty_value(self):
        self.assertIn("expected -X jit-list-file=PATH",
                      fails("jit-list-file="))
        self.assertIn("expected -X jit-list-file=PATH",
                      fails("jit-list-file"))


class DumpAndStressTests(unittest.TestCase):
    def test_dumps(self):
        opts = options("jit-dump-hir")
        self.assertTrue(opts["dump_hir"])
        self.assertFalse(opts["dump_lir"] or opts["dump_asm"])
        self.assertIsNone(opts["dump_filter"])
        # Dumps do not switch the JIT on by themselves.
        self.assertFalse(opts["enabled"])
        opts = options("jit", "jit-dump-lir=Foo.bar", "jit-dump-asm")
        self.assertTrue(opts["dump_lir"] and opts["dump_asm"])
        self.assertEqual(opts["dump_filter"], "Foo.bar")

    def test_one_filter_for_all_dumps(self):
        opts = options("jit-dump-hir=f", "jit-dump-asm=f")
        self.assertEqual(opts["dump_filter"], "f")
        err = fails("jit-dump-hir=f", "jit-dump-lir=g")
        self.assertIn("share one QUALNAME filter", err)
        self.assertIn("Invalid -X jit-dump-hir=", fails("jit-dump-hir="))

    def test_stress_deopt(self):
        self.assertTrue(options("jit-stress-deopt")["stress_deopt"])
        self.assertFalse(options()["stress_deopt"])
        self.assertIn("takes no value", fails("jit-stress-deopt=1"))

    def test_verify_hir(self):
        self.assertTrue(options("jit-verify-hir")["verify_hir"])
        self.assertFalse(options()["verify_hir"])
        self.assertIn("takes no value", fails("jit-verify-hir=1"))


class StatsTests(unittest.TestCase):
    KINDS = ("unsupported-opcode", "guard-type", "guard-version",
             "guard-value", "int-overflow", "tracing", "eval-breaker",
             "stress")

    def test_stats_at_exit(self):
        code = textwrap.dedent("""\
            import cinderjit
            def f(x):
                return x + 1
            assert cinderjit.force_compile(f)
            print(f(1))
            """)
        res = script_helper.assert_python_ok("-X", "jit", "-X", "jit-stats",
                                             "-c", code)
        self.assertEqual(res.out.strip(), b"2")
        err = res.err.decode()
        for line in ("jit-stats: compiled functions: ",
                     "jit-stats: compile failures: ",
                     "jit-stats: total compile time: ",
                     "jit-stats: total code size: ",
                     "jit-stats: compiled code runs: "):
            self.assertIn(line, err)
        self.assertRegex(err, r"compiled functions: [1-9]")
        for kind in self.KINDS:
            self.assertRegex(err, rf"jit-stats: deopts {kind}: \d+")
        self.assertTrue(options("jit-stats")["stats"])

    def test_no_stats_without_option(self):
        res = script_helper.assert_python_ok("-X", "jit", "-c", "pass")
        self.assertNotIn(b"jit-stats", res.err)


if __name__ == "__main__":
    unittest.main()
