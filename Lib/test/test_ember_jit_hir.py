"""The JIT's HIR: the builder (Jit/hir_builder.c), the text form and its
parser (Jit/hir.c, Jit/hir_parse.c) and each pass (Jit/pass_*.c) as text
in, text out, through two private functions of _ember:

    _jit_hir_text(func, passes=True)  the HIR built for func, printed
    _jit_hir_pass(text, passname)     parse text, run one pass, print

Pass names: phis, locals, guards, refcount, dce, all, and none (only parse
and print)."""

import dis
import inspect
import re
import textwrap
import types
import unittest

import _ember

from test import ember_jit_corpus


def hir(func, passes=True):
    return _ember._jit_hir_text(func, passes=passes)


def without_addresses(text):
    """text with each site cache's address (an Imm that big) as ADDR: two
    builds of one function allocate their caches at different addresses."""
    return re.sub(r"= Imm \d{10,}", "= Imm ADDR", text)


def run_pass(text, name):
    return _ember._jit_hir_pass(textwrap.dedent(text).lstrip("\n"), name)


def lines(text):
    return [line.strip() for line in text.splitlines()]


def warm(func, *args, n=20):
    """Call func often enough for the interpreter to specialize it."""
    for _ in range(n):
        func(*args)
    return func


def make(src, name):
    """A function of a fresh module namespace (globals nobody changes)."""
    ns = {}
    exec(textwrap.dedent(src), ns)
    return ns[name]


# The entry block of every function and of the hand-written inputs.
ENTRY = """\
bb0:
  v0 = Param tstate
  v1 = Param frame
  Jump -> bb1
"""


