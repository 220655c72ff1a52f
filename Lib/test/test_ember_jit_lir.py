"""The JIT's back end: LIR text and parser (Jit/lir.c), linear-scan register
allocation (Jit/regalloc.c) and x86-64 emission (Jit/emit.c), exercised
through _ember._jit_lir_selftest(text, args), which parses LIR text,
allocates, emits, calls the code with args and returns a dict
(Jit/lir_selftest.c).  In the text, @sum6 @record @ident @clobber @dealloc
stand for the addresses of test functions and _Py_Dealloc."""

import ctypes
import gc
import os
import re
import sys
import unittest
import weakref

import _ember

X86_64_LINUX = sys.platform == "linux" and os.uname().machine == "x86_64"

M64 = (1 << 64) - 1


def run(text, *args):
    return _ember._jit_lir_selftest(text, args)


def result(text, *args):
    return run(text, *args)["result"]


def s64(v):
    v &= M64
    return v - (1 << 64) if v >> 63 else v


def binop_text(op, b="v1"):
    return f"""
bb0:
    v0 = Param 0
    v1 = Param 1
    v2 = {op} v0, {b}
    Ret v2
"""


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class TextTests(unittest.TestCase):
    CANONICAL = """\
bb0:
    v0 = Param 0
    v1 = Param 1
    v2 = Load v0+16, 8
    Store v0-8, v2, 4
    Store v0+0, -5, 1
    v3 = Add v1, 5
    v4 = Cmp ult v1, v3
    v5 = AddOvf v1, v3, bb3
    v6 = Call 0x1234, v1, 7
    Call v6
    Incref v0
    Decref v0, 0xabc
    XDecref v5, 0xabc
    v3 = Move v6
    Branch le v3, -1, bb1, bb2
bb1:
    Jump bb2
bb2:
    Ret v3
bb3:
    v7 = Shl v1, 3
    v8 = Sar v7, 63
    Ret 0
"""

    def text_of(self, text):
        return _ember._jit_lir_selftest(text, None)

    def test_round_trip(self):
        r = self.text_of(self.CANONICAL)
        self.assertEqual(r["text"], self.CANONICAL)
        self.assertIsNone(r["result"])
        # and the printed text parses back to the same thing
        self.assertEqual(self.text_of(r["text"])["text"], self.CANONICAL)

    def test_allocated_text_shows_locations_and_parses_back(self):
        r = self.text_of(self.CANONICAL)
        self.assertRegex(r["lir"], r"v0:(r[a-z0-9]+|\[rsp\+\d+\])")
        self.assertTrue(r["lir"].startswith("# frame:"))
        self.assertEqual(self.text_of(r["lir"])["text"], self.CANONICAL)

    def test_free_form(self):
        r = self.text_of("""
            # a comment
            bb0:   ; another
              v0=Param 0
              v1 = Load v0, 1
              v2 = Add v1, 0x10
              Ret v2
        """)
        self.assertIn("v1 = Load v0+0, 1", r["text"])
        self.assertIn("v2 = Add v1, 16", r["text"])

    def assertParseError(self, text, *fragments):
        with self.assertRaises(ValueError) as cm:
            self.text_of(text)
        for fragment in fragments:
            self.assertIn(fragment, str(cm.exception))

    def test_parse_errors(self):
        self.assertParseError("bb0:\n  v0 = Frob 1\n", "line 2",
                              "expected an operation", "'Frob'")
        self.assertParseError("v0 = Param 0\n", "line 1", "block label")
        self.assertParseError("bb0:\n v0 = Add v1\n", "line 2", "','")
        self.assertParseError("bb0:\n v0 = Add v1, x\n", "line 2",
                              "register (vN) or an immediate")
        self.assertParseError("bb0:\n v0 = Load v1+8, 3\n", "line 2",
                              "size (1, 2, 4 or 8)")
        self.assertParseError("bb0:\n Branch xx v1, 2, bb0, bb0\n",
                              "line 2", "condition")
        self.assertParseError("bb0:\n Jump bb7\n", "bb1 is used but never "
                              "defined")
        self.assertParseError("bb0:\n Ret 1\nbb0:\n Ret 2\n", "line 3",
                              "defined twice")
        self.assertParseError("bb0:\n v1 = Store v0+0, 1, 8\n", "line 2",
                              "no result")
        self.assertParseError("bb0:\n Add v0, 1\n", "line 2",
                              "needs a result")
        self.assertParseError("bb0:\n Ret 1 2\n", "line 2",
                              "end of the line")
        self.assertParseError("bb0:\n v0 = Param 9\n", "argument number")
        self.assertParseError("bb0:\n Ret 0x1ffffffffffffffff\n",
                              "64 bits")
        self.assertParseError("bb0:\n Call 1, 1, 2, 3, 4, 5, 6, 7\n",
                              "at most 6")

    def test_allocation_errors(self):
        with self.assertRaisesRegex(ValueError, "bb0 does not end"):
            self.text_of("bb0:\n v0 = Param 0\n")
        with self.assertRaisesRegex(ValueError, "terminator in the middle"):
            self.text_of("bb0:\n Ret 0\n Ret 1\n")
        with self.assertRaisesRegex(ValueError, "shift count"):
            self.text_of("bb0:\n v0 = Param 0\n v1 = Shl v0, v0\n Ret v1\n")

    def test_unknown_test_function(self):
        with self.assertRaisesRegex(ValueError, "@nosuch"):
            run("bb0:\n v0 = Call @nosuch\n Ret v0\n")


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class ArithmeticTests(unittest.TestCase):
    VALUES = [0, 1, -1, 7, -7, 2**31 - 1, -2**31, 2**31, 2**32 + 5,
              2**63 - 1, -2**63, 123456789012345]

    OPS = {
        "Add": lambda a, b: a + b,
        "Sub": lambda a, b: a - b,
        "Mul": lambda a, b: a * b,
        "And": lambda a, b: a & b,
        "Or": lambda a, b: a | b,
        "Xor": lambda a, b: a ^ b,
    }

    def test_binops_registers(self):
        for op, f in self.OPS.items():
            for a in self.VALUES:
                for b in self.VALUES[:6]:
                    with self.subTest(op=op, a=a, b=b):
                        self.assertEqual(result(binop_text(op), a, b),
                                         s64(f(a, b)))

    def test_binops_immediates(self):
        for op, f in self.OPS.items():
            for b in (3, -3, 2**31 - 1, -2**31, 2**40 + 3, -2**45):
                with self.subTest(op=op, b=b):
                    self.assertEqual(result(binop_text(op, str(b)), 1000),
                                     s64(f(1000, b)))
            # immediate first operand
            text = f"bb0:\n v0 = Param 0\n v1 = {op} 77, v0\n Ret v1\n"
            self.assertEqual(result(text, 5), s64(f(77, 5)))

    def test_non_commutative_result_in_second_operand_register(self):
        # v0 dies at v2, so v2 may get v1's register: Sub must not
        # overwrite v1 before reading it.
        text = """
bb0:
    v0 = Param 0
    v1 = Param 1
    v2 = Sub v0, v1
    v3 = Sub v1, v0
    v4 = Mul v2, 1000
    v5 = Add v4, v3
    Ret v5
"""
        self.assertEqual(result(text, 10, 3), 7 * 1000 - 7)

    def test_same_operand(self):
        text = "bb0:\n v0 = Param 0\n v1 = Sub v0, v0\n v2 = Add v0, v0\n" \
               " v3 = Add v1, v2\n Ret v3\n"
        self.assertEqual(result(text, 21), 42)

    def test_shifts(self):
        for n in (0, 1, 5, 63):
            for a in (1, -1, 12345, -2**63):
                with self.subTest(n=n, a=a):
                    self.assertEqual(result(binop_text("Shl", str(n)), a),
                                     s64(a << n))
                    self.assertEqual(result(binop_text("Sar", str(n)), a),
                                     a >> n)

    def test_move_and_immediates(self):
        for v in (0, 5, -1, 2**31, 2**63 - 1, -2**63, 0xdeadbeefcafe):
            with self.subTest(v=v):
                self.assertEqual(result(f"bb0:\n v0 = Move {v}\n Ret v0\n"),
                                 s64(v))
                self.assertEqual(result(f"bb0:\n Ret {v}\n"), s64(v))

    def test_six_params(self):
        text = """
bb0:
    v0 = Param 0
    v1 = Param 1
    v2 = Param 2
    v3 = Param 3
    v4 = Param 4
    v5 = Param 5
    v6 = Mul v1, 10
    v7 = Mul v2, 100
    v8 = Mul v3, 1000
    v9 = Mul v4, 10000
    v10 = Mul v5, 100000
    v11 = Add v0, v6
    v12 = Add v11, v7
    v13 = Add v12, v8
    v14 = Add v13, v9
    v15 = Add v14, v10
    Ret v15
"""
        self.assertEqual(result(text, 1, 2, 3, 4, 5, 6), 654321)


