"""How the JIT's compile time grows with a function's size, and the size cap
(docs/jit.md, "Compile time").

Every stage of the compiler is near-linear in the function's size: the
tests compile generated functions of N and 4N `if` statements and check
that the larger one costs about 4 times as much, not 16.  The check that
matters is structural and exact: the sizes and the work counts that
-X jit-dump-times prints (HIR blocks and instructions, LIR instructions,
the steps the passes and the register allocator took) must grow 4x.
Time is checked only against a generous bound (the best of a few
repetitions of cinderjit.force_compile()'s thread CPU time, 4x the ifs in
under 16x the time: the quadratic stages before the fixes took about 28x
there), because on a busy machine, and with working sets that outgrow
the caches, CPU time per instruction is far from constant.

A function over the cap (-X jit-max-size, default 50000 code units of
bytecode or HIR instructions) is refused with its reason and runs in the
interpreter with the same results.

Each case runs a script in a new process with the options it needs.
"""

import re
import textwrap
import unittest
from test.support import script_helper

# Generators of the functions the cases compile, shared by the scripts.
GEN = '''
import cinderjit, time

def gen_ifs(n):
    lines = ["def f(x):", "    y = 0"]
    for k in range(n):
        lines.append(f"    if x == {k}:")
        lines.append(f"        y += {k}")
    lines.append("    return y")
    return "\\n".join(lines)

def gen_straight(n):
    lines = ["def f(x):", "    y = 0"]
    for k in range(n):
        lines.append(f"    y = y + len(str(x)) + {k}")
    lines.append("    return y")
    return "\\n".join(lines)

def make(src, tag):
    ns = {"__name__": tag}
    exec(compile(src, f"<{tag}>", "exec"), ns)
    return ns["f"]

def cpu_to_compile(src, tag, reps):
    best = None
    for r in range(reps):
        f = make(src, f"{tag}_{r}")
        t = time.thread_time()
        assert cinderjit.force_compile(f), cinderjit.get_compile_failures()
        t = time.thread_time() - t
        best = t if best is None else min(best, t)
    return best
'''


def run(code, *xopts):
    args = []
    for x in xopts:
        args += ["-X", x]
    code = GEN + textwrap.dedent(code)
    res = script_helper.assert_python_ok(*args, "-c", code)
    return res.out.decode(), res.err.decode()


TIMES = re.compile(r"-- JIT times of f \(<(\w+)>:1\)\n"
                   r"build [\d.]+ passes [\d.]+ lower [\d.]+ regalloc [\d.]+ "
                   r"emit [\d.]+ total [\d.]+ s; (\d+) code units, (\d+) HIR "
                   r"blocks, (\d+) HIR instructions, (\d+) LIR instructions; "
                   r"work: passes (\d+), regalloc (\d+); compiled\n")


class GrowthTests(unittest.TestCase):
    N = 500

    def test_sizes_and_work_grow_linearly(self):
        # Exactly: 4x the ifs, 4x the instructions and 4x the steps (give
        # or take the function's fixed entry and exit).
        n = self.N
        _, err = run(f"""
            for tag, k in (("small", {n}), ("large", {4 * n})):
                assert cinderjit.force_compile(make(gen_ifs(k), tag))
            """, "jit", "jit-max-size=0", "jit-dump-times")
        sizes = {m[0]: [int(x) for x in m[1:]] for m in TIMES.findall(err)}
        self.assertEqual(set(sizes), {"small", "large"}, err)
        # (Not the code units: constants past 255 take an EXTENDED_ARG.)
        for small, large in zip(sizes["small"][1:], sizes["large"][1:]):
            self.assertLess(large, 4.1 * small, sizes)
            self.assertGreater(large, 3.9 * small, sizes)

    def test_compile_time_grows_roughly_linearly(self):
        n = 1000
        out, _ = run(f"""
            small = cpu_to_compile(gen_ifs({n}), "small", 3)
            large = cpu_to_compile(gen_ifs({4 * n}), "large", 2)
            print(small, large)
            """, "jit", "jit-max-size=0")
        small, large = map(float, out.split())
        # Here about 5-9x (the working set outgrows the caches); the
        # quadratic stages before the fixes: about 28x.  Timer
        # resolution: at least a millisecond apart.
        self.assertLess(large, 16 * max(small, 0.001),
                        f"compiling 4x the ifs took {large / small:.1f}x "
                        f"the CPU time ({small:.4f}s, {large:.4f}s)")

    def test_large_function_compiles(self):
        # 3000 ifs (over the default cap, so with none): it compiles and
        # computes what the interpreter does.
        out, _ = run("""
            src = gen_ifs(3000)
            f = make(src, "big")
            g = make(src, "big_interpreted")
            assert cinderjit.force_compile(f), cinderjit.get_compile_failures()
            assert cinderjit.is_jit_compiled(f)
            for x in (-1, 0, 1, 1234, 2999, 3000, "s"):
                assert f(x) == g(x) == (x if x in range(3000) else 0), x
            print("ok")
            """, "jit", "jit-max-size=0")
        self.assertEqual(out.strip(), "ok")


class CapTests(unittest.TestCase):
    def check_refused(self, gen, n, why, *xopts):
        out, _ = run(f"""
            f = make({gen}({n}), "huge")
            assert not cinderjit.force_compile(f)
            assert not cinderjit.is_jit_compiled(f)
            reason = cinderjit.get_compile_failures()["huge:f"]
            assert cinderjit.get_stats()["compile_failures"] >= 1
            # It runs, interpreted, with the right results.
            for x in (0, 7, 10**9):
                expected = (x if x < {n} else 0) if {gen!r} == "gen_ifs" \\
                    else sum(len(str(x)) + k for k in range({n}))
                assert f(x) == expected, (x, f(x), expected)
            assert not cinderjit.is_jit_compiled(f)
            print(reason)
            """, *xopts)
        self.assertRegex(out.strip(), "^too large to compile quickly: " + why)

    def test_too_many_hir_instructions(self):
        # 2000 ifs: 25,500 code units of bytecode but 74,000 HIR
        # instructions.
        self.check_refused("gen_ifs", 2000,
                           r"\d+ HIR instructions \(the limit is 50000, "
                           r"-X jit-max-size\)$", "jit")

    def test_too_much_bytecode(self):
        self.check_refused("gen_straight", 1500,
                           r"\d+ code units of bytecode \(the limit is "
                           r"50000, -X jit-max-size\)$", "jit")

    def test_refused_at_first_call(self):
        # Under -X jit-all the automatic compilation refuses it the same way.
        self.check_refused("gen_ifs", 400,
                           r"\d+ HIR instructions \(the limit is 10000, "
                           r"-X jit-max-size\)$",
                           "jit-all", "jit-max-size=10000")

    def test_under_the_cap_compiles(self):
        out, _ = run("""
            f = make(gen_ifs(1000), "fits")
            assert cinderjit.force_compile(f), cinderjit.get_compile_failures()
            assert f(999) == 999 and f(1000) == 0
            print("ok")
            """, "jit")
        self.assertEqual(out.strip(), "ok")


if __name__ == "__main__":
    unittest.main()