class BuilderTest(unittest.TestCase):
    """What the builder makes of small functions."""

    def assertSequence(self, text, expected):
        """The lines of expected (regular expressions, whole lines) appear
        in text consecutively."""
        got = lines(text)
        pats = [re.compile(p) for p in expected]
        for i in range(len(got) - len(pats) + 1):
            if all(p.fullmatch(got[i + k]) for k, p in enumerate(pats)):
                return
        self.fail("sequence not found:\n  " + "\n  ".join(expected)
                  + "\nin:\n" + text)

    def test_unpack_tuple_and_list_inline(self):
        # Cold or specialized for one of them, an UNPACK_SEQUENCE reads an
        # exact tuple and an exact list of the right length inline (a size
        # check for each), and leaves anything else to the helper.
        def f(s):
            a, b, c = s
            return c
        for arg in (None, (1, 2, 3), [1, 2, 3]):
            if arg is not None:
                warm(f, arg)
            text = hir(f)
            with self.subTest(profile=type(arg).__name__):
                self.assertEqual(len(re.findall(r"= LoadField \+16:8 v3$",
                                                text, re.M)), 2, text)
                self.assertEqual(text.count("CallHelper unpack_sequence"), 1)
                self.assertEqual(f((4, 5, 6)), 6)
                self.assertEqual(f([4, 5, 6]), 6)

    def test_entry_block(self):
        def f():
            return None
        self.assertTrue(hir(f).startswith(ENTRY), hir(f))
        # Before DCE the unused NULL constant is there.
        self.assertEqual(lines(hir(f, passes=False))[:5],
                         ["bb0:", "v0 = Param tstate", "v1 = Param frame",
                          "v2 = Const NULL", "Jump -> bb1"])

    def test_add(self):
        def add(a, b):
            return a + b
        warm(add, 1, 2)
        # BINARY_OP_ADD_INT: both operands checked to be compact ints
        # (exact int, |ob_size| <= 1), their values (size * digit) added
        # raw and boxed; the generic helper behind a failed check, and a
        # phi of the two results.
        self.assertEqual(hir(add), ENTRY + textwrap.dedent("""\
            bb1 (@1):
              v3 = LoadLocal 0
              v4 = LoadLocal 1
              v5 = LoadField +8:8 v3
              v6 = Const <type>
              v7 = RawCmp eq v5, v6
              Branch v7 -> bb4, bb2
            bb2:
              v27 = Imm 0
              v28 = CallHelper binary_op v3, v4, v27 {resume 3, error 3, consumed 2, stack v3* v4*}
              Jump -> bb3
            bb3:
              v29 = Phi bb7:v26, bb2:v28
              Return v29
            bb4:
              v8 = LoadField +16:8 v3
              v9 = Imm 1
              v10 = RawBin Add v8, v9
              v11 = Imm 2
              v12 = RawCmp ule v10, v11
              Branch v12 -> bb5, bb2
            bb5:
              v13 = LoadField +24:4 v3
              v14 = RawBin Mul v8, v13
              v15 = LoadField +8:8 v4
              v16 = Const <type>
              v17 = RawCmp eq v15, v16
              Branch v17 -> bb6, bb2
            bb6:
              v18 = LoadField +16:8 v4
              v19 = Imm 1
              v20 = RawBin Add v18, v19
              v21 = Imm 2
              v22 = RawCmp ule v20, v21
              Branch v22 -> bb7, bb2
            bb7:
              v23 = LoadField +24:4 v4
              v24 = RawBin Mul v18, v23
              v25 = RawBin Add v14, v24
              v26 = CallHelper box_int v25 {resume 3, error 3, consumed 2, stack v3* v4*}
              Jump -> bb3
            """))

    def test_add_unspecialized(self):
        def add(a, b):
            return a + b
        self.assertSequence(hir(add), [
            r"v3 = LoadLocal 0",
            r"v4 = LoadLocal 1",
            r"v5 = Imm 0",          # NB_ADD
            r"v6 = CallHelper binary_op v3, v4, v5 \{resume 3, error 3, "
            r"consumed 2, stack v3\* v4\*\}",
            r"Return v6",
        ])

    def test_loop(self):
        def loop(n):
            t = 0
            for i in range(n):
                t += i
            return t
        warm(loop, 5)
        before = hir(loop, passes=False)
        # The iterator stays on the stack around the loop: a phi of the
        # iterator and itself, which the phi pass removes.
        m = re.search(r"bb\d+ \(@18\):\n"
                      r"  v(\d+) = Phi bb\d+:v\d+, bb\d+:v\1\n"
                      r"  v\d+ = LoadField \+8:8 v\1\n", before)
        self.assertIsNotNone(m, before)
        # FOR_ITER: list and range iterators inline, tp_iternext otherwise.
        self.assertRegex(before, r"  v\d+ = CallHelper for_iter v0, v%s "
                                 r"\{resume 18, error 18, consumed 0, "
                                 r"stack v%s\}\n" % (m.group(1), m.group(1)))
        self.assertRegex(before, r"CallHelper box_int v\d+ \{resume 18, "
                                 r"error 18, consumed 0, stack v%s\}"
                                 % m.group(1))
        self.assertRegex(before,
                         r"  CheckEvalBreaker \{resume 25, error 25, "
                         r"consumed 0, stack v(\d+)\}\n  Jump -> bb\d+\n")
        after = hir(loop)
        # After the passes the loop header has no phi left: the iterator
        # is the value get_iter made.
        self.assertRegex(after,
                         r"v(\d+) = CallHelper get_iter v\d+ [^\n]*\n"
                         r"[\s\S]*\nbb\d+ \(@18\):\n"
                         r"  v\d+ = LoadField \+8:8 v\1\n[\s\S]*"
                         r"  v\d+ = CallHelper for_iter v0, v\1 \{resume 18, "
                         r"error 18, consumed 0, stack v\1\}\n")
        # t += i: int_binary behind type checks, the generic in-place add
        # (NB_INPLACE_ADD, 13) otherwise; the phi of both is stored in t.
        # t += i: a raw add of compact ints, boxed, behind checks; the
        # generic in-place add (NB_INPLACE_ADD, 13) otherwise; the phi of
        # both is stored in t.
        m = re.search(r"v(\d+) = LoadLocal 1\n  GuardNotNull v\1 \{resume 20", after)
        self.assertIsNotNone(m, after)
        t = m.group(1)
        self.assertRegex(after, r"v\d+ = RawBin Add v\d+, v\d+\n  v\d+ = "
                                r"CallHelper box_int v\d+ \{resume 22, error 22, "
                                r"consumed 2, ")
        self.assertRegex(after, r"v\d+ = Imm 13\n  v\d+ = CallHelper "
                                r"binary_op v%s, v\d+, v\d+ \{resume 22" % t)
        self.assertRegex(after, r"v(\d+) = Phi bb\d+:v\d+, bb\d+:v\d+\n"
                                r"  v(\d+) = LoadLocal 1\n"
                                r"  StoreLocal 1 v\1\n  XDecref v\2\n")

    def test_conditional(self):
        def cond(x):
            if x > 0:
                return 1
            return -1
        warm(cond, 3)
        got = hir(cond)
        # COMPARE_OP_INT_JUMP: x is checked to be a compact int and its
        # value (size * digit) compared raw with the constant 0, whose
        # type check and value are folded at compile time; the generic
        # compare and its truth otherwise; the branch reads the phi of the
        # two raw results.
        self.assertEqual(got, ENTRY + textwrap.dedent("""\
            bb1 (@1):
              v3 = LoadLocal 0
              v4 = Const 0
              v5 = LoadField +8:8 v3
              v6 = Const <type>
              v7 = RawCmp eq v5, v6
              Branch v7 -> bb4, bb2
            bb2:
              v17 = Imm 4
              v18 = CallHelper compare_op v3, v4, v17 {resume 3, error 3, consumed 2, stack v3* v4*}
              v19 = IsTrue v18 {resume 3, error 3, consumed 0, stack v3* v4*}
              Decref v18
              Jump -> bb3
            bb3:
              v20 = Phi bb5:v16, bb2:v19
              Branch v20 -> bb6, bb7
            bb4:
              v8 = LoadField +16:8 v3
              v9 = Imm 1
              v10 = RawBin Add v8, v9
              v11 = Imm 2
              v12 = RawCmp ule v10, v11
              Branch v12 -> bb5, bb2
            bb5:
              v13 = LoadField +24:4 v3
              v14 = RawBin Mul v8, v13
              v15 = Imm 0
              v16 = RawCmp gt v14, v15
              Jump -> bb3
            bb6:
              Jump -> bb8
            bb7:
              Jump -> bb9
            bb8 (@7):
              v22 = Const 1
              Incref v22
              Return v22
            bb9 (@9):
              v23 = Const -1
              Incref v23
              Return v23
            """))
        # The compare's bool, unused once the branch reads the raw result,
        # is there before DCE only.
        self.assertIn("v21 = BoolFromRaw v20", lines(hir(cond, passes=False)))
        self.assertNotIn("BoolFromRaw", got)

    def test_not(self):
        def neg(x):
            return not x
        self.assertSequence(hir(neg), [
            r"v4 = IsTrue v3 \{resume 2, error 2, consumed 1, stack v3\*\}",
            r"v5 = BoolFromRaw not v4",
        ])

    def test_attribute_specialized(self):
        f = make("""
            class P:
                def __init__(self):
                    self.x = 1
                    self.y = 2
            def attr(p):
                return p.y
        """, "attr")
        P = f.__globals__["P"]
        warm(f, P())
        # LOAD_ATTR_INSTANCE_VALUE: check the type's version, the inline
        # values and the value, each failing to the generic load_attr.
        self.assertSequence(hir(f), [
            r"v3 = LoadLocal 0",
            r"v4 = LoadField \+8:8 v3",
            r"v5 = LoadField \+\d+:4 v4",
            r"v6 = Imm \d+",
            r"v7 = RawCmp eq v5, v6",
            r"Branch v7 -> bb4, bb2",
            r"bb2:",
            r"v10 = Imm \d+",     # the site's polymorphic cache
            r"v11 = Const 'y'",
            r"v12 = CallHelper load_attr_cached v3, v11, v10 \{resume 2, "
            r"error 2, consumed 1, stack v3\*\}",
            r"Jump -> bb3",
            r"bb3:",
            r"v13 = Phi bb6:v9, bb2:v12",
            r"Return v13",
            r"bb4:",
            r"v8 = LoadField \+-32:8 v3",
            r"Branch v8 -> bb5, bb2",
            r"bb5:",
            r"v9 = LoadField \+8:8 v8",
            r"Branch v9 -> bb6, bb2",
            r"bb6:",
            r"Incref v9",
            r"Jump -> bb3",
        ])

    def test_attribute_unspecialized(self):
        def attr(p):
            return p.y
        self.assertSequence(hir(attr), [
            r"v3 = LoadLocal 0",
            r"v4 = Imm \d+",
            r"v5 = Const 'y'",
            r"v6 = CallHelper load_attr_cached v3, v5, v4 \{resume 2, "
            r"error 2, consumed 1, stack v3\*\}",
            r"Return v6",
        ])

    def test_global_specialized(self):
        f = make("""
            G = 5
            def glob():
                return G
        """, "glob")
        warm(f)
        # LOAD_GLOBAL_MODULE: check the globals' keys version, read the
        # value from the dict entry the cache names; else the generic
        # lookup (which may deoptimize when the name is missing).
        self.assertSequence(hir(f), [
            r"v3 = Const <dict>",
            r"v4 = LoadField \+32:8 v3",
            r"v5 = LoadField \+12:4 v4",
            r"v6 = Imm \d+",
            r"v7 = RawCmp eq v5, v6",
            r"Branch v7 -> bb4, bb2",
            r"bb2:",
            r"v9 = Const 'G'",
            r"v10 = CallHelper load_global deopt-on-null v0, v1, v9 "
            r"\{resume 1, error 1, consumed 0, stack\}",
            r"Jump -> bb3",
            r"bb3:",
            r"v11 = Phi bb5:v8, bb2:v10",
            r"Return v11",
            r"bb4:",
            r"v8 = LoadField \+64:8 v4",
            r"Branch v8 -> bb5, bb2",
            r"bb5:",
            r"Incref v8",
            r"Jump -> bb3",
        ])

    def test_global_unspecialized(self):
        f = make("""
            def glob():
                return G
            G = 5
        """, "glob")
        self.assertSequence(hir(f), [
            r"v3 = Const 'G'",
            r"v4 = CallHelper load_global deopt-on-null v0, v1, v3 "
            r"\{resume 1, error 1, consumed 0, stack\}",
            r"Return v4",
        ])

    def test_builtin_specialized(self):
        f = make("""
            def blen(x):
                return len(x)
        """, "blen")
        warm(f, [])
        # Checks of the globals' and the builtins' keys versions.
        self.assertSequence(hir(f), [
            r"v3 = Const <dict>",
            r"v4 = LoadField \+32:8 v3",
            r"v5 = LoadField \+12:4 v4",
            r"v6 = Imm \d+",
            r"v7 = RawCmp eq v5, v6",
            r"Branch v7 -> bb(\d+), bb2",
        ])
        self.assertSequence(hir(f), [
            r"v8 = Const <dict>",
            r"v9 = LoadField \+32:8 v8",
            r"v10 = LoadField \+12:4 v9",
            r"v11 = Imm \d+",
            r"v12 = RawCmp eq v10, v11",
            r"Branch v12 -> bb\d+, bb2",
        ])
        self.assertRegex(hir(f), r"v13 = LoadField \+\d+:8 v9\n"
                                 r"  Branch v13 -> bb\d+, bb2")

    def test_builtin_direct_calls(self):
        # METH_O: the C function called with (module, x); METH_FASTCALL:
        # with (module, the arguments' stack slots, 2); a NULL result
        # fails; the generic call when the callable is another object.
        f = make('''
            from math import sqrt, pow
            def f(x, y):
                return sqrt(x) + pow(x, y)
        ''', "f")
        warm(f, 4.0, 2.0)
        text = without_addresses(hir(f))
        self.assertRegex(text, r"v\d+ = CallRaw 2 v\d+, v\d+, v\d+ \{")
        self.assertRegex(text, r"v\d+ = CallRaw 3 v\d+, v\d+, v\d+, v\d+ \{")
        self.assertEqual(text.count("ErrorIfNull"), 2)
        self.assertEqual(text.count("CallHelper call_site"), 2)
        g = make('''
            from math import sqrt
            def g(x):
                return sqrt(x)
        ''', "g")
        self.assertNotIn("CallRaw", hir(g))      # not warm: no profile

    def test_int_result_into_temporary(self):
        # a + b (borrowed locals): a new int; (a + b) * 3 may reuse the
        # temporary a + b made.
        f = make('''
            def f(a, b):
                return (a + b) * 3
        ''', "f")
        warm(f, 2000, 1)
        text = hir(f)
        self.assertRegex(text, r"CallHelper box_int v\d+ ")
        self.assertRegex(text, r"CallHelper box_int_into v\d+, v\d+ ")
        self.assertEqual(f(2000, 1), 6003)

    def test_subscripts_specialized(self):
        d = make("""
            def d(c, k):
                return c[k]
        """, "d")
        warm(d, {1: 2}, 1)
        # An exact dict: dict_subscr, the generic helper otherwise.
        self.assertRegex(hir(d), r"GuardType|RawCmp eq")
        self.assertIn("CallHelper dict_subscr v3, v4", hir(d))
        self.assertIn("CallHelper binary_subscr v3, v4", hir(d))
        t = make("""
            def t(c, k):
                return c[k]
        """, "t")
        warm(t, (1, 2), 1)
        # A tuple's item read inline past its header (24 bytes).
        text = hir(t)
        self.assertRegex(text, r"RawBin Add v3, v\d+")
        self.assertIn("Imm 24", text)
        self.assertNotIn("dict_subscr", text)

    def test_owned_maybe_null(self):
        def callg():
            y = 1
            return len(y)
        # LOAD_GLOBAL pushes NULL before len: owned but maybe NULL ("?")
        # in the frame state of the guard on the local y.
        self.assertSequence(hir(callg, passes=False), [
            r"v7 = LoadLocal 0",
            r"GuardNotNull v7 \{resume 9, error 9, consumed 0, "
            r"deopt guard-value, stack v2\? v6\}",
        ])

    def test_not_a_function(self):
        with self.assertRaises(TypeError):
            _ember._jit_hir_text(len)
        with self.assertRaises(TypeError):
            _ember._jit_hir_text((lambda: 0).__code__)


