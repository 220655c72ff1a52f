"""Ember's method JIT (docs/jit.md): compiled code must be indistinguishable
from the interpreter.

- A differential run of ember_jit_corpus.py: its output must be the same
  under the interpreter, -X jit-all, -X jit-all -X jit-stress-deopt and
  -X jit -X jit-auto=3.
- The corpus really is compiled under -X jit-all.
- Exact semantics of compiled functions, each in a subprocess under
  -X jit-all: traceback lines, KeyboardInterrupt in a loop, sys.settrace and
  sys.setprofile switched on from compiled code, frame f_locals, the
  recursion limit, generators refused, __code__ swapped, globals and
  builtins rebound, del of a local.
"""

import os
import subprocess
import sys
import textwrap
import unittest
from test import support
from test.support import os_helper

try:
    import cinderjit  # noqa: F401
except ImportError:
    raise unittest.SkipTest("no cinderjit module: not an Ember build with "
                            "the method JIT")

from test import ember_jit_corpus

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "ember_jit_corpus.py")
REPEAT = 4      # the corpus' programs run 4 times: compiled under jit-auto=3


def run_python(*args, env=None, timeout=None):
    """Run sys.executable isolated (-I) unless env is given; a
    CompletedProcess with text output."""
    cmd = [sys.executable, "-X", "faulthandler"]
    if env is None:
        cmd.append("-I")
    else:
        env = {**os.environ, **env}
    cmd.extend(args)
    return subprocess.run(cmd, capture_output=True, text=True, env=env,
                          timeout=timeout or support.LONG_TIMEOUT)


def first_difference(expected, actual):
    for i, (e, a) in enumerate(zip(expected, actual)):
        if e != a:
            return i
    return min(len(expected), len(actual))


def clip(text, n=1500):
    return text if len(text) <= n else text[:n] + f"... ({len(text)} chars)"


def around_difference(expected, actual, context=300):
    """Both lines cut around their first differing character."""
    j = first_difference(expected, actual)
    start = max(0, j - context)

    def cut(line):
        head = f"[{start} chars]..." if start else ""
        tail = "..." if len(line) > j + context else ""
        return head + line[start:j + context] + tail
    return cut(expected), cut(actual)


@support.requires_subprocess()
class DifferentialTests(unittest.TestCase):
    """ember_jit_corpus.py prints the same under every mode of the JIT."""

    @classmethod
    def setUpClass(cls):
        cls.expected = cls.corpus_output()

    @classmethod
    def corpus_output(cls, *flags, env=None):
        proc = run_python(*flags, CORPUS, "--repeat", str(REPEAT), env=env)
        if proc.returncode != 0 or proc.stderr:
            raise AssertionError(
                f"corpus under {flags or 'the interpreter'} exited with "
                f"{proc.returncode}; stderr:\n{clip(proc.stderr, 4000)}")
        return proc.stdout.splitlines()

    def assertSameOutput(self, flags):
        actual = self.corpus_output(*flags)
        expected = self.expected
        if actual == expected:
            return
        i = first_difference(expected, actual)
        bad = sum(e != a for e, a in zip(expected, actual))
        want = expected[i] if i < len(expected) else "<no line>"
        got = actual[i] if i < len(actual) else "<no line>"
        want, got = around_difference(want, got)
        self.fail(
            f"corpus output under {' '.join(flags)} differs from the "
            f"interpreter's: {bad} lines differ, {len(expected)} expected, "
            f"{len(actual)} got; first difference at line {i + 1}:\n"
            f"interpreter: {want}\njit:         {got}")

    def test_reference_output_is_complete(self):
        names = [p.__name__ for p in ember_jit_corpus.PROGRAMS]
        self.assertGreaterEqual(len(names), 60)
        self.assertEqual([line.split(":", 1)[0] for line in self.expected],
                         names * REPEAT)
        n = len(names)
        for k in range(1, REPEAT):
            self.assertEqual(self.expected[k * n:(k + 1) * n],
                             self.expected[:n])
        # program_that_raises is the only program expected to raise
        raised = [line.split(":", 1)[0] for line in self.expected[:n]
                  if line.split(": ", 1)[1].startswith("raised ")]
        self.assertEqual(raised, ["program_that_raises"])

    def test_reference_output_does_not_depend_on_hash_seed(self):
        for seed in ("0", "1", "4242"):
            with self.subTest(PYTHONHASHSEED=seed):
                self.assertEqual(self.corpus_output(
                    env={"PYTHONHASHSEED": seed}), self.expected)

    def test_jit_all(self):
        self.assertSameOutput(["-X", "jit-all"])

    def test_jit_all_stress_deopt(self):
        self.assertSameOutput(["-X", "jit-all", "-X", "jit-stress-deopt"])

    def test_jit_auto_3(self):
        self.assertSameOutput(["-X", "jit", "-X", "jit-auto=3"])

    def test_jit_auto_3_stress_deopt(self):
        self.assertSameOutput(["-X", "jit", "-X", "jit-auto=3",
                               "-X", "jit-stress-deopt"])