CONDS = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "ult": lambda a, b: (a & M64) < (b & M64),
    "ule": lambda a, b: (a & M64) <= (b & M64),
    "ugt": lambda a, b: (a & M64) > (b & M64),
    "uge": lambda a, b: (a & M64) >= (b & M64),
}

PAIRS = [(0, 0), (1, 2), (2, 1), (-1, 1), (1, -1), (-1, -1),
         (-2**63, 2**63 - 1), (2**63 - 1, -2**63), (0, -1), (-1, 0),
         (2**31, 2**31 - 1), (5, 5)]


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class ConditionTests(unittest.TestCase):
    def test_cmp(self):
        for cond, f in CONDS.items():
            text = f"bb0:\n v0 = Param 0\n v1 = Param 1\n" \
                   f" v2 = Cmp {cond} v0, v1\n Ret v2\n"
            for a, b in PAIRS:
                with self.subTest(cond=cond, a=a, b=b):
                    self.assertEqual(result(text, a, b), int(f(a, b)))

    def test_branch(self):
        for cond, f in CONDS.items():
            text = f"""
bb0:
    v0 = Param 0
    v1 = Param 1
    Branch {cond} v0, v1, bb1, bb2
bb1:
    Ret 11
bb2:
    Ret 22
"""
            for a, b in PAIRS:
                with self.subTest(cond=cond, a=a, b=b):
                    self.assertEqual(result(text, a, b), 11 if f(a, b) else 22)

    def test_branch_fall_through_both_ways(self):
        # the true target placed right after the block, then the false one
        for order in ("bb1, bb2", "bb2, bb1"):
            text = f"""
bb0:
    v0 = Param 0
    Branch lt v0, 10, {order}
bb1:
    Ret 1
bb2:
    Ret 2
"""
            want = (1, 2) if order == "bb1, bb2" else (2, 1)
            self.assertEqual((result(text, 5), result(text, 50)), want)

    def test_immediates_in_compares(self):
        big = 2**40 + 7
        for cond, f in CONDS.items():
            for a in (0, big, big + 1, -big, -1):
                for imm in (big, -big, 3, -2**31):
                    text = f"""
bb0:
    v0 = Param 0
    v1 = Cmp {cond} v0, {imm}
    v2 = Cmp {cond} {imm}, v0
    v3 = Mul v1, 2
    v4 = Add v3, v2
    Branch {cond} v0, {imm}, bb1, bb2
bb1:
    v5 = Add v4, 100
    Ret v5
bb2:
    Ret v4
"""
                    want = int(f(a, imm)) * 2 + int(f(imm, a))
                    if f(a, imm):
                        want += 100
                    with self.subTest(cond=cond, a=a, imm=imm):
                        self.assertEqual(result(text, a), want)

    def test_branch_immediate_above_32_bits(self):
        text = """
bb0:
    v0 = Param 0
    Branch eq v0, 0x123456789a, bb1, bb2
bb1:
    Ret 1
bb2:
    Ret 0
"""
        r = run(text, 0x123456789a)
        self.assertEqual(r["result"], 1)
        self.assertIn("MOV R10, 0X123456789A", r["asm"].upper())
        self.assertEqual(result(text, 0x3456789a), 0)


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class OverflowTests(unittest.TestCase):
    def check(self, op, f, cases):
        text = f"""
bb0:
    v0 = Param 0
    v1 = Param 1
    v2 = {op} v0, v1, bb1
    Ret v2
bb1:
    Ret 0x7eadbeef
"""
        for a, b in cases:
            exact = f(a, b)
            want = exact if -2**63 <= exact < 2**63 else 0x7eadbeef
            with self.subTest(op=op, a=a, b=b):
                self.assertEqual(result(text, a, b), want)

    def test_add(self):
        self.check("AddOvf", lambda a, b: a + b,
                   [(1, 2), (2**63 - 1, 1), (2**63 - 2, 1), (-2**63, -1),
                    (-2**63, 0), (-1, -2**63 + 1)])

    def test_sub(self):
        self.check("SubOvf", lambda a, b: a - b,
                   [(1, 2), (-2**63, 1), (-2**63 + 1, 1), (2**63 - 1, -1),
                    (0, -2**63), (-1, -2**63)])

    def test_mul(self):
        self.check("MulOvf", lambda a, b: a * b,
                   [(3, 4), (2**32, 2**31), (2**32, 2**30), (-1, -2**63),
                    (2**62, 2), (-2**62, 2), (-7, 9)])

    def test_value_live_into_overflow_block_redefined_after(self):
        # v1 is needed by the overflow block, and redefined after the
        # AddOvf on the normal path
        text = """
bb0:
    v0 = Param 0
    v1 = Param 1
    v2 = AddOvf v0, v0, bb2
    v1 = Move v2
    Jump bb1
bb1:
    Ret v1
bb2:
    v3 = Add v1, 1
    Ret v3
"""
        self.assertEqual(result(text, 5, 40), 10)
        self.assertEqual(result(text, 2**62, 40), 41)


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class MemoryTests(unittest.TestCase):
    def setUp(self):
        self.buf = bytearray(range(1, 65))
        self.carr = (ctypes.c_char * len(self.buf)).from_buffer(self.buf)
        self.addr = ctypes.addressof(self.carr)

    def tearDown(self):
        del self.carr

    def test_loads_zero_extend(self):
        self.buf[8:16] = (0xfffefdfcfbfaf9f8).to_bytes(8, "little")
        for size in (1, 2, 4, 8):
            text = f"bb0:\n v0 = Param 0\n v1 = Load v0+8, {size}\n Ret v1\n"
            want = int.from_bytes(self.buf[8:8 + size], "little")
            with self.subTest(size=size):
                self.assertEqual(result(text, self.addr) & M64, want)

    def test_negative_displacement(self):
        text = "bb0:\n v0 = Param 0\n v1 = Load v0-4, 2\n Ret v1\n"
        self.assertEqual(result(text, self.addr + 8),
                         int.from_bytes(self.buf[4:6], "little"))

    def test_stores_of_each_size(self):
        for size in (1, 2, 4, 8):
            for value in (0x1122334455667788, -2, 0x7f):
                before = bytes(self.buf)
                text = f"""
bb0:
    v0 = Param 0
    v1 = Param 1
    Store v0+16, v1, {size}
    Ret 0
"""
                result(text, self.addr, value)
                want = bytearray(before)
                want[16:16 + size] = (value & ((1 << (8 * size)) - 1)) \
                    .to_bytes(size, "little")
                with self.subTest(size=size, value=value):
                    self.assertEqual(bytes(self.buf), bytes(want))

    def test_store_immediates(self):
        for size, imm in ((1, -1), (1, 0x1ff), (2, -3), (4, 2**31 - 1),
                          (8, -2**31), (8, 2**40 + 1)):
            before = bytes(self.buf)
            text = f"bb0:\n v0 = Param 0\n Store v0+24, {imm}, {size}\n" \
                   f" Ret 0\n"
            result(text, self.addr)
            want = bytearray(before)
            want[24:24 + size] = (imm & ((1 << (8 * size)) - 1)) \
                .to_bytes(size, "little")
            with self.subTest(size=size, imm=imm):
                self.assertEqual(bytes(self.buf), bytes(want))

    def test_byte_store_from_every_register(self):
        # enough live values that sil/dil/bpl-class registers get used
        n = 14
        lines = ["bb0:", " v0 = Param 0"]
        for i in range(1, n + 1):
            lines.append(f" v{i} = Add v0, {i}")
        for i in range(1, n + 1):
            lines.append(f" Store v0+{i}, v{i}, 1")
        lines.append(" Ret 0")
        result("\n".join(lines), self.addr)
        for i in range(1, n + 1):
            self.assertEqual(self.buf[i], (self.addr + i) & 0xff)


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class ControlFlowTests(unittest.TestCase):
    SUM = """
bb0:
    v0 = Param 0
    v1 = Move 0
    v2 = Move 1
    Jump bb1
bb1:
    Branch gt v2, v0, bb3, bb2
bb2:
    v1 = Add v1, v2
    v2 = Add v2, 1
    Jump bb1
bb3:
    Ret v1
"""

    def test_sum_loop(self):
        for n in (0, 1, 10, 1000):
            self.assertEqual(result(self.SUM, n), n * (n + 1) // 2)

    def test_no_jump_to_next_block(self):
        asm = run(self.SUM, 3)["asm"]
        # bb0 falls into bb1, bb2 jumps back, bb1 branches to bb3: one jmp
        self.assertEqual(asm.count("jmp"), 1, asm)

    def test_loop_with_calls_and_values_around_back_edge(self):
        # v3 (a constant from before the loop) is live around the loop
        # and across the call
        text = """
bb0:
    v0 = Param 0
    v1 = Move 0
    v2 = Move 1
    v3 = Move 1000
    Jump bb1
bb1:
    Branch gt v2, v0, bb3, bb2
bb2:
    v4 = Call @clobber
    v5 = Call @ident, v2
    v1 = Add v1, v5
    v1 = Add v1, v3
    v2 = Add v2, 1
    Jump bb1
bb3:
    Ret v1
"""
        for n in (0, 1, 7, 100):
            self.assertEqual(result(text, n), n * (n + 1) // 2 + 1000 * n)

    def test_moveto_join(self):
        text = """
bb0:
    v0 = Param 0
    v1 = Param 1
    Branch lt v0, v1, bb1, bb2
bb1:
    v2 = Mul v0, 10
    Jump bb3
bb2:
    v2 = Mul v1, 100
    Jump bb3
bb3:
    v3 = Add v2, 1
    Ret v3
"""
        self.assertEqual(result(text, 2, 3), 21)
        self.assertEqual(result(text, 3, 2), 201)

    def test_unreachable_block_ignored(self):
        text = "bb0:\n Ret 5\nbb1:\n v0 = Move 1\n Jump bb1\n"
        self.assertEqual(result(text), 5)

    def test_nested_loops(self):
        # sum over i < n, j < i of (i * j)
        text = """
bb0:
    v0 = Param 0
    v1 = Move 0
    v2 = Move 0
    Jump bb1
bb1:
    Branch ge v2, v0, bb5, bb2
bb2:
    v3 = Move 0
    Jump bb3
bb3:
    Branch ge v3, v2, bb4, bb6
bb6:
    v4 = Mul v2, v3
    v1 = Add v1, v4
    v3 = Add v3, 1
    Jump bb3
bb4:
    v2 = Add v2, 1
    Jump bb1
bb5:
    Ret v1
"""
        n = 20
        want = sum(i * j for i in range(n) for j in range(i))
        self.assertEqual(result(text, n), want)


def pressure_text(n, call=None):
    """n values live at once, optionally a call in the middle, summed at
    the end with weights so that a mix-up shows."""
    lines = ["bb0:", " v0 = Param 0", " v1 = Param 1"]
    for i in range(n):
        lines.append(f" v{i + 2} = Mul v0, {i + 1}")
        lines.append(f" v{i + 2} = Add v{i + 2}, v1")
    if call:
        lines.append(f" v{n + 2} = Call {call}")
    acc = 2
    for i in range(1, n):
        nv = n + 3 + i
        lines.append(f" v{nv} = Mul v{acc}, 3")
        lines.append(f" v{nv} = Add v{nv}, v{i + 2}")
        acc = nv
    lines.append(f" Ret v{acc}")
    return "\n".join(lines) + "\n"


def pressure_want(n, a, b):
    acc = a * 1 + b
    for i in range(1, n):
        acc = s64(acc * 3 + a * (i + 1) + b)
    return acc


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class PressureTests(unittest.TestCase):
    def test_spills_without_calls(self):
        for n in (12, 13, 14, 30, 60):
            r = run(pressure_text(n), 7, 5)
            with self.subTest(n=n):
                self.assertEqual(r["result"], pressure_want(n, 7, 5))
                if n >= 30:
                    self.assertIn("[rsp+", r["lir"])

    def test_spills_across_calls(self):
        for call in ("@clobber", "@ident, v1"):
            for n in (5, 6, 7, 30):
                r = run(pressure_text(n, call), 7, 5)
                with self.subTest(call=call, n=n):
                    self.assertEqual(r["result"], pressure_want(n, 7, 5))
                    # nothing live across the call sits in a caller-saved
                    # register
                    for reg in ("rax", "rcx", "rdx", "rsi", "rdi", "r8",
                                "r9"):
                        for i in range(2, n + 2):
                            self.assertNotIn(f"v{i}:{reg} ", r["lir"])
                            self.assertNotIn(f"v{i}:{reg}\n", r["lir"])

    def test_values_across_call_prefer_callee_saved(self):
        r = run(pressure_text(4, "@clobber"), 1, 2)
        self.assertEqual(r["result"], pressure_want(4, 1, 2))
        self.assertNotIn("[rsp+", r["lir"].split("\n", 1)[1])
        self.assertIn("push rbx", r["asm"])

    def test_pressure_in_a_loop(self):
        # 20 accumulators live around the back edge, a call in the body
        n = 20
        lines = ["bb0:", " v0 = Param 0", " v1 = Move 0"]
        for i in range(n):
            lines.append(f" v{10 + i} = Move {i}")
        lines += [" Jump bb1", "bb1:", " Branch ge v1, v0, bb3, bb2", "bb2:"]
        for i in range(n):
            lines.append(f" v{10 + i} = Add v{10 + i}, {i + 1}")
            if i == n // 2:
                lines.append(" Call @clobber")
        lines += [" v1 = Add v1, 1", " Jump bb1", "bb3:", " v100 = Move 0"]
        for i in range(n):
            lines.append(f" v100 = Mul v100, 7")
            lines.append(f" v100 = Add v100, v{10 + i}")
        lines.append(" Ret v100")
        text = "\n".join(lines) + "\n"
        k = 9
        acc = 0
        for i in range(n):
            acc = s64(acc * 7 + i + k * (i + 1))
        self.assertEqual(result(text, k), acc)


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class CallTests(unittest.TestCase):
    def sum6(self, *a):
        return sum(v * 10 ** i for i, v in enumerate(a))

    def test_six_arguments(self):
        text = """
bb0:
    v0 = Call @sum6, 1, 2, 3, 4, 5, 6
    Ret v0
"""
        self.assertEqual(result(text), 654321)

    def test_permuted_argument_registers(self):
        # params arrive in rdi..r9; pass them on rotated and swapped, so
        # the moves into the argument registers form cycles
        perms = [(1, 2, 3, 4, 5, 0), (5, 4, 3, 2, 1, 0), (1, 0, 3, 2, 5, 4),
                 (0, 1, 2, 3, 4, 5), (2, 0, 1, 5, 3, 4), (0, 0, 1, 1, 5, 5)]
        for perm in perms:
            args = ", ".join(f"v{p}" for p in perm)
            text = "bb0:\n" + "".join(f" v{i} = Param {i}\n"
                                      for i in range(6))
            text += f" v6 = Call @sum6, {args}\n Ret v6\n"
            values = (1, 2, 3, 4, 5, 6)
            with self.subTest(perm=perm):
                self.assertEqual(result(text, *values),
                                 self.sum6(*(values[p] for p in perm)))

    def test_mixed_sources(self):
        # registers, immediates (one above 32 bits) and spilled values
        n = 25
        lines = ["bb0:", " v0 = Param 0", " v1 = Param 1"]
        for i in range(n):
            lines.append(f" v{i + 10} = Add v0, {i}")
        lines.append(" v2 = Call @sum6, v12, 0x100000000, v1, v30, 7, v10")
        acc = "v2"
        for i in range(n):
            lines.append(f" v{i + 50} = Add {acc}, v{i + 10}")
            acc = f"v{i + 50}"
        lines.append(f" Ret {acc}")
        a, b = 3, 4
        want = self.sum6(a + 2, 2**32, b, a + 20, 7, a) + \
            sum(a + i for i in range(n))
        self.assertEqual(result("\n".join(lines) + "\n", a, b), want)

    def test_register_target_and_no_result(self):
        text = """
bb0:
    v0 = Param 0
    v1 = Param 1
    Call v0, v1
    v2 = Call v0, 9
    Ret v2
"""
        r = run(text.replace("v0 = Param 0", "v0 = Move @record"), 0, 41)
        self.assertEqual(r["result"], 10)
        self.assertEqual(r["record_calls"], 2)
        self.assertEqual(r["recorded"], 9)

    def test_call_result_and_argument_register_reuse(self):
        text = """
bb0:
    v0 = Param 0
    v1 = Call @record, v0
    v2 = Call @record, v1
    v3 = Add v2, v0
    Ret v3
"""
        r = run(text, 5)
        self.assertEqual(r["result"], 7 + 5)
        self.assertEqual(r["recorded"], 6)

    def test_stack_alignment_at_calls(self):
        # odd and even numbers of pushed registers and spill slots: the
        # return address, the pushes and the frame add up to a multiple
        # of 16, so rsp is aligned at every call.
        for n in (1, 2, 3, 6, 7, 20, 21):
            r = run(pressure_text(n, "@clobber"), 1, 1)
            pushes = r["asm"].count("push ")
            m = re.search(r"sub rsp, (0x[0-9A-Fa-f]+|\d+)", r["asm"])
            frame = int(m.group(1), 0) if m else 0
            with self.subTest(n=n):
                self.assertEqual((8 + 8 * pushes + frame) % 16, 0)
                self.assertEqual(r["result"], pressure_want(n, 1, 1))


# --- random programs, checked against a model --------------------------

def model_run(blocks, args, mem, record=None):
    """Interpret parsed-by-hand LIR (lists of tuples) on 64-bit integers;
    mem is a bytearray standing for the buffer whose address is args[0]."""
    regs = {}
    base = args[0]
    if record is None:
        record = []

    def val(o):
        return regs[o] if isinstance(o, str) else s64(o)

    b, i = 0, 0
    steps = 0
    while True:
        steps += 1
        assert steps < 100000
        ins = blocks[b][i]
        i += 1
        op = ins[0]
        if op == "Param":
            regs[ins[1]] = s64(args[ins[2]])
        elif op == "Move":
            regs[ins[1]] = val(ins[2])
        elif op in ("Add", "Sub", "Mul", "And", "Or", "Xor", "Shl", "Sar"):
            a, c = val(ins[2]), val(ins[3])
            regs[ins[1]] = s64({
                "Add": lambda: a + c, "Sub": lambda: a - c,
                "Mul": lambda: a * c, "And": lambda: a & c,
                "Or": lambda: a | c, "Xor": lambda: a ^ c,
                "Shl": lambda: a << c, "Sar": lambda: a >> c}[op]())
        elif op == "Cmp":
            regs[ins[1]] = int(CONDS[ins[2]](val(ins[3]), val(ins[4])))
        elif op in ("AddOvf", "SubOvf", "MulOvf"):
            a, c = val(ins[2]), val(ins[3])
            exact = a + c if op == "AddOvf" else a - c if op == "SubOvf" \
                else a * c
            regs[ins[1]] = s64(exact)
            if s64(exact) != exact:
                b, i = ins[4], 0
        elif op == "Load":
            off, size = val(ins[2]) - base + ins[3], ins[4]
            regs[ins[1]] = s64(int.from_bytes(mem[off:off + size],
                                              "little"))
        elif op == "Store":
            off, size = val(ins[1]) - base + ins[2], ins[4]
            mem[off:off + size] = (val(ins[3]) & ((1 << 8 * size) - 1)) \
                .to_bytes(size, "little")
        elif op == "Call":
            vals = [val(a) for a in ins[3]]
            if ins[2] == "@sum6":
                r = s64(sum(v * 10 ** k for k, v in enumerate(vals)))
            else:   # @clobber
                r = s64(0x5a5a5a5a5a5a5a5a)
            if ins[1] is not None:
                regs[ins[1]] = r
        elif op in ("Incref", "Decref", "XDecref"):
            addr = val(ins[1])
            if op == "XDecref" and addr == 0:
                continue
            off = addr - base
            if mem[off + 7] != 0:
                continue
            count = int.from_bytes(mem[off:off + 8], "little")
            count = (count + (1 if op == "Incref" else -1)) & M64
            mem[off:off + 8] = count.to_bytes(8, "little")
            if op != "Incref" and count == 0:
                # the dealloc function of the random programs is @record
                record.append(s64(addr))
        elif op == "Jump":
            b, i = ins[1], 0
        elif op == "Branch":
            t = CONDS[ins[1]](val(ins[2]), val(ins[3]))
            b, i = (ins[4] if t else ins[5]), 0
        elif op == "Ret":
            return val(ins[1])


def opnd_text(o):
    return o if isinstance(o, str) else str(o)


def program_text(blocks):
    out = []
    for n, block in enumerate(blocks):
        out.append(f"bb{n}:")
        for ins in block:
            op = ins[0]
            if op == "Param":
                out.append(f"    {ins[1]} = Param {ins[2]}")
            elif op == "Move":
                out.append(f"    {ins[1]} = Move {opnd_text(ins[2])}")
            elif op == "Cmp":
                out.append(f"    {ins[1]} = Cmp {ins[2]} "
                           f"{opnd_text(ins[3])}, {opnd_text(ins[4])}")
            elif op in ("AddOvf", "SubOvf", "MulOvf"):
                out.append(f"    {ins[1]} = {op} {opnd_text(ins[2])}, "
                           f"{opnd_text(ins[3])}, bb{ins[4]}")
            elif op == "Load":
                out.append(f"    {ins[1]} = Load {ins[2]}+{ins[3]}, {ins[4]}")
            elif op == "Store":
                out.append(f"    Store {ins[1]}+{ins[2]}, "
                           f"{opnd_text(ins[3])}, {ins[4]}")
            elif op == "Call":
                args = "".join(", " + opnd_text(a) for a in ins[3])
                d = f"{ins[1]} = " if ins[1] is not None else ""
                out.append(f"    {d}Call {ins[2]}{args}")
            elif op == "Incref":
                out.append(f"    Incref {ins[1]}")
            elif op in ("Decref", "XDecref"):
                out.append(f"    {op} {ins[1]}, @record")
            elif op == "Jump":
                out.append(f"    Jump bb{ins[1]}")
            elif op == "Branch":
                out.append(f"    Branch {ins[1]} {opnd_text(ins[2])}, "
                           f"{opnd_text(ins[3])}, bb{ins[4]}, bb{ins[5]}")
            elif op == "Ret":
                out.append(f"    Ret {opnd_text(ins[1])}")
            else:
                out.append(f"    {ins[1]} = {op} {opnd_text(ins[2])}, "
                           f"{opnd_text(ins[3])}")
    return "\n".join(out) + "\n"


def random_program(rng, nvars, nblocks, calls=True):
    """A DAG of blocks (plus self-loops run a bounded number of times) over
    nvars variables defined in bb0 and redefined anywhere; the last block
    folds every variable into the result."""
    imms = [0, 1, -1, 3, 100, -2**31, 2**31 - 1, 2**33 + 5, -2**40,
            2**63 - 1, -2**63]
    variables = [f"v{k}" for k in range(1, nvars + 1)]
    counters = {}
    nv = [nvars + 10]

    def fresh():
        nv[0] += 1
        return f"v{nv[0]}"

    def opnd(allow_imm=True):
        if allow_imm and rng.random() < 0.25:
            return rng.choice(imms)
        return rng.choice(variables)

    blocks = [[("Param", "v0", 0), ("Param", "v9999", 1)]]
    blocks[0] += [("Move", v, ("v9999" if k % 3 == 0 else rng.choice(imms)))
                  for k, v in enumerate(variables)]
    loops = set(rng.sample(range(1, nblocks - 1), min(2, nblocks - 2)))
    for n in loops:
        counters[n] = f"v{9000 + n}"
        blocks[0].append(("Move", counters[n], 0))
    for n in range(1, nblocks):
        blocks.append([])
    for n in range(nblocks - 1):
        block = blocks[n]
        for _ in range(rng.randint(2, 10)):
            kind = rng.random()
            dest = rng.choice(variables) if rng.random() < 0.6 else fresh()
            if kind < 0.45:
                op = rng.choice(["Add", "Sub", "Mul", "And", "Or", "Xor",
                                 "Shl", "Sar"])
                b = rng.randint(0, 63) if op in ("Shl", "Sar") else opnd()
                block.append((op, dest, opnd(), b))
            elif kind < 0.55:
                block.append(("Cmp", dest, rng.choice(list(CONDS)), opnd(),
                              opnd()))
            elif kind < 0.62:
                block.append(("Move", dest, opnd()))
            elif kind < 0.70 and n + 1 < nblocks - 1:
                op = rng.choice(["AddOvf", "SubOvf", "MulOvf"])
                block.append((op, dest, opnd(), opnd(),
                              rng.randint(n + 1, nblocks - 1)))
            elif kind < 0.78:
                size = rng.choice([1, 2, 4, 8])
                off = rng.randrange(0, 64 - size + 1)
                if rng.random() < 0.5:
                    block.append(("Load", dest, "v0", off, size))
                else:
                    block.append(("Store", "v0", off, opnd(), size))
            elif kind < 0.84:
                # the fake object at buffer offset 48 (its count is the
                # random bytes there: usually immortal, sometimes not)
                obj = fresh()
                if rng.random() < 0.2:
                    block.append(("Move", obj, 0))
                    block.append(("XDecref", obj))
                else:
                    block.append(("Add", obj, "v0", 48))
                    block.append((rng.choice(["Incref", "Decref", "XDecref"]),
                                  obj))
            elif calls and kind < 0.92:
                if rng.random() < 0.5:
                    args = [opnd() for _ in range(6)]
                    block.append(("Call", dest, "@sum6", args))
                else:
                    block.append(("Call", None, "@clobber", []))
            # otherwise nothing
        if n in loops:
            c = counters[n]
            block.append(("Add", c, c, 1))
            block.append(("Branch", "lt", c, 3, n,
                          rng.randint(n + 1, nblocks - 1)))
        elif rng.random() < 0.5:
            t1 = rng.randint(n + 1, nblocks - 1)
            t2 = rng.randint(n + 1, nblocks - 1)
            block.append(("Branch", rng.choice(list(CONDS)), opnd(False),
                          opnd(), t1, t2))
        else:
            block.append(("Jump", rng.randint(n + 1, nblocks - 1)))
    last = blocks[nblocks - 1]
    acc = "v8000"
    last.append(("Move", acc, 0))
    for v in variables:
        last.append(("Mul", acc, acc, 31))
        last.append(("Add", acc, acc, v))
    last.append(("Ret", acc))
    return blocks


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class RandomProgramTests(unittest.TestCase):
    def check_programs(self, seed, count, nvars, nblocks, calls=True):
        import random
        rng = random.Random(seed)
        for k in range(count):
            blocks = random_program(rng, nvars, nblocks, calls)
            text = program_text(blocks)
            arg = rng.choice([0, 1, -5, 2**40, 12345])
            buf = bytearray(rng.randbytes(64))
            carr = (ctypes.c_char * 64).from_buffer(buf)
            addr = ctypes.addressof(carr)
            if rng.random() < 0.7:
                # a mortal count of 1 to 3 at the fake object
                buf[48:56] = rng.randint(1, 3).to_bytes(8, "little")
            mem = bytearray(buf)
            record = []
            want = model_run(blocks, (addr, arg), mem, record)
            try:
                r = run(text, addr, arg)
            finally:
                del carr
            got = r["result"]
            with self.subTest(seed=seed, k=k):
                self.assertEqual(r["record_calls"], len(record))
                if record:
                    self.assertEqual(r["recorded"], record[-1])
                if got != want or bytes(buf) != bytes(mem):
                    self.fail(f"{got} != {want} or memory differs for\n"
                              f"{text}")

    def test_few_variables(self):
        self.check_programs(1, 60, 4, 6)

    def test_register_pressure(self):
        self.check_programs(2, 60, 20, 8)

    def test_heavy_pressure_without_calls(self):
        self.check_programs(3, 30, 40, 10, calls=False)

    def test_heavy_pressure_with_calls(self):
        self.check_programs(4, 30, 40, 10)


class Tracked:
    pass


@unittest.skipUnless(X86_64_LINUX, "the JIT targets x86-64 Linux")
class RefcountTests(unittest.TestCase):
    INCREF = "bb0:\n v0 = Param 0\n Incref v0\n Ret 0\n"
    DECREF = "bb0:\n v0 = Param 0\n Decref v0, @dealloc\n Ret 0\n"
    XDECREF = "bb0:\n v0 = Param 0\n XDecref v0, @dealloc\n Ret 0\n"

    def test_incref_decref(self):
        o = Tracked()
        before = sys.getrefcount(o)
        run(self.INCREF, id(o))
        self.assertEqual(sys.getrefcount(o), before + 1)
        run(self.INCREF, id(o))
        self.assertEqual(sys.getrefcount(o), before + 2)
        run(self.DECREF, id(o))
        self.assertEqual(sys.getrefcount(o), before + 1)
        run(self.XDECREF, id(o))
        self.assertEqual(sys.getrefcount(o), before)

    def test_immortal_untouched(self):
        before = sys.getrefcount(None)
        for text in (self.INCREF, self.DECREF, self.XDECREF):
            run(text, id(None))
        self.assertEqual(sys.getrefcount(None), before)

    def test_xdecref_null(self):
        self.assertEqual(result(self.XDECREF, 0), 0)

    def test_decref_frees(self):
        for text in (self.DECREF, self.XDECREF):
            o = Tracked()
            freed = []
            w = weakref.ref(o, lambda r: freed.append(1))
            run(self.INCREF, id(o))
            addr = id(o)
            del o
            gc.collect()
            self.assertEqual(freed, [])
            self.assertIsNotNone(w())
            run(text, addr)
            self.assertEqual(freed, [1])
            self.assertIsNone(w())

    def test_slow_path_keeps_live_registers(self):
        # values live in caller-saved registers across a Decref that
        # frees (the dealloc call clobbers them unless saved), and a
        # spilled object pointer
        n = 16
        lines = ["bb0:", " v0 = Param 0", " v1 = Param 1"]
        for i in range(n):
            lines.append(f" v{i + 10} = Add v1, {i}")
        lines.append(" Decref v0, @dealloc")
        lines.append(" v50 = Move 0")
        for i in range(n):
            lines.append(f" v50 = Mul v50, 3")
            lines.append(f" v50 = Add v50, v{i + 10}")
        lines.append(" Ret v50")
        text = "\n".join(lines) + "\n"
        o = Tracked()
        freed = []
        w = weakref.ref(o, lambda r: freed.append(1))
        run(self.INCREF, id(o))
        addr = id(o)
        del o
        acc = 0
        for i in range(n):
            acc = s64(acc * 3 + 100 + i)
        self.assertEqual(result(text, addr, 100), acc)
        self.assertEqual(freed, [1])

    def test_decref_in_loop_with_pressure(self):
        # Decref many times in a loop while values are live around it
        text = """
bb0:
    v0 = Param 0
    v1 = Param 1
    v2 = Move 0
    v3 = Move 5
    Jump bb1
bb1:
    Branch ge v2, v1, bb3, bb2
bb2:
    Decref v0, @dealloc
    v2 = Add v2, 1
    v3 = Add v3, v2
    Jump bb1
bb3:
    Ret v3
"""
        o = Tracked()
        for _ in range(10):
            run(self.INCREF, id(o))
        before = sys.getrefcount(o)
        self.assertEqual(result(text, id(o), 10), 5 + 55)
        self.assertEqual(sys.getrefcount(o), before - 10)


if __name__ == "__main__":
    unittest.main()