def corpus_functions():
    """A function for every code object compiled in ember_jit_corpus.py
    (nested ones too), after running the corpus once so that the code is
    specialized.  Closures get fresh cells."""
    ember_jit_corpus.run()
    codes = []

    def walk(code):
        codes.append(code)
        for c in code.co_consts:
            if isinstance(c, types.CodeType):
                walk(c)

    g = vars(ember_jit_corpus)
    for name, obj in sorted(g.items()):
        if (isinstance(obj, types.FunctionType)
                and obj.__module__ == ember_jit_corpus.__name__):
            walk(obj.__code__)
    funcs = []
    for code in codes:
        cells = tuple(types.CellType() for _ in code.co_freevars)
        funcs.append(types.FunctionType(code, g, code.co_name, None,
                                        cells or None))
    return funcs


class RoundTripTest(unittest.TestCase):
    """parse(print(hir)) prints the same."""

    @classmethod
    def setUpClass(cls):
        cls.funcs = corpus_functions()

    def test_corpus(self):
        built = 0
        for func in self.funcs:
            for passes in (False, True):
                with self.subTest(func=func.__qualname__, passes=passes):
                    try:
                        text = hir(func, passes)
                    except ValueError:
                        continue        # the builder refused it
                    built += 1
                    self.assertEqual(_ember._jit_hir_pass(text, "none"), text)
        self.assertGreater(built, 200)

    def test_corpus_passes_on_parsed_text(self):
        # The passes on parsed HIR do what they do on built HIR.
        checked = 0
        for func in self.funcs:
            with self.subTest(func=func.__qualname__):
                try:
                    raw = hir(func, False)
                except ValueError:
                    continue
                self.assertEqual(
                    without_addresses(_ember._jit_hir_pass(raw, "all")),
                    without_addresses(hir(func)))
                checked += 1
        self.assertGreater(checked, 100)

    def test_every_form(self):
        text = ENTRY + textwrap.dedent("""\
            bb1 (@2):
              v2 = Const NULL
              v3 = Const None
              v4 = Const True
              v5 = Const False
              v6 = Const -12345678901234567890123
              v7 = Const 1.5
              v8 = Const -inf
              v9 = Const 1e+100
              v10 = Const 'it\\'s "q" \\n\\t\\\\ \\x00 é \\u2028'
              v11 = Const "it's"
              v12 = Const <code>
              v13 = Const <tuple>
              v14 = Imm -7
              v15 = LoadLocal 300
              StoreLocal 3 v15
              v16 = LoadField +-32:8 v15
              StoreField +16:4 v1, v14
              GuardType int v15 {resume 2, error 2, consumed 0, deopt guard-type, stack v15 v3* v2?}
              GuardType my.Type v15 {resume 2, error 2, consumed 0, deopt guard-type, stack}
              GuardIs None v15 {resume 2, error 2, consumed 0, deopt guard-value, stack}
              GuardRawEq 123 v16 {resume 2, error 2, consumed 0, deopt guard-version, stack}
              v17 = CallHelper load_global deopt-on-null v0, v1, v11 {resume 4, error 6, consumed 0, stack v15*}
              v18 = CallHelper store_deref v1, v14, v17
              v19 = CallHelper contains v15, v17 {resume 8, error 8, consumed 2, stack v15 v17}
              v20 = IntCompare le v15, v6 {resume 8, error 8, consumed 0, stack}
              v21 = PtrEq v15, v3
              v22 = BoolFromRaw not v21
              v23 = BoolFromRaw v20
              v24 = IsTrue v22 {resume 10, error 10, consumed 1, stack v22}
              v25 = CallRaw 2 v14, v0, v1 {resume 10, error 10, consumed 1, stack v22}
              ErrorIfNull v25 {resume 10, error 10, consumed 1, stack v22}
              CheckEvalBreaker {resume 12, error 12, consumed 0, stack}
              CheckTracing {resume 12, error 12, consumed 0, deopt tracing, stack}
              Incref v15
              Decref v15
              XDecref v15
              Branch v24 -> bb3, bb7
            bb3:
              v30 = Phi bb1:v15, bb7:v31
              Deopt {resume 14, error 14, consumed 0, deopt unsupported-opcode, stack v30}
            bb7 (@20):
              v31 = LoadLocal 2
              Return v31
            """)
        self.assertEqual(_ember._jit_hir_pass(text, "none"), text)

    def test_blank_lines_and_indentation(self):
        text = "\n" + ENTRY.replace("  ", "\t") + "\nbb1:\n  Return v0\n\n"
        self.assertEqual(_ember._jit_hir_pass(text, "none"),
                         ENTRY + "bb1:\n  Return v0\n")

    def test_sparse_numbers(self):
        # Gaps in value and block numbers are kept.
        text = ENTRY.replace("bb1", "bb5") + textwrap.dedent("""\
            bb5 (@3):
              v9 = LoadLocal 0
              Return v9
            """)
        self.assertEqual(_ember._jit_hir_pass(text, "none"), text)
        self.assertEqual(_ember._jit_hir_pass(text, "all"), text)