class JitScript:
    """Runs a script from a file, so that tracebacks have source lines."""

    flags = ("-X", "jit-all")

    def run_script(self, source, timeout=None):
        source = textwrap.dedent(source)
        with os_helper.temp_dir() as tmp:
            path = os.path.join(tmp, "jitprog.py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(source)
            proc = run_python(*self.flags, path,
                              timeout=timeout or support.SHORT_TIMEOUT)
        self.assertEqual(proc.returncode, 0,
                         f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc.stdout.replace(path, "PROG").splitlines()


@support.requires_subprocess()
class ModeTests(JitScript, unittest.TestCase):
    flags = ()

    def check(self, flags, source):
        self.flags = flags
        return self.run_script(source)

    def test_is_enabled(self):
        src = "import cinderjit; print(cinderjit.is_enabled())"
        self.assertEqual(self.check((), src), ["False"])
        self.assertEqual(self.check(("-X", "jit"), src), ["True"])
        self.assertEqual(self.check(("-X", "jit-all"), src), ["True"])

    def test_threshold(self):
        src = """\
            import cinderjit

            def f(x):
                return x + 1

            calls = 0
            for n in (1, 9, 2000):
                while calls < n:
                    f(calls)
                    calls += 1
                print(n, cinderjit.is_jit_compiled(f))
            """
        self.assertEqual(self.check(("-X", "jit", "-X", "jit-auto=3"), src),
                         ["1 False", "9 True", "2000 True"])
        self.assertEqual(self.check(("-X", "jit"), src),
                         ["1 False", "9 False", "2000 True"])
        self.assertEqual(self.check(("-X", "jit-all"), src),
                         ["1 True", "9 True", "2000 True"])
        self.assertEqual(self.check((), src),
                         ["1 False", "9 False", "2000 False"])

    def test_disable(self):
        src = """\
            import cinderjit

            def before(x):
                return x * 2

            def after(x):
                return x * 3

            print(before(2), cinderjit.is_jit_compiled(before))
            cinderjit.disable()
            print(cinderjit.is_enabled())
            print(after(2), cinderjit.is_jit_compiled(after))
            print(before(5))
            """
        self.assertEqual(self.check(("-X", "jit-all"), src),
                         ["4 True", "False", "6 False", "10"])


@support.requires_subprocess()
class CorpusCompiledTests(JitScript, unittest.TestCase):
    """Under -X jit-all the corpus' functions are compiled, not interpreted."""

    COMPILED = [
        "int_add_sub_mul", "int_floordiv_mod", "int_shift_bits", "float_ops",
        "mixed", "running_total", "chained", "str_ops", "fstr", "slices",
        "list_ops", "dict_ops", "unpack", "make_counter", "with_defaults",
        "kwonly", "scaled", "uses_len", "point_work", "apply_scaled",
        "read_xy", "add_any", "try_flow", "with_cm", "loop_with_errors",
        "deep_a", "deep_b", "deep_c", "for_loops", "while_loops",
        "matrix_mult", "del_local", "frame_info", "fib", "is_even", "is_odd",
        "builtin_calls", "consume", "matcher", "walrus", "run",
        "ints_add_sub_mul", "recursion",
    ]

    def test_corpus_is_compiled(self):
        lines = self.run_script(f"""\
            import sys
            import cinderjit
            from test import ember_jit_corpus as corpus

            lines = corpus.run()
            print(len(lines) == len(corpus.PROGRAMS))
            print(len(cinderjit.get_compiled_functions()) > 0)
            for name in {self.COMPILED!r}:
                print(name, cinderjit.is_jit_compiled(getattr(corpus, name)))
            for name in ("gen_range", "gen_delegate", "accumulator"):
                print(name, cinderjit.is_jit_compiled(getattr(corpus, name)))
            n = sum(map(cinderjit.is_jit_compiled, corpus.PROGRAMS))
            print("programs compiled:", n, "of", len(corpus.PROGRAMS))
            print("failures:", cinderjit.get_compile_failures())
            """, timeout=support.LONG_TIMEOUT)
        diagnostics = "\n".join(lines[-2:])
        self.assertEqual(lines[:2], ["True", "True"], diagnostics)
        self.assertEqual(lines[2:-2],
                         [f"{name} True" for name in self.COMPILED]
                         + ["gen_range True", "gen_delegate True",
                            "accumulator True"], diagnostics)

    # Functions of the corpus that raise, write and delete globals, delete
    # cells, import, define classes, unpack with a star, match, use with
    # and set up async iteration: compiled all the way.
    COVERAGE = [
        "raise_kinds", "raise_in_try", "reraiser", "set_and_del_global",
        "del_missing_global", "del_own_cell", "del_free_var", "import_some",
        "import_missing", "make_class", "class_body_fails", "star_unpack",
        "star_head", "match_seq", "match_map", "match_cls", "match_errors",
        "with_kinds", "async_genexp",
    ]

    def test_no_unsupported_opcode_deopts(self):
        lines = self.run_script(f"""\
            import cinderjit
            from test import ember_jit_corpus as corpus

            corpus.run()
            print(cinderjit.get_stats()["deopts"]["unsupported-opcode"])
            print([name for name in {self.COVERAGE!r}
                   if not cinderjit.is_jit_compiled(getattr(corpus, name))])
            """, timeout=support.LONG_TIMEOUT)
        self.assertEqual(lines, ["0", "[]"])


@support.requires_subprocess()
class SemanticsTests(JitScript, unittest.TestCase):
    """Exact behaviour of compiled functions (-X jit-all)."""

    def test_traceback_three_calls_deep(self):
        lines = self.run_script("""\
            import traceback
            import cinderjit

            def level3(x):
                y = x * 2
                raise ValueError(f"bad {y}")

            def level2(x):
                z = x + 1
                return level3(z) + 1

            def level1(x):
                return level2(x) - 1

            for i in range(3):
                try:
                    level1(i)
                except ValueError as e:
                    tb = traceback.extract_tb(e.__traceback__)
                    print(e, [(fs.name, fs.lineno) for fs in tb])
            try:
                level1(10)
            except ValueError as e:
                print("".join(traceback.format_exception(e)), end="")
            print([cinderjit.is_jit_compiled(f) for f in (level1, level2, level3)])
            """)
        frames = "[('<module>', 17), ('level1', 13), ('level2', 10), ('level3', 6)]"
        self.assertEqual(lines, [
            f"bad 2 {frames}",
            f"bad 4 {frames}",
            f"bad 6 {frames}",
            'Traceback (most recent call last):',
            '  File "PROG", line 22, in <module>',
            '    level1(10)',
            '  File "PROG", line 13, in level1',
            '    return level2(x) - 1',
            '           ^^^^^^^^^',
            '  File "PROG", line 10, in level2',
            '    return level3(z) + 1',
            '           ^^^^^^^^^',
            '  File "PROG", line 6, in level3',
            '    raise ValueError(f"bad {y}")',
            'ValueError: bad 22',
            '[True, True, True]',
        ])

    def test_keyboard_interrupt_in_loop(self):
        lines = self.run_script("""\
            import _thread
            import signal
            import threading
            import cinderjit

            def spin():
                n = 0
                try:
                    while True:
                        n += 1
                except KeyboardInterrupt as e:
                    tb = e.__traceback__
                    frames = []
                    while tb is not None:
                        code = tb.tb_frame.f_code
                        frames.append((code.co_name,
                                       tb.tb_lineno - code.co_firstlineno))
                        tb = tb.tb_next
                    return n > 0, str(e), frames

            def on_alarm(signum, frame):
                raise KeyboardInterrupt("alarm")

            signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, 0.1)
            print(spin())
            print(cinderjit.is_jit_compiled(spin))
            timer = threading.Timer(0.1, _thread.interrupt_main)
            timer.start()
            print(spin())
            timer.join()
            print("done")
            """)
        self.assertEqual(lines, [
            "(True, 'alarm', [('spin', 3), ('on_alarm', 1)])",
            "True",
            "(True, '', [('spin', 3)])",
            "done",
        ])

    def test_settrace_from_compiled_function(self):
        lines = self.run_script("""\
            import sys
            import cinderjit

            events = []

            def tracer(frame, event, arg):
                code = frame.f_code
                if code.co_name in ("callee", "other", "driver"):
                    events.append((event, code.co_name,
                                   frame.f_lineno - code.co_firstlineno))
                return tracer

            def callee(x):
                y = x * 2
                return y + 1

            def other(x):
                return x + 100

            def driver(n):
                total = 0
                for i in range(n):
                    if i == 2:
                        sys.settrace(tracer)
                    total += callee(i)
                total = other(total)
                sys.settrace(None)
                return total

            print([driver(2) for _ in range(3)])
            print([cinderjit.is_jit_compiled(f) for f in (callee, other, driver)])
            print(driver(4))
            for event in events:
                print(event)
            print(sys.gettrace())
            print(driver(3), len(events))
            """)
        self.assertEqual(lines, [
            "[104, 104, 104]",
            "[True, True, True]",
            "116",
            "('call', 'callee', 0)",
            "('line', 'callee', 1)",
            "('line', 'callee', 2)",
            "('return', 'callee', 2)",
            "('call', 'callee', 0)",
            "('line', 'callee', 1)",
            "('line', 'callee', 2)",
            "('return', 'callee', 2)",
            "('call', 'other', 0)",
            "('line', 'other', 1)",
            "('return', 'other', 1)",
            "None",
            "109 18",
        ])

    def test_setprofile_from_compiled_function(self):
        lines = self.run_script("""\
            import sys
            import cinderjit

            events = []

            def prof(frame, event, arg):
                name = frame.f_code.co_name
                if name in ("callee", "driver"):
                    if event.startswith("c_"):
                        events.append((event, name, arg.__name__))
                    else:
                        events.append((event, name, arg))
                return prof

            def callee(s):
                return len(s) + abs(-2)

            def driver(n):
                total = 0
                for i in range(n):
                    if i == 2:
                        sys.setprofile(prof)
                    total += callee("x" * i)
                sys.setprofile(None)
                return total

            print([driver(2) for _ in range(3)])
            print([cinderjit.is_jit_compiled(f) for f in (callee, driver)])
            print(driver(4))
            for event in events:
                print(event)
            print(sys.getprofile())
            """)
        self.assertEqual(lines, [
            "[5, 5, 5]",
            "[True, True]",
            "14",
            "('call', 'callee', None)",
            "('c_call', 'callee', 'len')",
            "('c_return', 'callee', 'len')",
            "('c_call', 'callee', 'abs')",
            "('c_return', 'callee', 'abs')",
            "('return', 'callee', 4)",
            "('call', 'callee', None)",
            "('c_call', 'callee', 'len')",
            "('c_return', 'callee', 'len')",
            "('c_call', 'callee', 'abs')",
            "('c_return', 'callee', 'abs')",
            "('return', 'callee', 5)",
            "('c_call', 'driver', 'setprofile')",
            "None",
        ])

    def test_f_locals_through_getframe(self):
        lines = self.run_script("""\
            import sys
            import cinderjit

            def inspect_me(a, b=2, *args, **kw):
                cell = a
                c = a * b
                fr = sys._getframe()
                early = dict(fr.f_locals)
                later = [c, cell]
                late = dict(fr.f_locals)
                caller = sys._getframe(1)
                get = lambda: cell
                return (fr, sorted(early), early["c"], early["args"],
                        early["kw"], "later" in early, late["later"],
                        fr.f_lineno - fr.f_code.co_firstlineno,
                        caller.f_code.co_name,
                        caller.f_lineno - caller.f_code.co_firstlineno,
                        caller.f_locals["local_of_caller"], get())

            def call_it(x):
                local_of_caller = x * 10
                return inspect_me(x, 3, 7, k=x)

            for value in (1, 2, 2.5, "s"):
                fr, *rest = call_it(value)
                print(rest)
                print(fr.f_locals["later"],
                      fr.f_lineno - fr.f_code.co_firstlineno)
            print(cinderjit.is_jit_compiled(inspect_me),
                  cinderjit.is_jit_compiled(call_it))
            """)
        keys = "['a', 'args', 'b', 'c', 'cell', 'fr', 'kw']"
        self.assertEqual(lines, [
            f"[{keys}, 3, (7,), {{'k': 1}}, False, [3, 1], 11, 'call_it', 2, 10, 1]",
            "[3, 1] 9",
            f"[{keys}, 6, (7,), {{'k': 2}}, False, [6, 2], 11, 'call_it', 2, 20, 2]",
            "[6, 2] 9",
            f"[{keys}, 7.5, (7,), {{'k': 2.5}}, False, [7.5, 2.5], 11, 'call_it', 2, 25.0, 2.5]",
            "[7.5, 2.5] 9",
            f"[{keys}, 'sss', (7,), {{'k': 's'}}, False, ['sss', 's'], 11, 'call_it', 2, 'ssssssssss', 's']",
            "['sss', 's'] 9",
            "True True",
        ])

    def test_recursion_limit(self):
        lines = self.run_script("""\
            import sys
            import cinderjit

            def down(n):
                if n == 0:
                    return 0
                return down(n - 1) + 1

            deepest = 0

            def probe(n):
                global deepest
                deepest = n
                return probe(n + 1) + 1

            def depth():
                f = sys._getframe(1)
                n = 0
                while f is not None:
                    n += 1
                    f = f.f_back
                return n

            print(down(100))
            base = depth()
            old = sys.getrecursionlimit()
            sys.setrecursionlimit(150)
            for attempt in range(2):
                try:
                    probe(1)
                except RecursionError as e:
                    print(type(e).__name__, e)
                print(deepest + base)
            sys.setrecursionlimit(old)
            print(down(500))
            print(cinderjit.is_jit_compiled(down),
                  cinderjit.is_jit_compiled(probe))
            """)
        self.assertEqual(len(lines), 7, lines)
        self.assertEqual(lines[0], "100")
        for i in (1, 3):
            self.assertEqual(lines[i],
                             "RecursionError maximum recursion depth exceeded")
            # Python frames on the stack when the error was raised, as the
            # interpreter counts them: exactly the limit.
            self.assertEqual(lines[i + 1], "150")
        self.assertEqual(lines[5:], ["500", "True True"])

    def test_generator_compiled(self):
        lines = self.run_script("""\
            import re
            import cinderjit

            def ember_probe_gen(n):
                yield n
                yield n + 1

            def uses_gen(n):
                return list(ember_probe_gen(n))

            def plain(x):
                return x + 1

            print(cinderjit.force_compile(ember_probe_gen))
            print(cinderjit.is_jit_compiled(ember_probe_gen))
            print(cinderjit.force_compile(plain), cinderjit.is_jit_compiled(plain))
            print(uses_gen(3), cinderjit.is_jit_compiled(uses_gen))
            print(plain(1))
            hits = {str(k): str(v)
                    for k, v in cinderjit.get_compile_failures().items()
                    if "ember_probe_gen" in str(k)}
            print(len(hits) == 0)
            print(any(re.search(r"\bplain\b", str(k))
                      for k in cinderjit.get_compile_failures()))
            print("hits:", hits)
            """)
        self.assertEqual(lines[:-1], [
            "True", "True", "True True", "[3, 4] True", "2",
            "True", "False",
        ], lines[-1])

    def test_code_swapped_after_compile(self):
        lines = self.run_script("""\
            import cinderjit

            def f(x):
                return x + 1

            def g(x):
                return ("g", x * 100)

            def caller(x):
                return f(x)

            print([caller(i) for i in range(5)])
            print(cinderjit.is_jit_compiled(f), cinderjit.is_jit_compiled(caller))
            original = f.__code__
            f.__code__ = g.__code__
            print(f(3), caller(4))
            print([caller(i) for i in range(3)])
            f.__code__ = original
            print(f(3), caller(4))
            """)
        self.assertEqual(lines, [
            "[1, 2, 3, 4, 5]",
            "True True",
            "('g', 300) ('g', 400)",
            "[('g', 0), ('g', 100), ('g', 200)]",
            "4 5",
        ])

    def test_globals_rebound_after_compile(self):
        lines = self.run_script("""\
            import builtins
            import cinderjit

            K = 1

            def addk(x):
                return x + K

            def uselen(s):
                return len(s)

            def setk(v):
                global K
                K = v

            print([addk(i) for i in range(3)], uselen("ab"))
            print(cinderjit.is_jit_compiled(addk),
                  cinderjit.is_jit_compiled(uselen))
            K = 100
            print(addk(1))
            setk(0.5)
            print(addk(1))
            globals()["len"] = lambda s: "module global"
            print(uselen("abc"))
            del len
            print(uselen("abc"))
            saved = builtins.len
            builtins.len = lambda s: "builtins patched"
            print(uselen("abc"))
            builtins.len = saved
            print(uselen("abc"))
            del K
            try:
                addk(1)
            except NameError as e:
                print(type(e).__name__, e)
            setk("s")
            print(addk("t"))
            """)
        self.assertEqual(lines, [
            "[1, 2, 3] 2",
            "True True",
            "101",
            "1.5",
            "module global",
            "3",
            "builtins patched",
            "3",
            "NameError name 'K' is not defined",
            "ts",
        ])

    def test_del_local_then_use(self):
        lines = self.run_script("""\
            import cinderjit

            def f(flag):
                x = 10
                if flag:
                    del x
                return x

            def outer(flag):
                v = 1
                def inner():
                    return v
                if flag:
                    del v
                return inner()

            print([f(False) for _ in range(3)], [outer(False) for _ in range(3)])
            print(cinderjit.is_jit_compiled(f), cinderjit.is_jit_compiled(outer))
            for func in (f, outer):
                try:
                    func(True)
                except NameError as e:
                    tb = e.__traceback__.tb_next
                    print(type(e).__name__, e,
                          tb.tb_lineno - func.__code__.co_firstlineno)
            print(f(0))
            """)
        self.assertEqual(lines, [
            "[10, 10, 10] [1, 1, 1]",
            "True True",
            "UnboundLocalError cannot access local variable 'x' where it is "
            "not associated with a value 4",
            "NameError cannot access free variable 'v' where it is not "
            "associated with a value in enclosing scope 6",
            "10",
        ])


if __name__ == "__main__":
    unittest.main()