class PassTest(unittest.TestCase):
    """Each pass, text in, text out."""

    def check(self, passname, before, after):
        before = ENTRY + textwrap.dedent(before)
        after = ENTRY + textwrap.dedent(after)
        # The verifier accepts what every pass gets and gives.
        self.assertIsNone(_ember._jit_hir_verify(before))
        self.assertIsNone(_ember._jit_hir_verify(after))
        self.assertEqual(_ember._jit_hir_pass(before, passname), after)

    def unchanged(self, passname, text):
        self.check(passname, text, text)

    # ---- phis

    def test_phis(self):
        self.check("phis", """\
            bb1 (@4):
              v2 = LoadLocal 0
              Jump -> bb2
            bb2 (@6):
              v3 = Phi bb1:v2, bb3:v3
              v4 = Phi bb1:v2, bb3:v5
              v6 = Phi bb1:v2, bb3:v2
              v7 = Phi bb1:v2, bb3:v3
              v8 = IsTrue v3 {resume 6, error 6, consumed 0, stack v4 v6 v7}
              Branch v8 -> bb3, bb4
            bb3 (@10):
              v5 = LoadLocal 1
              CheckEvalBreaker {resume 12, error 12, consumed 0, stack v3 v5}
              Jump -> bb2
            bb4 (@14):
              Return v4
            """, """\
            bb1 (@4):
              v2 = LoadLocal 0
              Jump -> bb2
            bb2 (@6):
              v4 = Phi bb1:v2, bb3:v5
              v8 = IsTrue v2 {resume 6, error 6, consumed 0, stack v4 v2 v2}
              Branch v8 -> bb3, bb4
            bb3 (@10):
              v5 = LoadLocal 1
              CheckEvalBreaker {resume 12, error 12, consumed 0, stack v2 v5}
              Jump -> bb2
            bb4 (@14):
              Return v4
            """)

    def test_phi_self_loop_only(self):
        # A loop phi of one value and itself is that value.
        self.check("phis", """\
            bb1:
              v2 = LoadLocal 0
              Jump -> bb2
            bb2:
              v3 = Phi bb1:v2, bb4:v3
              v4 = IsTrue v3 {resume 6, error 6, consumed 0, stack v3}
              Branch v4 -> bb4, bb3
            bb3:
              Return v3
            bb4:
              Jump -> bb2
            """, """\
            bb1:
              v2 = LoadLocal 0
              Jump -> bb2
            bb2:
              v4 = IsTrue v2 {resume 6, error 6, consumed 0, stack v2}
              Branch v4 -> bb4, bb3
            bb3:
              Return v2
            bb4:
              Jump -> bb2
            """)

    def test_phi_pair_not_found(self):
        # Two phis that only feed each other and one outside value are
        # trivial together, but neither is on its own: the pass looks at
        # one phi at a time and keeps both.
        self.unchanged("phis", """\
            bb1:
              v2 = LoadLocal 0
              Jump -> bb2
            bb2:
              v3 = Phi bb1:v2, bb4:v4
              v4 = Phi bb1:v2, bb4:v3
              v5 = IsTrue v4 {resume 6, error 6, consumed 0, stack}
              Branch v5 -> bb4, bb3
            bb3:
              Return v3
            bb4:
              Jump -> bb2
            """)

    def test_phis_kept(self):
        self.unchanged("phis", """\
            bb1:
              v2 = LoadLocal 0
              v3 = LoadLocal 1
              v4 = IsTrue v2 {resume 2, error 2, consumed 0, stack}
              Branch v4 -> bb2, bb3
            bb2:
              Jump -> bb4
            bb3:
              Jump -> bb4
            bb4:
              v5 = Phi bb2:v2, bb3:v3
              Return v5
            """)

    # ---- locals

    def test_locals(self):
        self.check("locals", """\
            bb1 (@2):
              v2 = LoadLocal 0
              v3 = LoadLocal 0
              v4 = LoadLocal 1
              v5 = Const 1
              StoreLocal 1 v5
              v6 = LoadLocal 1
              v7 = Imm 0
              v8 = CallHelper binary_op v3, v6, v7 {resume 4, error 4, consumed 2, stack v3* v6*}
              StoreLocal 0 v8
              v9 = LoadLocal 0
              XDecref v2
              Jump -> bb2
            bb2 (@8):
              v10 = LoadLocal 0
              v11 = LoadLocal 0
              Return v11
            """, """\
            bb1 (@2):
              v2 = LoadLocal 0
              v4 = LoadLocal 1
              v5 = Const 1
              StoreLocal 1 v5
              v7 = Imm 0
              v8 = CallHelper binary_op v2, v5, v7 {resume 4, error 4, consumed 2, stack v2* v5*}
              StoreLocal 0 v8
              XDecref v2
              Jump -> bb2
            bb2 (@8):
              v10 = LoadLocal 0
              Return v10
            """)

    def test_locals_not_across_blocks(self):
        self.unchanged("locals", """\
            bb1:
              v2 = LoadLocal 0
              v3 = Const 5
              StoreLocal 1 v3
              Jump -> bb2
            bb2:
              v4 = LoadLocal 0
              v5 = LoadLocal 1
              v6 = PtrEq v4, v5
              Branch v6 -> bb3, bb3
            bb3:
              v7 = LoadLocal 0
              Return v7
            """)

    # ---- guards

    def test_guards(self):
        self.check("guards", """\
            bb1:
              v2 = LoadLocal 0
              v3 = LoadLocal 1
              GuardType int v2 {resume 2, error 2, consumed 0, deopt guard-type, stack v2*}
              GuardType int v2 {resume 4, error 4, consumed 0, deopt guard-type, stack v2*}
              GuardType float v2 {resume 4, error 4, consumed 0, deopt guard-type, stack v2*}
              GuardType int v3 {resume 4, error 4, consumed 0, deopt guard-type, stack v2*}
              GuardNotNull v2 {resume 6, error 6, consumed 0, deopt guard-value, stack}
              GuardNotNull v2 {resume 8, error 8, consumed 0, deopt guard-value, stack}
              v4 = Imm 0
              v5 = CallHelper binary_op v2, v3, v4 {resume 10, error 10, consumed 2, stack v2* v3*}
              GuardNotNull v5 {resume 12, error 12, consumed 0, deopt guard-value, stack v5}
              v6 = Const 'x'
              GuardNotNull v6 {resume 12, error 12, consumed 0, deopt guard-value, stack}
              v7 = BoolFromRaw v4
              GuardNotNull v7 {resume 12, error 12, consumed 0, deopt guard-value, stack}
              v8 = CallHelper load_global deopt-on-null v0, v1, v6 {resume 14, error 14, consumed 0, stack}
              GuardNotNull v8 {resume 16, error 16, consumed 0, deopt guard-value, stack}
              Jump -> bb2
            bb2:
              GuardType int v2 {resume 20, error 20, consumed 0, deopt guard-type, stack}
              GuardNotNull v2 {resume 20, error 20, consumed 0, deopt guard-value, stack}
              Return v5
            """, """\
            bb1:
              v2 = LoadLocal 0
              v3 = LoadLocal 1
              GuardType int v2 {resume 2, error 2, consumed 0, deopt guard-type, stack v2*}
              GuardType float v2 {resume 4, error 4, consumed 0, deopt guard-type, stack v2*}
              GuardType int v3 {resume 4, error 4, consumed 0, deopt guard-type, stack v2*}
              GuardNotNull v2 {resume 6, error 6, consumed 0, deopt guard-value, stack}
              v4 = Imm 0
              v5 = CallHelper binary_op v2, v3, v4 {resume 10, error 10, consumed 2, stack v2* v3*}
              v6 = Const 'x'
              v7 = BoolFromRaw v4
              v8 = CallHelper load_global deopt-on-null v0, v1, v6 {resume 14, error 14, consumed 0, stack}
              Jump -> bb2
            bb2:
              GuardType int v2 {resume 20, error 20, consumed 0, deopt guard-type, stack}
              GuardNotNull v2 {resume 20, error 20, consumed 0, deopt guard-value, stack}
              Return v5
            """)

    def test_guards_kept(self):
        # What may be NULL keeps its guard: loads, the NULL constant, raw
        # results of INT helpers, phis; other guard kinds are not touched.
        self.unchanged("guards", """\
            bb1:
              v2 = LoadLocal 0
              GuardNotNull v2 {resume 2, error 2, consumed 0, deopt guard-value, stack}
              v3 = LoadField +8:8 v2
              GuardNotNull v3 {resume 2, error 2, consumed 0, deopt guard-value, stack}
              v4 = Const NULL
              GuardNotNull v4 {resume 2, error 2, consumed 0, deopt guard-value, stack}
              v5 = CallHelper contains v2, v3 {resume 4, error 4, consumed 2, stack v2 v3}
              GuardNotNull v5 {resume 6, error 6, consumed 0, deopt guard-value, stack}
              GuardRawEq 7 v3 {resume 6, error 6, consumed 0, deopt guard-version, stack}
              GuardRawEq 7 v3 {resume 6, error 6, consumed 0, deopt guard-version, stack}
              GuardIs None v2 {resume 6, error 6, consumed 0, deopt guard-value, stack}
              GuardIs None v2 {resume 6, error 6, consumed 0, deopt guard-value, stack}
              Jump -> bb2
            bb2:
              v6 = Phi bb1:v2
              GuardNotNull v6 {resume 8, error 8, consumed 0, deopt guard-value, stack}
              Return v6
            """)

    # ---- refcount

    def test_refcount_pairs(self):
        self.check("refcount", """\
            bb1:
              v2 = LoadLocal 0
              v3 = LoadLocal 1
              Incref v2
              v4 = Const 1
              v5 = LoadField +8:8 v2
              v6 = PtrEq v2, v4
              v7 = BoolFromRaw v6
              Decref v2
              Incref v2
              Incref v3
              Decref v2
              Return v3
            """, """\
            bb1:
              v2 = LoadLocal 0
              v3 = LoadLocal 1
              v4 = Const 1
              v5 = LoadField +8:8 v2
              v6 = PtrEq v2, v4
              v7 = BoolFromRaw v6
              Incref v3
              Return v3
            """)

    def test_refcount_kept(self):
        # Not removed: a frame state between (a guard that may deoptimize
        # with the reference recorded), a call between, another Decref
        # between, a store, an XDecref, and a pair across blocks.
        self.unchanged("refcount", """\
            bb1:
              v2 = LoadLocal 0
              v3 = LoadLocal 1
              Incref v2
              GuardNotNull v3 {resume 2, error 2, consumed 0, deopt guard-value, stack v2}
              Decref v2
              Incref v2
              v4 = Imm 0
              v5 = CallHelper binary_op v3, v3, v4 {resume 4, error 4, consumed 2, stack v3* v3*}
              Decref v2
              Incref v2
              Decref v3
              Decref v2
              Incref v2
              StoreLocal 2 v3
              Decref v2
              Incref v2
              XDecref v2
              Incref v2
              Jump -> bb2
            bb2:
              Decref v2
              Return v5
            """)

    # ---- dce

    def test_dce(self):
        self.check("dce", """\
            bb1:
              v2 = LoadLocal 0
              v3 = LoadField +8:8 v2
              v4 = LoadField +16:8 v3
              v5 = LoadLocal 1
              v6 = Const 7
              v7 = PtrEq v5, v6
              v8 = BoolFromRaw v7
              v9 = LoadLocal 2
              v10 = Imm 3
              CheckEvalBreaker {resume 4, error 4, consumed 0, stack v9*}
              v11 = IsTrue v5 {resume 6, error 6, consumed 0, stack}
              v12 = CallHelper binary_op v5, v5, v10 {resume 8, error 8, consumed 2, stack v5* v5*}
              Jump -> bb2
            bb2:
              v13 = Phi bb1:v5
              v14 = Phi bb1:v6
              Return v13
            """, """\
            bb1:
              v5 = LoadLocal 1
              v9 = LoadLocal 2
              v10 = Imm 3
              CheckEvalBreaker {resume 4, error 4, consumed 0, stack v9*}
              v11 = IsTrue v5 {resume 6, error 6, consumed 0, stack}
              v12 = CallHelper binary_op v5, v5, v10 {resume 8, error 8, consumed 2, stack v5* v5*}
              Jump -> bb2
            bb2:
              v13 = Phi bb1:v5
              Return v13
            """)

    def test_dce_keeps_params_and_effects(self):
        self.unchanged("dce", """\
            bb1:
              v2 = LoadLocal 0
              StoreLocal 1 v2
              v3 = Const None
              Incref v3
              GuardNotNull v2 {resume 2, error 2, consumed 0, deopt guard-value, stack}
              Return v3
            """)

    def test_all(self):
        # STORE_FAST then LOAD_FAST of the same local, a trivial phi and a
        # guard repeated: all of them go.
        self.check("all", """\
            bb1 (@2):
              v2 = LoadLocal 0
              GuardType int v2 {resume 2, error 2, consumed 0, deopt guard-type, stack}
              v3 = LoadLocal 1
              StoreLocal 1 v2
              XDecref v3
              v4 = LoadLocal 1
              GuardType int v4 {resume 4, error 4, consumed 0, deopt guard-type, stack}
              Incref v4
              Decref v4
              Jump -> bb2
            bb2 (@6):
              v5 = Phi bb1:v4, bb4:v5
              v6 = IsTrue v5 {resume 6, error 6, consumed 0, stack}
              Branch v6 -> bb4, bb3
            bb3 (@8):
              Return v5
            bb4:
              Jump -> bb2
            """, """\
            bb1 (@2):
              v2 = LoadLocal 0
              GuardType int v2 {resume 2, error 2, consumed 0, deopt guard-type, stack}
              v3 = LoadLocal 1
              StoreLocal 1 v2
              XDecref v3
              Jump -> bb2
            bb2 (@6):
              v6 = IsTrue v2 {resume 6, error 6, consumed 0, stack}
              Branch v6 -> bb4, bb3
            bb3 (@8):
              Return v2
            bb4:
              Jump -> bb2
            """)


class ParseErrorTest(unittest.TestCase):
    """Bad text: ValueError naming the line and what was expected."""

    def error(self, text, line, pattern):
        with self.assertRaises(ValueError) as cm:
            _ember._jit_hir_pass(text, "none")
        msg = str(cm.exception)
        self.assertRegex(msg, rf"^line {line}: ")
        self.assertRegex(msg, pattern)

    def test_errors(self):
        ok = ENTRY + "bb1:\n  Return v0\n"
        self.assertEqual(_ember._jit_hir_pass(ok, "none"), ok)
        cases = [
            ("", 1, "expected a block header"),
            ("\n\n", 1, "expected a block header"),
            ("  v0 = Param tstate\n", 1, "before the first block header"),
            ("bb0\n", 1, "expected ':' ending the block header"),
            ("bb0 (@x):\n", 1, "expected a code unit"),
            ("bb0:\n  v0 = Frob 1\n", 2, "expected an instruction"),
            ("bb0:\n  Param tstate\n", 2, "Param has a result"),
            ("bb0:\n  v0 = Return v0\n", 2, "Return has no result"),
            ("bb0:\n  v0 = Param me\n", 2, "expected 'tstate' or 'frame'"),
            ("bb0:\n  v0 = Param tstate\n  v0 = Param frame\n", 3,
             "v0 is already defined on line 2"),
            (ENTRY + "bb1:\n  Return v9\n", 6, "v9 is not defined"),
            (ENTRY + "bb1:\n  Jump -> bb4\n", 6, "bb4 is not defined"),
            (ENTRY + "bb1:\n  Return\n", 6,
             r"expected argument 1 of 1 of Return \(vN\), found end of line"),
            (ENTRY + "bb1:\n  Return v0, v1\n", 6,
             "expected end of line, found ', v1'"),
            (ENTRY + "bb1:\n  v2 = Imm\n", 6, "expected an integer"),
            (ENTRY + "bb1:\n  v2 = Const foo\n", 6, "expected a constant"),
            (ENTRY + "bb1:\n  v2 = Const 'abc\n", 6, "unterminated string"),
            (ENTRY + "bb1:\n  v2 = LoadLocal -1\n", 6, "out of range"),
            (ENTRY + "bb1:\n  v2 = LoadField 8:8 v1\n", 6,
             "expected '\\+offset:size'"),
            (ENTRY + "bb1:\n  v2 = LoadField +8:3 v1\n", 6,
             "size 3 is not 1, 2, 4 or 8"),
            (ENTRY + "bb1:\n  v2 = CallHelper nope v0\n", 6,
             "expected a helper name"),
            (ENTRY + "bb1:\n  v2 = IntCompare lt3 v0, v1 {resume 0, error 0, consumed 0, stack}\n",
             6, "expected a condition"),
            (ENTRY + "bb1:\n  GuardNotNull v0\n", 6,
             "expected '{' and a frame state"),
            (ENTRY + "bb1:\n  GuardNotNull v0 {resume 1, error 1, consumed 0, stack}\n",
             6, "expected 'deopt'"),
            (ENTRY + "bb1:\n  GuardNotNull v0 {resume 1, error 1, consumed 0, deopt oops, stack}\n",
             6, "expected a deoptimization kind"),
            (ENTRY + "bb1:\n  CheckEvalBreaker {resume 1, error 1, consumed 2, stack v0}\n",
             6, "consumed 2 is not within the stack depth 1"),
            (ENTRY + "bb1:\n  CheckEvalBreaker {resume 1, error 1, consumed 0, stack v0 x}\n",
             6, "expected a stack entry"),
            (ENTRY + "bb1:\n  Incref v0 {resume 1, error 1, consumed 0, stack}\n",
             6, "Incref takes no frame state"),
            (ENTRY + "bb1:\n  v2 = Phi bb0 v0\n", 6, "expected ':' in a phi input"),
            (ENTRY + "bb1:\n  Branch v0 -> bb1\n", 6, "expected ',' and the false target"),
            (ENTRY + "bb1:\nbb1:\n", 6, "blocks must come in increasing order"),
        ]
        for text, line, pattern in cases:
            with self.subTest(text=text):
                self.error(text, line, pattern)

    def test_unknown_pass(self):
        with self.assertRaisesRegex(ValueError, "unknown pass 'nope'"):
            _ember._jit_hir_pass(ENTRY + "bb1:\n  Return v0\n", "nope")


# Functions that use the instructions the builder compiles through helpers
# or inline since it covers every instruction of a plain function's normal
# path: {name: (opcodes the bytecode must hold, helpers the HIR calls)}.
COVERAGE_SRC = """\
def raise0():
    raise

def raise1(x):
    raise ValueError(x)

def raise2(x, cause):
    raise ValueError(x) from cause

def store_global(v):
    global G
    G = v

def delete_global():
    global G
    del G

def delete_deref():
    x = 1
    def inner():
        return x
    del x
    return inner

def imports():
    import os.path
    from sys import maxsize
    return os.path, maxsize

def build_class(base):
    class C(base):
        pass
    return C

def unpack_ex(seq):
    a, *b, c = seq
    return a, b, c

def match_sequence(v):
    match v:
        case [a, b]:
            return a
    return None

def match_mapping(v):
    match v:
        case {"k": a}:
            return a
    return None

def match_class(v):
    match v:
        case complex(real=r):
            return r
    return None

def with_statement(cm):
    with cm as x:
        return x

def async_genexp(src):
    return (x async for x in src)
"""

COVERAGE = {
    "raise0": (["RAISE_VARARGS"], ["raise_varargs"]),
    "raise1": (["RAISE_VARARGS"], ["raise_varargs"]),
    "raise2": (["RAISE_VARARGS"], ["raise_varargs"]),
    "store_global": (["STORE_GLOBAL"], ["store_global"]),
    "delete_global": (["DELETE_GLOBAL"], ["delete_global"]),
    "delete_deref": (["DELETE_DEREF"], ["delete_deref"]),
    "imports": (["IMPORT_NAME", "IMPORT_FROM"], ["import_name", "import_from"]),
    "build_class": (["LOAD_BUILD_CLASS"], ["load_build_class"]),
    "unpack_ex": (["UNPACK_EX"], ["unpack_ex"]),
    "match_sequence": (["MATCH_SEQUENCE", "GET_LEN"], ["len"]),
    "match_mapping": (["MATCH_MAPPING", "MATCH_KEYS"], ["match_keys"]),
    "match_class": (["MATCH_CLASS"], ["match_class"]),
    "with_statement": (["BEFORE_WITH"], ["before_with"]),
    "async_genexp": (["GET_AITER"], ["get_aiter"]),
}

GENERATOR_FLAGS = (inspect.CO_GENERATOR | inspect.CO_COROUTINE
                   | inspect.CO_ASYNC_GENERATOR | inspect.CO_ITERABLE_COROUTINE)


def is_plain_function(code):
    return (code.co_flags & inspect.CO_OPTIMIZED
            and not code.co_flags & GENERATOR_FLAGS)


class OpcodeCoverageTest(unittest.TestCase):
    """Every instruction a plain function's normal path can hold compiles:
    no Deopt of kind unsupported-opcode in the HIR (docs/jit.md)."""

    @classmethod
    def setUpClass(cls):
        cls.ns = {}
        exec(COVERAGE_SRC, cls.ns)

    def test_each_instruction(self):
        for name, (opcodes, helpers) in COVERAGE.items():
            with self.subTest(name):
                func = self.ns[name]
                ops = {i.opname for i in dis.get_instructions(func)}
                for op in opcodes:
                    self.assertIn(op, ops)
                for passes in (False, True):
                    text = hir(func, passes)
                    self.assertNotIn("unsupported-opcode", text)
                    for h in helpers:
                        self.assertRegex(text, rf"CallHelper {h}\b")

    def test_raise_frame_states(self):
        # The operands are the helper's consumed inputs (the error exit
        # releases them); a bare raise deoptimizes when the helper returns
        # NULL without an exception (a re-raise, left to the interpreter).
        text = hir(self.ns["raise2"])
        self.assertRegex(text, r"CallHelper raise_varargs v0, v\d+, v\d+, v\d+ "
                               r"\{resume \d+, error \d+, consumed 2, "
                               r"stack v\d+ v\d+\*\}\n  Return v\d+")
        self.assertRegex(hir(self.ns["raise0"]),
                         r"CallHelper raise_varargs deopt-on-null v0, v2, v2, "
                         r"v\d+ \{resume \d+, error \d+, consumed 0, stack\}")

    def test_before_with_consumes_its_slot(self):
        # The manager is written to its frame slot and consumed by the
        # helper: the error exit must not release it (not owned, "*").
        self.assertRegex(hir(self.ns["with_statement"]),
                         r"CallHelper before_with v0, v1, v\d+ \{resume 2, "
                         r"error 2, consumed 1, stack v\d+\*\}")

    def test_match_type_flags_inline(self):
        # MATCH_SEQUENCE and MATCH_MAPPING test the type's flag inline; the
        # jump after them branches on the raw bit.
        for name, flag in (("match_sequence", 32), ("match_mapping", 64)):
            with self.subTest(name):
                text = hir(self.ns[name])
                self.assertRegex(text, rf"v(\d+) = Imm {flag}\n"
                                       rf"  v(\d+) = RawBin And v\d+, v\1\n"
                                       rf"  Branch v\2 -> ")

    def test_corpus_has_no_unsupported_opcode(self):
        # Every plain function of the differential corpus compiles all the
        # way (generators and class bodies are never compiled).
        checked = 0
        for func in corpus_functions():
            if not is_plain_function(func.__code__):
                continue
            with self.subTest(func=func.__qualname__):
                self.assertNotIn("unsupported-opcode", hir(func))
                checked += 1
        self.assertGreater(checked, 300)


class VerifierTest(unittest.TestCase):
    """Jit/hir_verify.c: well-formed HIR passes, each kind of malformed
    HIR is reported with the block and value at fault."""

    def verify(self, text):
        return _ember._jit_hir_verify(ENTRY + textwrap.dedent(text))

    def bad(self, text, *fragments):
        msg = self.verify(text)
        self.assertIsNotNone(msg, "the verifier accepted it")
        for f in fragments:
            self.assertIn(f, msg)

    def test_well_formed(self):
        self.assertIsNone(self.verify("""\
            bb1:
              v2 = LoadLocal 0
              v3 = IsTrue v2 {resume 2, error 2, consumed 0, stack v2*}
              Branch v3 -> bb2, bb3
            bb2:
              Jump -> bb4
            bb3:
              v4 = LoadLocal 1
              Jump -> bb4
            bb4:
              v5 = Phi bb2:v2, bb3:v4
              Return v5
            """))

    def test_loop_phi_from_back_edge(self):
        self.assertIsNone(self.verify("""\
            bb1:
              v2 = LoadLocal 0
              Jump -> bb2
            bb2:
              v3 = Phi bb1:v2, bb3:v4
              v5 = IsTrue v3 {resume 4, error 4, consumed 0, stack}
              Branch v5 -> bb3, bb4
            bb3:
              v4 = LoadLocal 1
              Jump -> bb2
            bb4:
              Return v3
            """))

    def test_use_before_definition(self):
        self.bad("""\
            bb1:
              Return v3
            bb2:
              v3 = LoadLocal 0
              Return v3
            """, "bb1", "v3")

    def test_use_not_dominated(self):
        self.bad("""\
            bb1:
              v2 = LoadLocal 0
              v3 = IsTrue v2 {resume 2, error 2, consumed 0, stack}
              Branch v3 -> bb2, bb3
            bb2:
              v4 = LoadLocal 1
              Jump -> bb4
            bb3:
              Jump -> bb4
            bb4:
              Return v4
            """, "bb4", "v4", "dominate")

    def test_phi_inputs_must_match_predecessors(self):
        self.bad("""\
            bb1:
              v2 = LoadLocal 0
              v3 = IsTrue v2 {resume 2, error 2, consumed 0, stack}
              Branch v3 -> bb2, bb3
            bb2:
              Jump -> bb4
            bb3:
              Jump -> bb4
            bb4:
              v5 = Phi bb2:v2
              Return v5
            """, "bb4", "v5", "1 inputs for 2 predecessors")
        self.bad("""\
            bb1:
              v2 = LoadLocal 0
              Jump -> bb4
            bb3:
              Return v2
            bb4:
              v5 = Phi bb1:v2, bb3:v2
              Return v5
            """, "bb4", "bb3", "not a predecessor")

    def test_phi_after_other_instruction(self):
        self.bad("""\
            bb1:
              v2 = LoadLocal 0
              Jump -> bb2
            bb2:
              v3 = LoadLocal 1
              v4 = Phi bb1:v2
              Return v4
            """, "bb2", "Phi v4 after")

    def test_block_entered_by_branch_has_no_phis(self):
        self.bad("""\
            bb1:
              v2 = LoadLocal 0
              v3 = IsTrue v2 {resume 2, error 2, consumed 0, stack}
              Branch v3 -> bb2, bb3
            bb2:
              v4 = Phi bb1:v2
              Return v4
            bb3:
              Return v2
            """, "bb2", "Branch")

    def test_terminators(self):
        self.bad("""\
            bb1:
              v2 = LoadLocal 0
            """, "bb1", "terminator")
        self.bad("""\
            bb1:
              v2 = LoadLocal 0
              Return v2
              v3 = LoadLocal 1
              Return v3
            """, "bb1", "after the block's terminator")

    def test_frame_state_values_defined(self):
        self.bad("""\
            bb1:
              v2 = LoadLocal 0
              v3 = IsTrue v2 {resume 2, error 2, consumed 0, stack v9}
              v9 = LoadLocal 1
              Return v2
            """, "bb1", "IsTrue's frame state names v9")

    def test_built_hir_is_verified(self):
        # _jit_hir_text verifies after the builder and every pass: all of
        # the corpus goes through it in RoundTripTest; here one function
        # with loops, a try and a generator.
        def gen(n):
            for i in range(n):
                try:
                    yield i // (i - 2)
                except ZeroDivisionError:
                    yield None
        self.assertIn("Return", _ember._jit_hir_text(gen))


if __name__ == "__main__":
    unittest.main()
