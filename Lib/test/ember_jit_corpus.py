"""Differential corpus for Ember's method JIT: output must not depend on it.

Many small deterministic programs, grouped by topic.  Each program is a
function decorated with @program; it calls plain functions often enough for
them to be compiled (under -X jit-all at the first call, under -X jit
-X jit-auto=N after N calls) and then feeds them inputs of other types and
shapes so that the guards of compiled code fail and it deoptimizes.

run() runs every program, catching exceptions per program, and returns one
line per program: its name and the repr of its result, or the exception as
`TypeName: message` with the line offsets of the traceback's frames relative
to each function's first line (co_firstlineno).  test_ember_jit runs this
file under the interpreter and under the JIT's modes and compares the lines.
Nothing here may be nondeterministic: no ids, addresses, times, or orders
that depend on the hashes of strings (PYTHONHASHSEED).  Every program leaves
the module as it found it, so running run() twice prints the same twice.

    ./python Lib/test/ember_jit_corpus.py [--repeat N]
"""

import builtins
import functools
import sys
import traceback

PROGRAMS = []
_FILE = (lambda: 0).__code__.co_filename
_EXEC_FILE = "<ember-jit-exec>"
N = 40          # calls per warm-up loop: compiled under any low threshold


def program(func):
    PROGRAMS.append(func)
    return func


def desc(exc):
    return f"{type(exc).__name__}: {exc}"


def tb_offsets(tb):
    """[name+offset, ...] for the corpus' frames of a traceback."""
    out = []
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename in (_FILE, _EXEC_FILE):
            out.append(f"{code.co_name}+{tb.tb_lineno - code.co_firstlineno}")
        tb = tb.tb_next
    return out


def catch(func, *args, **kwargs):
    """func's result, or its exception described with traceback offsets."""
    try:
        return func(*args, **kwargs)
    except Exception as exc:
        return f"{desc(exc)} @{tb_offsets(exc.__traceback__.tb_next)}"


# === integers ================================================================

def int_add_sub_mul(a, b):
    return (a + b, a - b, a * b, -a, +b)


@program
def ints_add_sub_mul():
    acc = []
    for i in range(-N // 2, N // 2):
        acc.append(int_add_sub_mul(i, 7 - i))
    big = 2 ** 62
    acc.append(int_add_sub_mul(big, big))            # overflows 64 bits
    acc.append(int_add_sub_mul(-big * 2, -1))        # below -2**63
    acc.append(int_add_sub_mul(2 ** 63 - 1, 1))
    acc.append(int_add_sub_mul(True, 2))             # bool is an int
    acc.append(int_add_sub_mul(1.5, 2))              # float: guard fails
    acc.append(int_add_sub_mul(3, 4))                # back to ints
    return acc


def int_floordiv_mod(a, b):
    return (a // b, a % b, divmod(a, b))


@program
def ints_floordiv_mod():
    acc = []
    for a in range(-9, 10):
        for b in (-4, -3, -1, 1, 2, 5):
            acc.append(int_floordiv_mod(a, b))
    acc.append(int_floordiv_mod(-2 ** 63, -1))       # overflows int64
    acc.append(int_floordiv_mod(10 ** 30 + 7, -(10 ** 9)))
    acc.append(catch(int_floordiv_mod, 5, 0))
    acc.append(int_floordiv_mod(7.5, 2))
    acc.append(catch(int_floordiv_mod, 7.5, 0))
    return acc


def int_pow(a, b):
    return a ** b


@program
def ints_pow():
    acc = [int_pow(a, b) for a in range(-4, 5) for b in range(0, 6)]
    acc.append(int_pow(2, 64))
    acc.append(int_pow(-3, 41))
    acc.append(int_pow(2, -2))                        # float result
    acc.append(int_pow(0, 0))
    acc.append(catch(int_pow, 0, -1))
    acc.append(int_pow(2.0, 0.5))
    acc.append(pow(3, 200, 1000007))
    acc.append(pow(-2, 3, 5))
    return acc


def int_shift_bits(a, s):
    return (a << s, a >> s, a & 0xF0F0, a | 0x0F, a ^ -1, ~a)


@program
def ints_shifts_bitops():
    acc = []
    for a in (0, 1, -1, 5, -5, 255, -256, 2 ** 40, -(2 ** 40)):
        for s in (0, 1, 3, 31, 63, 64, 65, 100):
            acc.append(int_shift_bits(a, s))
    acc.append(catch(int_shift_bits, 1, -1))
    acc.append(catch(int_shift_bits, 1.0, 1))
    acc.append(int_shift_bits(True, 2))
    return acc


def factorial_loop(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def sum_squares(n):
    s = 0
    i = 0
    while i < n:
        s += i * i
        i += 1
    return s


@program
def ints_accumulate_big():
    acc = [factorial_loop(n) for n in range(0, 30)]
    acc.append(sum_squares(2000))
    m = -(2 ** 63)
    acc.append((m - 1, -m, abs(m), m * -1, m // -1, (2 ** 63 - 1) + 1))
    x = 1
    for _ in range(70):
        x = x * 2 + 1
    acc.append(x)
    acc.append(x - (x - 5))
    return acc


def int_unary(a):
    return (-a, +a, ~a, abs(a), not a, bool(a))


@program
def ints_unary():
    acc = [int_unary(v) for v in range(-N // 4, N // 4)]
    acc.append(int_unary(-(2 ** 63)))
    acc.append(int_unary(True))
    acc.append(int_unary(False))
    acc.append(catch(int_unary, "s"))
    acc.append(catch(int_unary, -2.5))
    return acc


@program
def ints_conversions():
    acc = []
    for s in ("0", "-17", "  42 ", "1_000", "0x1f", "9" * 25):
        try:
            acc.append(int(s))
        except ValueError as e:
            acc.append(desc(e))
    acc.append(int("0x1f", 16))
    acc.append(int("zz", 36))
    for f in (2.5, -2.5, 3.5, 1e20, -0.9):
        acc.append((int(f), round(f), round(f, 1)))
    acc.append(catch(int, float("inf")))
    acc.append(catch(int, float("nan")))
    acc.append((7).bit_length() + (2 ** 100).bit_length())
    acc.append((1024).to_bytes(4, "big"))
    acc.append(int.from_bytes(b"\xff\x01", "little", signed=True))
    return acc


# === floats and mixed arithmetic ============================================

def float_ops(a, b):
    return (a + b, a - b, a * b, a / b, a // b, a % b)


@program
def floats_arith():
    acc = []
    for a in (0.5, -0.5, 2.25, -7.75, 1e300, -1e-300):
        for b in (0.25, -3.0, 7.5, 1e-10):
            acc.append(float_ops(a, b))
    acc.append(float_ops(5, 2))                        # ints: guard fails
    acc.append(float_ops(5.0, 2))
    acc.append(catch(float_ops, 1.0, 0.0))
    acc.append(catch(float_ops, 1, 0))
    inf = float("inf")
    nan = float("nan")
    acc.append((inf - inf, inf * 0, -inf, nan == nan, nan != nan, nan < 1,
                -0.0, 0.0 == -0.0, 1e308 * 10, 2.0 ** 0.5, (-8.0) ** (1 / 3)))
    acc.append(catch(lambda: 10.0 ** 400))
    return acc


def mixed(a, b):
    return (a + b, a * b, a / b, a == b, a < b, a >= b)


@program
def mixed_int_float():
    acc = []
    vals = [1, 2.0, 3, 4.5, -1, True, 2 ** 53, 2.0 ** 53, 2 ** 53 + 1]
    for a in vals:
        for b in vals:
            acc.append(mixed(a, b))
    acc.append((1 / 3, 2 ** 0.5, 7 / 7, 10 ** 20 / 10 ** 19, 2 ** 1000 / 2 ** 999))
    acc.append(catch(lambda: 2 ** 2000 / 3.0))
    acc.append((2 ** 64 == 2.0 ** 64, 2 ** 64 + 1 == 2.0 ** 64,
                2 ** 64 + 1 > 2.0 ** 64, 10 ** 400 > float("inf")))
    return acc


def running_total(items):
    total = 0
    for x in items:
        total = total + x
    return total


@program
def mixed_type_changes_in_loop():
    acc = []
    for _ in range(N):
        acc.append(running_total(range(10)))
    acc.append(running_total([1, 2, 3.5, 4]))
    acc.append(running_total([1, 2 ** 70, -5]))
    acc.append(catch(running_total, [1, 2, "x"]))
    acc.append(running_total([True, True, 1]))
    acc.append(running_total([1.5, 1.5]))
    acc.append(running_total(range(5)))
    return acc


# === comparisons =============================================================

def compare_all(a, b):
    return (a < b, a <= b, a == b, a != b, a > b, a >= b)


@program
def comparisons():
    acc = []
    vals = [0, 1, -1, 1.0, 2 ** 64, "a", "b", (1, 2), (1, 3), [1], None]
    for a in vals:
        for b in vals:
            try:
                acc.append(compare_all(a, b))
            except TypeError as e:
                acc.append(desc(e))
    return acc


calls_made = []


def logged(v):
    calls_made.append(v)
    return v


def chained(a, b, c):
    return logged(a) < logged(b) <= logged(c)


@program
def chained_comparisons():
    del calls_made[:]
    acc = []
    for a, b, c in [(1, 2, 3), (3, 2, 1), (1, 1, 1), (1, 2, 2), (0, 5, 4)] * 8:
        acc.append(chained(a, b, c))
    acc.append(chained(1.0, 2, 2.5))
    acc.append(chained("a", "b", "b"))
    acc.append(catch(chained, 1, 2, "x"))
    acc.append(list(calls_made))
    x = 5
    acc.append((1 < x < 10, 1 < x > 10, x == 5 == 5.0, 1 < 2 < 3 < 4 < 0))
    del calls_made[:]
    return acc


# === booleans ================================================================

def bool_ops(a, b):
    log = []

    def t(v):
        log.append(v)
        return v

    r = (t(a) and t(b), t(a) or t(b), not t(a), t(a) and not t(b) or t(b))
    return r, log


class Truthy:
    def __init__(self, v):
        self.v = v

    def __bool__(self):
        return self.v


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


@program
def booleans_short_circuit():
    acc = []
    for a in (0, 1, "", "x", None, [], [0], 0.0):
        for b in (True, False, 2):
            acc.append(bool_ops(a, b))
    return acc


def truth(v):
    if v:
        return "T"
    return "F"


@program
def truthiness():
    acc = []
    for _ in range(N // 4):
        acc.append([truth(v) for v in (0, 1, -1, 0.0, 1e-9, "", "0", [], [[]],
                                        {}, {0: 0}, (), set(), None, 2 ** 90)])
    acc.append([truth(Truthy(True)), truth(Truthy(False)), truth(Sized(0)),
                truth(Sized(3))])
    acc.append(catch(truth, Truthy(1)))
    acc.append(catch(truth, Sized(-1)))
    return acc


# === strings =================================================================

def str_ops(s, t):
    return (s + t, s * 2, t in s, s.upper(), s.split(","), "-".join([s, t]),
            s.replace("a", "A"), s.strip(), s.find(t), len(s), s[::-1])


@program
def strings_ops():
    acc = []
    for s in ("a,b,c", "  banana ", "", "x", "héllo,wörld", "😀,a"):
        for t in ("a", "", "zz", ","):
            acc.append(str_ops(s, t))
    acc.append(catch(str_ops, "abc", 1))
    acc.append(catch(str_ops, 5, "a"))
    return acc


def fstr(name, value, width):
    return (f"{name}={value}", f"{value!r:>{width}}", f"{value:08.3f}",
            f"{name!s:^9}|", f"{value=}", f"{{lit}} {name}{{}}",
            f"{'nested ' + f'{name.upper()}'}", f"{value:,.2f}", f"{width:#x}")


@program
def strings_fstrings():
    acc = []
    for i in range(N // 4):
        acc.append(fstr(f"n{i}", i * 1.25 - 3, i % 7))
    acc.append(catch(fstr, "s", "not a number", 3))
    acc.append(fstr("big", 2 ** 70 + 0.5, 2))
    return acc


def formats(a, b):
    return ("%d|%5s|%-5s|%r|%.3f|%x|%o|%e|%%" % (a, b, b, b, a, a, a, a),
            "{} {!r} {:>6} {k}".format(a, b, a, k=b),
            "{0}{1}{0}".format(b, a),
            format(a, "+08d"), format(a / 7, ".4g"), str(a), repr(b))


@program
def strings_formatting():
    acc = [formats(i * 37 - 100, "s%d" % i) for i in range(N // 2)]
    acc.append(catch(formats, "x", "y"))
    acc.append(catch(lambda: "%d %d" % (1,)))
    acc.append(catch(lambda: "{0} {2}".format(1, 2)))
    return acc


def slices(seq, i, j, k):
    return (seq[i:j], seq[i:], seq[:j], seq[::k], seq[i:j:k], seq[-2:],
            seq[slice(i, None, k)])


@program
def slicing():
    acc = []
    for seq in ("abcdefgh", [0, 1, 2, 3, 4, 5, 6, 7], (9, 8, 7), ""):
        for i, j, k in ((0, 3, 1), (-3, -1, 1), (5, 1, -1), (1, 100, 2),
                        (-100, 2, 3), (7, 0, -2)):
            acc.append(slices(seq, i, j, k))
    acc.append(catch(slices, "abc", 0, 1, 0))
    acc.append(catch(slices, 5, 0, 1, 1))
    lst = list(range(10))
    lst[2:5] = ["a", "b"]
    lst[::3] = [None] * len(lst[::3])
    del lst[1:3]
    acc.append(lst)
    acc.append(catch(lambda: lst.__setitem__(slice(None, None, 2), [1])))
    return acc


def char_codes(s):
    out = ""
    for ch in s:
        out += chr(ord(ch) + 1)
    return out


@program
def strings_building():
    acc = [char_codes("abc" * i) for i in range(N // 4)]
    acc.append(char_codes("ÿ€"))
    acc.append(catch(char_codes, ["a", 1]))
    acc.append(catch(chr, -1))
    parts = []
    for i in range(20):
        parts.append(str(i) if i % 3 else "/")
    acc.append("".join(parts))
    return acc


# === lists, tuples, dicts, sets ==============================================

def list_ops(n):
    lst = [n, n + 1, n * 2]
    lst[0] = lst[-1] + 1
    del lst[1]
    lst.append(n)
    lst.insert(0, -n)
    lst.extend([n] * 2)
    lst.sort()
    popped = lst.pop()
    return lst, popped, lst.index(n), lst.count(n), n in lst


@program
def lists_build_subscript():
    acc = [list_ops(i) for i in range(-N // 4, N // 4)]
    acc.append(list_ops(2.5))
    acc.append(catch(lambda: [1, 2][5]))
    key = "a"
    acc.append(catch(lambda: [1, 2][key]))
    acc.append(catch(lambda: [].pop()))
    acc.append(catch(list_ops, "s"))
    big = [0] * 5
    big[2 ** 0] = 2 ** 65
    acc.append(big)
    return acc


def tuple_ops(a, b):
    t = (a, b, a)
    return (t + (b,), t * 2, t[1], t[-1], t.index(b), t.count(a), len(t),
            t[1:], (a,) == (a,), (a, b) < (b, a))


@program
def tuples():
    acc = [tuple_ops(i, i * i) for i in range(N // 4)]
    acc.append(tuple_ops("x", "y"))
    acc.append(catch(tuple_ops, "x", 1.5))
    acc.append(catch(tuple_ops, 1, [2]))
    acc.append(catch(lambda: (1, 2)[2]))
    acc.append(catch(lambda: hash((1, [2]))))
    return acc


def dict_ops(d, k, v):
    d[k] = v
    got = d.get(k + 1, "missing")
    d.setdefault(k * 2, v)
    if k - 1 in d:
        del d[k - 1]
    return got, len(d), list(d.items())[-3:]


@program
def dicts():
    acc = []
    d = {}
    for i in range(N):
        acc.append(dict_ops(d, i, i * i))
    acc.append(dict_ops({1.0: "f"}, 1, "i"))
    acc.append(catch(lambda: {}["nope"]))
    acc.append(catch(lambda: {}[(1, 2)]))
    acc.append(catch(lambda: {[1]: 2}))
    e = {"b": 1, "a": 2}
    e.update(c=3, a=4)
    e |= {"d": 5}
    acc.append((e, sorted(e), list(e.values()), e.pop("b"), e.popitem(),
                {k: v for k, v in e.items() if v > 2}))
    acc.append(catch(dict_ops, {}, "a", 1))
    return acc


def set_ops(a, b):
    return (sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b),
            a <= b, a < b, len(a), 3 in a)


@program
def sets():
    acc = []
    for i in range(N // 4):
        acc.append(set_ops(set(range(i)), {1, 3, 5, 7}))
    acc.append(set_ops({"x", "y", "z"}, {"y"}))
    acc.append(set_ops(frozenset([1, 2, 3]), {3, 4}))
    acc.append(catch(set_ops, {1}, [1]))
    s = set()
    for w in "the quick brown fox jumps over the lazy dog".split():
        s.add(w)
    s.discard("the")
    acc.append(sorted(s))
    acc.append(catch(s.remove, "nope"))
    return acc


def unpack(seq):
    a, *b, c = seq
    (x, y), z = (a, c), b
    return a, b, c, x, y, z


def unpack_exact(seq):
    p, q = seq
    return p - q


@program
def unpacking():
    acc = [unpack(range(i + 2)) for i in range(N // 4)]
    acc.append(unpack("xyz"))
    acc.append(unpack((1, 2)))
    acc.append(catch(unpack, [1]))
    acc.append([unpack_exact((i, 1)) for i in range(N // 4)])
    acc.append(catch(unpack_exact, (1, 2, 3)))
    acc.append(catch(unpack_exact, (1,)))
    acc.append(catch(unpack_exact, 5))
    acc.append(unpack_exact([2.5, 1]))
    acc.append(unpack_exact({7: 0, 3: 1}))
    first, *rest = "hello"
    *init, last = [1]
    acc.append((first, rest, init, last))
    return acc


def star_build(a, b, d):
    return ([*a, *b], (*a, 0, *b), {*a, *b} == set(a) | set(b),
            {**d, "z": 0, **{"y": 1}}, [*range(3), *"ab"])


@program
def star_building():
    acc = [star_build(range(i), [i] * 2, {"k": i}) for i in range(N // 4)]
    acc.append(star_build("ab", (1,), {}))
    acc.append(catch(star_build, 1, [], {}))
    acc.append(catch(star_build, [], [], [1]))
    return acc


def comprehensions(n):
    squares = [i * i for i in range(n) if i % 2]
    pairs = [(i, j) for i in range(n) for j in range(i) if (i + j) % 3 == 0]
    dct = {i: str(i) for i in range(n)}
    st = sorted({i % 4 for i in range(n)})
    gen = sum(x for x in range(n))
    nested = [[j for j in range(i)] for i in range(min(n, 4))]
    funcs = [lambda x, i=i: x + i for i in range(3)]
    return squares, pairs, dct, st, gen, nested, [f(10) for f in funcs]


@program
def comprehensions_prog():
    acc = [comprehensions(i) for i in range(N // 4)]
    acc.append(catch(comprehensions, "5"))
    acc.append(catch(lambda: [1 / x for x in (1, 0)]))
    return acc


def make_adder_chain(n):
    def outer(a):
        def middle(b):
            def inner(c):
                return a + b + c + n
            return inner
        return middle
    return outer


@program
def nested_functions():
    acc = []
    for i in range(N // 2):
        acc.append(make_adder_chain(i)(1)(2)(3))
    acc.append(make_adder_chain(0.5)(1)(2)(3))
    acc.append(make_adder_chain("n")("a")("b")("c"))
    acc.append(catch(make_adder_chain(1)("a")(2), 3))
    return acc


# === closures, cells, nonlocal ===============================================

def make_counter(start):
    count = start

    def bump(step=1):
        nonlocal count
        count += step
        return count
    return bump


@program
def closures_counter():
    c1 = make_counter(0)
    c2 = make_counter(100)
    acc = [c1() for _ in range(N)]
    acc += [c2(3) for _ in range(5)]
    acc.append(c1(0.5))
    acc.append(c1())
    acc.append(catch(c2, "x"))
    acc.append(c2())
    acc.append([cell.cell_contents for cell in c1.__closure__])
    acc.append(c1.__code__.co_freevars)
    return acc


def late_binding():
    fs = []
    for i in range(4):
        fs.append(lambda: i * 10)
    gs = [lambda i=i: i * 10 for i in range(4)]
    return [f() for f in fs], [g() for g in gs]


def cell_deleted():
    x = 1

    def read():
        return x
    first = read()
    del x
    try:
        read()
    except NameError as e:
        second = desc(e)
    return first, second


@program
def cells_late_binding():
    acc = [late_binding() for _ in range(N // 4)]
    acc.append([cell_deleted() for _ in range(3)])
    return acc


def three_levels():
    total = 0
    log = []

    def level1(n):
        nonlocal total

        def level2(m):
            nonlocal total
            total += m
            log.append(total)
        for i in range(n):
            level2(i)
        total *= 2
    for k in range(5):
        level1(k)
    return total, log


@program
def nonlocal_nested():
    return [three_levels() for _ in range(N // 8)]


# === arguments ===============================================================

def with_defaults(a, b=2, c=[]):
    c.append(a)
    return a + b, len(c)


def kwonly(a, /, b, *, c, d=4):
    return (a, b, c, d)


def fwd(*args, **kwargs):
    return args, sorted(kwargs.items())


def forwarder(f, *args, **kwargs):
    return f(*args, **kwargs)


@program
def default_args():
    saved = with_defaults.__defaults__
    try:
        acc = [with_defaults(i) for i in range(N // 4)]
        acc.append(with_defaults(1, 5))
        acc.append(with_defaults(b=1.5, a=1))
        acc.append(with_defaults("a", "b"))
        acc.append(catch(with_defaults))
        acc.append(len(with_defaults.__defaults__[1]))
        return acc
    finally:
        with_defaults.__defaults__ = (saved[0], [])


@program
def keyword_args():
    acc = []
    for i in range(N // 4):
        acc.append(kwonly(i, i + 1, c=i + 2))
        acc.append(kwonly(i, b=i, c=0, d=i))
    acc.append(catch(kwonly, 1, 2, 3))
    acc.append(catch(kwonly, a=1, b=2, c=3))
    acc.append(catch(kwonly, 1, 2))
    acc.append(catch(kwonly, 1, 2, c=3, e=5))
    acc.append(catch(kwonly, 1, 2, b=2, c=3))
    acc.append(catch(lambda: kwonly(1, **{"b": 2, "c": 3, "d": 4})))
    return acc


@program
def star_args_kwargs():
    acc = []
    for i in range(N // 4):
        acc.append(fwd(*range(i % 3), k=i, **{"z": 0}))
        acc.append(forwarder(kwonly, i, c=1, b=2))
    acc.append(forwarder(fwd))
    acc.append(forwarder(max, 3, 9, 2))
    acc.append(forwarder(sorted, [3, 1, 2], reverse=True))
    acc.append(catch(forwarder, kwonly, 1))
    acc.append(catch(lambda: fwd(**{1: 2})))
    acc.append(catch(lambda: fwd(*5)))
    acc.append(catch(lambda: fwd(**[1])))
    return acc


# === globals and builtins ====================================================

G_COUNTER = 0
G_SCALE = 3


def bump_global(n):
    global G_COUNTER
    for _ in range(n):
        G_COUNTER += 1
    return G_COUNTER


def scaled(x):
    return x * G_SCALE


def uses_len(s):
    return len(s) + 1


def uses_builtin_abs(x):
    return abs(x)


@program
def global_reads_writes():
    global G_COUNTER
    G_COUNTER = 0
    acc = [bump_global(i) for i in range(N // 4)]
    G_COUNTER = 2 ** 64
    acc.append(bump_global(2))
    G_COUNTER = 0.5
    acc.append(bump_global(1))
    G_COUNTER = 0
    return acc


@program
def global_rebound():
    global G_SCALE
    acc = [scaled(i) for i in range(N)]
    try:
        G_SCALE = 10
        acc.append(scaled(4))
        G_SCALE = "ab"
        acc.append(scaled(2))
        globals()["G_SCALE"] = 0.5
        acc.append(scaled(3))
        del G_SCALE
        acc.append(catch(scaled, 1))
    finally:
        G_SCALE = 3
    acc.append(scaled(2))
    return acc


@program
def builtin_shadowed():
    acc = [uses_len("x" * i) for i in range(N)]
    g = globals()
    g["len"] = lambda s: -100
    try:
        acc.append(uses_len("abc"))
    finally:
        del g["len"]
    acc.append(uses_len("abc"))
    acc += [uses_builtin_abs(-i) for i in range(N // 4)]
    saved = builtins.abs
    builtins.abs = lambda x: ("patched", x)
    try:
        acc.append(uses_builtin_abs(-3))
    finally:
        builtins.abs = saved
    acc.append(uses_builtin_abs(-3))
    acc.append(catch(lambda: undefined_name_here))   # noqa: F821
    return acc


# === classes =================================================================

class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)

    def moved(self, dx, dy=0):
        return Point(self.x + dx, self.y + dy)

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"


class SlotPoint:
    __slots__ = ("x", "y")

    def __init__(self, x, y=None):
        self.x = x
        if y is not None:
            self.y = y

    def total(self):
        return self.x + self.y


def point_work(p, n):
    s = 0
    for i in range(n):
        p = p.moved(1, -1)
        s += p.norm1()
    return s, p.x, p.y


@program
def instance_attributes():
    acc = [point_work(Point(i, -i), 5) for i in range(N // 4)]
    acc.append(point_work(Point(0.5, 0), 3))
    p = Point(1, 2)
    p.z = 3
    acc.append(sorted(vars(p).items()))
    del p.x
    acc.append(catch(p.norm1))
    acc.append(catch(lambda: Point(1, 2).nope))
    acc.append(repr(Point(1, "a").moved(2, "b")))
    acc.append(catch(Point(1, "a").moved, 2))
    return acc


def slot_total(o):
    return o.total()


@program
def slots():
    acc = [slot_total(SlotPoint(i, i + 1)) for i in range(N // 2)]
    acc.append(catch(slot_total, SlotPoint(1)))
    acc.append(catch(setattr, SlotPoint(1), "z", 3))
    acc.append(slot_total(SlotPoint("a", "b")))
    acc.append(hasattr(SlotPoint(1), "__dict__"))
    acc.append(slot_total(Point(1, 2).__class__ is Point and SlotPoint(2, 3)))
    return acc


class Scaled:
    factor = 2

    def apply(self, x):
        return x * self.factor


def apply_scaled(o, x):
    return o.apply(x)


@program
def class_attr_changed():
    o = Scaled()
    acc = [apply_scaled(o, i) for i in range(N)]
    try:
        Scaled.factor = 5
        acc.append(apply_scaled(o, 3))
        o.factor = 7                      # instance attribute shadows it
        acc.append(apply_scaled(o, 3))
        del o.factor
        acc.append(apply_scaled(o, 3))
        Scaled.apply = lambda self, x: ("replaced", x)
        acc.append(apply_scaled(o, 3))
        del Scaled.factor
        del Scaled.apply
        acc.append(catch(apply_scaled, o, 3))
    finally:
        Scaled.factor = 2
        Scaled.apply = _scaled_apply
    acc.append(apply_scaled(o, 3))
    return acc


_scaled_apply = Scaled.apply


class Temperature:
    def __init__(self, c):
        self._c = c

    @property
    def f(self):
        return self._c * 9 / 5 + 32

    @f.setter
    def f(self, value):
        self._c = (value - 32) * 5 / 9

    @f.deleter
    def f(self):
        self._c = None

    @property
    def readonly(self):
        return "ro"


def read_f(t):
    return t.f


@program
def properties():
    acc = [read_f(Temperature(c)) for c in range(-10, 30, 2)]
    t = Temperature(100)
    t.f = 212
    acc.append(t._c)
    del t.f
    acc.append(catch(read_f, t))
    acc.append(catch(setattr, t, "readonly", 1))
    acc.append(catch(delattr, t, "readonly"))
    return acc


class Logged:
    """A data descriptor that logs get and set."""

    def __init__(self):
        self.log = []

    def __set_name__(self, owner, name):
        self.name = "_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return "class access"
        self.log.append(("get", self.name))
        return getattr(obj, self.name)

    def __set__(self, obj, value):
        self.log.append(("set", self.name, value))
        setattr(obj, self.name, value)


class NonData:
    def __get__(self, obj, objtype=None):
        return "nondata"


class WithDescr:
    attr = Logged()
    nd = NonData()

    def __init__(self, v):
        self.attr = v


def read_descr(o):
    return o.attr, o.nd


@program
def descriptors():
    log = WithDescr.__dict__["attr"].log
    log.clear()
    acc = [read_descr(WithDescr(i)) for i in range(N // 4)]
    o = WithDescr("v")
    o.__dict__["nd"] = "instance wins over non-data"
    o.__dict__["attr"] = "data descriptor wins"
    acc.append(read_descr(o))
    acc.append(WithDescr.attr)
    acc.append(len(log))
    acc.append(log[-3:])
    log.clear()
    return acc


class Dynamic:
    def __init__(self):
        self.real = "real"

    def __getattr__(self, name):
        if name.startswith("x"):
            return name.upper()
        raise AttributeError(f"no {name}")


class Intercept:
    def __getattribute__(self, name):
        if name == "secret":
            return 42
        return object.__getattribute__(self, name)


def read_dyn(o, name):
    return getattr(o, name)


@program
def getattr_hooks():
    d = Dynamic()
    acc = [read_dyn(d, "x%d" % i) for i in range(N // 4)]
    acc.append(read_dyn(d, "real"))
    acc.append(catch(read_dyn, d, "other"))
    acc.append(getattr(d, "other", "dflt"))
    acc.append(hasattr(d, "xyz"))
    i = Intercept()
    acc.append(read_dyn(i, "secret"))
    acc.append(catch(read_dyn, i, "missing"))
    acc.append(catch(read_dyn, d, 5))
    return acc


class Base:
    def hello(self):
        return ["Base"]

    def who(self):
        return type(self).__name__


class Left(Base):
    def hello(self):
        return ["Left"] + super().hello()


class Right(Base):
    def hello(self):
        return ["Right"] + super().hello()


class Diamond(Left, Right):
    def hello(self):
        return ["Diamond"] + super().hello()


def call_hello(o):
    return o.hello(), o.who()


@program
def inheritance_super():
    objs = [Base(), Left(), Right(), Diamond()]
    acc = [call_hello(objs[i % 4]) for i in range(N // 2)]
    acc.append([c.__name__ for c in Diamond.__mro__])
    try:
        Right.hello = lambda self: ["patched Right"]
        acc.append(call_hello(Diamond()))
    finally:
        Right.hello = _right_hello
    acc.append(call_hello(Diamond()))
    acc.append(catch(lambda: super(Left, Base()).hello()))
    return acc


_right_hello = Right.hello


class Maker:
    made = 0

    @classmethod
    def make(cls, v):
        cls.made += 1
        return (cls.__name__, v)

    @staticmethod
    def twice(v):
        return v * 2


class SubMaker(Maker):
    pass


@program
def class_static_methods():
    Maker.made = 0
    acc = []
    for i in range(N // 4):
        acc.append(Maker.make(i))
        acc.append(SubMaker().make(i))
        acc.append(Maker.twice(i) + SubMaker().twice(i))
    acc.append(Maker.twice("ab"))
    acc.append((Maker.made, SubMaker.made))
    del SubMaker.made
    Maker.made = 0
    return acc


class Shape:
    pass


class OtherShape:
    def describe(self):
        return "other"


def read_xy(o):
    return o.x + o.y


@program
def layout_changes():
    acc = []
    for i in range(N // 2):
        o = Shape()
        if i % 3 == 0:
            o.x, o.y = i, 1
        elif i % 3 == 1:
            o.y, o.x = 2, i
        else:
            o.z = 0
            o.x = i
            o.y = 3
        acc.append(read_xy(o))
    o = Shape()
    o.x = 1
    acc.append(catch(read_xy, o))
    o.y = 2
    del o.x
    o.x = 10
    acc.append(read_xy(o))
    o.__class__ = OtherShape
    acc.append((o.describe(), read_xy(o)))
    s = SlotPoint(1, 2)
    acc.append(read_xy(s))
    Shape.x = 100
    try:
        o2 = Shape()
        o2.y = 1
        acc.append(read_xy(o2))
    finally:
        del Shape.x
    return acc


def classify(v):
    return (isinstance(v, int), isinstance(v, (str, bytes)),
            isinstance(v, Base), issubclass(type(v), Left), type(v).__name__)


@program
def isinstance_checks():
    vals = [1, True, "s", b"b", Base(), Left(), Diamond(), 1.5, None, [1]]
    acc = [classify(vals[i % len(vals)]) for i in range(N)]
    acc.append(catch(isinstance, 1, "int"))
    acc.append(catch(issubclass, 1, int))
    return acc


class Vec:
    def __init__(self, *xs):
        self.xs = xs

    def __add__(self, other):
        if isinstance(other, Vec):
            return Vec(*[a + b for a, b in zip(self.xs, other.xs)])
        return Vec(*[a + other for a in self.xs])

    def __radd__(self, other):
        return Vec(*[other + a for a in self.xs])

    def __eq__(self, other):
        return isinstance(other, Vec) and self.xs == other.xs

    def __lt__(self, other):
        return self.xs < other.xs

    def __getitem__(self, i):
        return self.xs[i]

    def __len__(self):
        return len(self.xs)

    def __iter__(self):
        return iter(self.xs)

    def __contains__(self, v):
        return v in self.xs

    def __call__(self, k):
        return [x * k for x in self.xs]

    __hash__ = None

    def __repr__(self):
        return f"Vec{self.xs!r}"


def add_any(a, b):
    return a + b


@program
def dunder_operators():
    acc = [add_any(i, i) for i in range(N)]
    acc.append(repr(add_any(Vec(1, 2), Vec(3, 4))))
    acc.append(repr(add_any(Vec(1, 2), 10)))
    acc.append(repr(add_any(10, Vec(1, 2))))
    acc.append(catch(add_any, Vec(1), "s"))
    v = Vec(3, 1, 2)
    acc.append((v[0], v[-1], len(v), list(v), 2 in v, 9 not in v, v(2),
                Vec(1) == Vec(1), Vec(1) != Vec(2), Vec(1) < Vec(2),
                sorted([Vec(2), Vec(1)]), catch(hash, v)))
    acc.append(add_any(1, 2))
    return acc


# === exceptions ==============================================================

def try_flow(x, log):
    try:
        log.append("try")
        r = 10 // x
    except ZeroDivisionError as e:
        log.append("except " + str(e))
        r = -1
    else:
        log.append("else")
    finally:
        log.append("finally")
    return r


def finally_return(x):
    try:
        if x:
            raise ValueError(x)
        return "body"
    finally:
        if x == 2:
            return "finally wins"


@program
def try_except_else_finally():
    acc = []
    for i in range(-3, N // 4):
        log = []
        acc.append((try_flow(i, log), log))
    log = []
    acc.append(catch(try_flow, "x", log))
    acc.append(log)
    acc.append([catch(finally_return, i) for i in range(3)])
    return acc


class CM:
    def __init__(self, log, suppress):
        self.log = log
        self.suppress = suppress

    def __enter__(self):
        self.log.append("enter")
        return self

    def __exit__(self, typ, val, tb):
        self.log.append(("exit", typ.__name__ if typ else None,
                         str(val) if val else None))
        return self.suppress


def with_cm(suppress, fail):
    log = []
    with CM(log, suppress) as cm:
        log.append(cm.suppress)
        if fail:
            raise KeyError(fail)
        log.append("body done")
    log.append("after")
    return log


def nested_with(n):
    log = []
    with CM(log, False), CM(log, n % 2 == 0):
        if n % 3 == 0:
            raise ValueError(n)
    return log


@program
def with_statements():
    acc = []
    for i in range(N // 4):
        acc.append(catch(with_cm, i % 2 == 0, "k" if i % 3 == 0 else None))
    acc.append(catch(with_cm, False, "boom"))
    acc.append([catch(nested_with, i) for i in range(6)])
    acc.append(catch(lambda: exec("with 5: pass")))
    return acc


def raise_from(kind):
    try:
        {}["missing"]
    except KeyError as e:
        if kind == 0:
            raise ValueError("converted") from e
        if kind == 1:
            raise ValueError("implicit")
        if kind == 2:
            raise ValueError("no cause") from None
        return "handled"


def chain_of(exc):
    out = []
    while exc is not None:
        out.append((type(exc).__name__, exc.__suppress_context__,
                    exc.__cause__ is not None))
        exc = exc.__cause__ or exc.__context__
    return out


@program
def raise_from_chains():
    acc = []
    for i in range(N // 2):
        try:
            acc.append(raise_from(i % 4))
        except ValueError as e:
            acc.append((str(e), chain_of(e), tb_offsets(e.__traceback__)))
    return acc


def loop_with_errors(items):
    ok, errors = [], []
    for it in items:
        try:
            if it == "stop":
                break
            ok.append(100 // it)
        except ZeroDivisionError:
            errors.append("zero")
            continue
        except TypeError as e:
            errors.append(desc(e))
        finally:
            errors.append("f")
    else:
        errors.append("no break")
    return ok, errors


@program
def exceptions_in_loops():
    acc = [loop_with_errors(range(-2, i)) for i in range(N // 4)]
    acc.append(loop_with_errors([1, "a", 0, "stop", 5]))
    acc.append(loop_with_errors([2.0, 0.0]))
    return acc


def reraise(mode):
    try:
        raise ValueError("orig")
    except ValueError as e:
        if mode == 0:
            raise
        if mode == 1:
            raise e
        if mode == 2:
            raise TypeError("during handling")
        if mode == 3:
            try:
                raise KeyError("inner")
            except KeyError:
                pass
            raise
    return "unreached"


@program
def reraise_prog():
    acc = []
    for i in range(N // 2):
        try:
            reraise(i % 4)
        except Exception as e:
            ctx = e.__context__
            acc.append((desc(e), tb_offsets(e.__traceback__),
                        desc(ctx) if ctx else None))
    return acc


def except_var_deleted(x):
    try:
        raise ValueError(x)
    except ValueError as err:
        msg = str(err)
    try:
        return err                      # noqa: F821
    except UnboundLocalError as e:
        return msg, desc(e)


def except_name_reuse():
    err = "before"
    try:
        1 / 0
    except ZeroDivisionError as err:   # noqa: F841
        pass
    return "err" in locals()


@program
def except_var_deleted_prog():
    acc = [except_var_deleted(i) for i in range(N // 4)]
    acc.append(except_name_reuse())
    return acc


def deep_a(n):
    return deep_b(n + 1) * 2


def deep_b(n):
    v = n * 3
    return deep_c(v)


def deep_c(n):
    if n > 10:
        raise OverflowError(f"too big: {n}")
    return n


@program
def traceback_deep():
    acc = []
    first = {f.__name__: f.__code__.co_firstlineno
             for f in (deep_a, deep_b, deep_c, traceback_deep)}
    for i in range(N // 4):
        try:
            acc.append(deep_a(i))
        except OverflowError as e:
            acc.append((str(e), [(fs.name, fs.lineno - first[fs.name])
                                 for fs in traceback.extract_tb(e.__traceback__)]))
    try:
        deep_a(2.5)
    except OverflowError as e:
        acc.append(str(e))
    return acc


def egroups(n):
    caught = []
    try:
        raise ExceptionGroup("eg", [ValueError(n), TypeError(n + 1),
                                    KeyError(n + 2)][: n % 3 + 1])
    except* ValueError as g:
        caught.append(("V", [str(e) for e in g.exceptions]))
    except* TypeError as g:
        caught.append(("T", [str(e) for e in g.exceptions]))
    return caught


@program
def exception_groups():
    acc = []
    for i in range(N // 4):
        try:
            acc.append(egroups(i))
        except ExceptionGroup as g:
            acc.append(("left", [desc(e) for e in g.exceptions]))
    return acc


# === loops ===================================================================

def for_loops(n):
    out = []
    for i in range(n, -n, -3):
        out.append(i)
    d = {"one": 1, "two": 2, "three": n}
    for k, v in d.items():
        out.append((k, v))
    for idx, ch in enumerate("abc", start=n):
        out.append((idx, ch))
    for a, b in zip([1, 2, 3], "xy"):
        out.append(a * b)
    for x in reversed([n, n + 1]):
        out.append(x)
    for x in [n] * 2:
        out.append(-x)
    for _ in ():
        out.append("never")
    return out


@program
def for_loops_prog():
    acc = [for_loops(i) for i in range(N // 4)]
    acc.append(catch(for_loops, 1.5))
    acc.append(catch(lambda: [x for x in 5]))
    return acc


def while_loops(n):
    i = 0
    hits = []
    while True:
        i += 1
        if i % 2:
            continue
        if i > n:
            break
        hits.append(i)
    j = n
    while j > 0:
        j -= 3
    else:
        hits.append(("else", j))
    k = 0
    while k < 10:
        k += 1
        if k == n:
            hits.append("broke")
            break
    else:
        hits.append("no break")
    return hits


@program
def while_loops_prog():
    acc = [while_loops(i) for i in range(N // 4)]
    acc.append(while_loops(4.0))
    return acc


def find_pair(rows, target):
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v == target:
                break
        else:
            continue
        return r, c
    return None


def matrix_mult(a, b):
    n, m, p = len(a), len(b), len(b[0])
    out = [[0] * p for _ in range(n)]
    for i in range(n):
        for j in range(p):
            s = 0
            for k in range(m):
                s += a[i][k] * b[k][j]
            out[i][j] = s
    return out


@program
def nested_loops():
    rows = [[i * 10 + j for j in range(5)] for i in range(5)]
    acc = [find_pair(rows, t) for t in range(0, 60, 3)]
    acc.append(find_pair([["a", "b"], ["c"]], "c"))
    m = [[1, 2], [3, 4]]
    for _ in range(N // 4):
        m = matrix_mult(m, [[1, 1], [1, 0]])
    acc.append(m)
    acc.append(matrix_mult([[0.5, 1]], [[2], [4]]))
    acc.append(catch(matrix_mult, [[1]], [[]]))
    return acc


# === locals, del, frames =====================================================

def del_local(flag):
    x = 10
    y = x * 2
    if flag:
        del x
    return x + y


def del_twice():
    z = 1
    del z
    del z


@program
def del_locals():
    acc = [del_local(False) for _ in range(N // 4)]
    acc.append(catch(del_local, True))
    acc.append(del_local(0))
    acc.append(catch(del_twice))
    acc.append(catch(lambda: exec("del never_defined_xyz", {})))
    return acc


def locals_snapshot(a, b=2):
    c = a + b
    first = sorted(locals())
    d = [c]
    snapshot = locals()
    return first, {k: v for k, v in snapshot.items() if k != "snapshot"}, d


@program
def locals_builtin():
    acc = [locals_snapshot(i) for i in range(N // 4)]
    acc.append(locals_snapshot("x", "y"))
    return acc


def frame_info(a):
    b = a * 2
    fr = sys._getframe()
    line1 = fr.f_lineno - fr.f_code.co_firstlineno
    c = [b]
    line2 = sys._getframe().f_lineno - fr.f_code.co_firstlineno
    caller = sys._getframe(1)
    return (line1, line2, fr.f_code.co_name, caller.f_code.co_name,
            caller.f_lineno - caller.f_code.co_firstlineno,
            sorted(k for k in fr.f_locals if k != "fr"),
            fr.f_locals["b"], fr.f_locals["c"])


def frame_info_caller(a):
    pad = 0
    return frame_info(a + pad)


@program
def frame_introspection():
    acc = [frame_info_caller(i) for i in range(N // 4)]
    acc.append(frame_info_caller(0.5))
    acc.append(catch(frame_info_caller, "s"))
    return acc


# === recursion ===============================================================

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def is_even(n):
    return True if n == 0 else is_odd(n - 1)


def is_odd(n):
    return False if n == 0 else is_even(n - 1)


def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


@program
def recursion():
    return ([fib(i) for i in range(20)], fib(20.0),
            [is_even(i) for i in range(30)], is_odd(101),
            ackermann(2, 3), ackermann(3, 3))


def _depth():
    f = sys._getframe(1)
    n = 0
    while f is not None:
        n += 1
        f = f.f_back
    return n


def dive(n):
    return dive(n + 1) + 1


def dive_tracked(n, seen):
    seen[0] = n
    return dive_tracked(n + 1, seen)


@program
def recursion_error():
    old = sys.getrecursionlimit()
    out = []
    seen = [0]
    sys.setrecursionlimit(_depth() + 80)
    try:
        for _ in range(3):
            try:
                dive(0)
            except RecursionError as e:
                out.append(desc(e))
            try:
                dive_tracked(0, seen)
            except RecursionError as e:
                out.append((desc(e), seen[0] >= 50))
    finally:
        sys.setrecursionlimit(old)
    out.append(fib(15))
    out.append(is_even(200))
    return out


# === generators used from plain functions ===================================

def gen_range(n):
    for i in range(n):
        yield i * i
    return "done"


def gen_delegate(n):
    result = yield from gen_range(n)
    yield result


def accumulator():
    total = 0
    while True:
        got = yield total
        if got is None:
            break
        total += got
    return total


def consume(n):
    out = list(gen_delegate(n))
    g = accumulator()
    next(g)
    for i in range(n):
        g.send(i)
    try:
        g.send(None)
    except StopIteration as e:
        out.append(("stop", e.value))
    out.append(sum(x for x in gen_range(n) if x % 2))
    g2 = gen_range(3)
    out.append(next(g2))
    g2.close()
    out.append(next(g2, "closed"))
    return out


@program
def generators_from_plain():
    acc = [consume(i) for i in range(N // 4)]
    acc.append(catch(consume, "3"))
    g = gen_range(2)
    acc.append(catch(lambda: [next(g) for _ in range(3)]))
    return acc


# === lambdas, decorators, partial ===========================================

def counting(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return func(*args, **kwargs)
    wrapper.calls = 0
    return wrapper


def tagged(tag):
    def deco(func):
        def inner(x):
            return (tag, func(x))
        return inner
    return deco


@counting
def decorated_square(x):
    return x * x


@tagged("t")
@tagged("u")
def double_tagged(x):
    return -x


@program
def lambdas_decorators():
    decorated_square.calls = 0
    acc = [decorated_square(i) for i in range(N // 2)]
    acc.append((decorated_square.calls, decorated_square.__name__,
                decorated_square.__wrapped__(3)))
    acc.append([double_tagged(i) for i in range(3)])
    power = functools.partial(pow, 2)
    acc.append([power(i) for i in range(N // 4)])
    kw = functools.partial(kwonly, 1, c=3)
    acc.append([kw(i) for i in range(3)])
    acc.append(catch(kw))
    acc.append(sorted(["bb", "a", "ccc", "dd"], key=lambda s: (-len(s), s)))
    acc.append(functools.reduce(lambda a, b: a * 10 + b, range(8)))
    acc.append(list(map(lambda x, y: x - y, range(5), range(10, 5, -1))))
    acc.append(list(filter(None, [0, 1, "", "a", None, []])))
    return acc


# === functions changed after warm-up ========================================

def code_victim(x):
    return x + 1


def code_replacement(x):
    return ("replaced", x * 100)


def calls_victim(x):
    return code_victim(x)


_victim_code = code_victim.__code__


@program
def code_replaced():
    acc = [calls_victim(i) for i in range(N)]
    try:
        code_victim.__code__ = code_replacement.__code__
        acc.append(calls_victim(3))
        acc.append(code_victim(4))
    finally:
        code_victim.__code__ = _victim_code
    acc.append(calls_victim(3))

    def local(a, b):
        return a - b

    def other(a, b):
        return a * b
    acc += [local(i, 1) for i in range(N // 4)]
    local.__code__ = other.__code__
    acc.append(local(6, 7))
    acc.append(catch(setattr, local, "__code__", (lambda: 0).__code__))
    acc.append(catch(local, 1))
    return acc


def with_dflt(a, b=1, *, c=2):
    return a * 100 + b * 10 + c


_dflt_saved = (with_dflt.__defaults__, with_dflt.__kwdefaults__)


@program
def defaults_changed():
    acc = [with_dflt(i) for i in range(N // 2)]
    try:
        with_dflt.__defaults__ = (5,)
        acc.append(with_dflt(1))
        with_dflt.__kwdefaults__ = {"c": 9}
        acc.append(with_dflt(1))
        with_dflt.__kwdefaults__ = None
        acc.append(catch(with_dflt, 1))
        with_dflt.__defaults__ = None
        acc.append(catch(with_dflt, 1, c=0))
        acc.append(with_dflt(1, 2, c=3))
    finally:
        with_dflt.__defaults__, with_dflt.__kwdefaults__ = (
            _dflt_saved[0], dict(_dflt_saved[1]))
    acc.append(with_dflt(1))
    return acc


_EXEC_SRC = """\
def f(x):
    return (x * K, len(x)) if isinstance(x, str) else x * K

def g(n):
    total = 0
    for i in range(n):
        total += f(i)
    return total, where

def boom():
    raise RuntimeError(where)
"""


@program
def exec_other_globals():
    acc = []
    ns1 = {"K": 2, "where": "ns1"}
    ns2 = {"K": 3, "where": "ns2"}
    code = compile(_EXEC_SRC, _EXEC_FILE, "exec")
    exec(code, ns1)
    exec(code, ns2)
    for i in range(N // 4):
        acc.append((ns1["g"](i), ns2["g"](i)))
    ns1["K"] = 3
    acc.append(ns1["f"]("ab"))
    ns1["K"] = "k"
    acc.append(catch(ns1["f"], "ab"))
    del ns2["K"]
    acc.append(catch(ns2["f"], 1))
    ns3 = {"K": 1, "where": "ns3",
           "__builtins__": {"len": lambda s: 1000, "isinstance": isinstance,
                            "range": range, "RuntimeError": RuntimeError,
                            "str": str}}
    exec(code, ns3)
    acc.append(ns3["f"]("abc"))
    acc.append(ns3["g"](4))
    acc.append(catch(ns3["boom"]))
    acc.append("K" in globals())
    return acc


# === builtins ================================================================

def builtin_calls(xs):
    return (len(xs), min(xs), max(xs), sorted(xs), sum(xs), any(xs), all(xs),
            min(xs, key=lambda v: -v), max(xs, default=None),
            sorted(xs, reverse=True)[:2], list(enumerate(xs))[:2],
            isinstance(xs, list), getattr(xs, "nope", "dflt"),
            getattr(xs, "count")(xs[0]), hasattr(xs, "append"),
            abs(xs[-1]), round(sum(xs) / len(xs), 3), divmod(sum(xs), 7))


@program
def builtins_calls():
    acc = [builtin_calls(list(range(-i, i + 1))) for i in range(N // 4)]
    acc.append(builtin_calls([2.5, -1.0, 3]))
    acc.append(catch(builtin_calls, []))
    acc.append(catch(builtin_calls, ["a", 1]))
    acc.append((min(3, 1, 2), max("abc"), sum([[1], [2]], []), min([], default=7),
                catch(max), catch(sum, ["a"]), catch(len, 5),
                catch(getattr, 1, "nope")))
    return acc


# === identity and membership ================================================

_SENTINEL = object()


class Eq:
    calls = 0

    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        Eq.calls += 1
        return isinstance(other, Eq) and self.v == other.v

    __hash__ = None


def identity(a, b):
    return (a is b, a is not b, a is None, a is _SENTINEL, a == b)


def membership(x, coll):
    return (x in coll, x not in coll)


@program
def identity_membership():
    acc = []
    lst = [1, 2]
    for i in range(N // 4):
        acc.append(identity(lst, lst))
        acc.append(identity(lst, list(lst)))
        acc.append(identity(None, None))
        acc.append(identity(_SENTINEL, _SENTINEL))
    acc.append(identity(True, 1 == 1))
    for coll in ([1, 2, 3], (1, 2), {1: "a"}, {3}, range(0, 10, 2), "123",
                 {"1": 1}):
        for x in (1, 2, "1", 3.0):
            try:
                acc.append(membership(x, coll))
            except TypeError as e:
                acc.append(desc(e))
    Eq.calls = 0
    acc.append(membership(Eq(2), [Eq(1), Eq(2), Eq(3)]))
    acc.append(Eq.calls)
    acc.append(catch(membership, 1, 5))
    acc.append(catch(membership, [], {1}))
    return acc


def big_equal(a, b):
    return a == b, a + 0 == b - 0, (a, b) == (b, a)


@program
def int_identity_not_relied():
    acc = []
    for i in range(N // 4):
        acc.append(big_equal(1000 + i, int(str(1000 + i))))
    acc.append(big_equal(2 ** 80, int("1" + "0" * 80, 2)))
    acc.append(big_equal(-5, -int("5")))
    return acc


# === assert, match, walrus, counters =======================================

def checked(x):
    assert isinstance(x, int), f"not an int: {x!r}"
    assert x >= 0
    return x * 2


@program
def asserts():
    acc = [checked(i) for i in range(N // 4)]
    acc.append(catch(checked, -1))
    acc.append(catch(checked, "s"))
    acc.append(catch(checked, 1.0))
    return acc


class MPoint:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


def matcher(v):
    match v:
        case 0 | 1:
            return "small"
        case int(n) if n < 0:
            return f"negative {n}"
        case int():
            return "int"
        case str() as s if s.startswith("x"):
            return "x-string"
        case [a, b, *rest]:
            return ("seq", a, b, len(rest))
        case {"kind": "pt", "x": x, **others}:
            return ("map", x, sorted(others))
        case MPoint(0, y):
            return ("on y axis", y)
        case MPoint(x=x, y=0):
            return ("on x axis", x)
        case MPoint(x, y):
            return ("point", x, y)
        case None:
            return "none"
        case _:
            return ("other", type(v).__name__)


@program
def match_statements():
    vals = [0, 1, -4, 7, "xyz", "abc", [1, 2], [1, 2, 3, 4], (5, 6), "ab",
            {"kind": "pt", "x": 1, "y": 2}, {"kind": "other"}, MPoint(0, 5),
            MPoint(3, 0), MPoint(2, 2), None, 2.5, True, {1, 2}]
    acc = [matcher(vals[i % len(vals)]) for i in range(N)]
    acc.append(catch(matcher, MPoint.__new__(MPoint)))
    return acc


def walrus(data):
    out = []
    it = iter(data)
    while (item := next(it, None)) is not None:
        if (sq := item * item) > 10:
            out.append(sq)
    filtered = [y for x in data if (y := x % 3)]
    return out, filtered, y


@program
def walrus_prog():
    acc = [walrus(list(range(i))) for i in range(1, N // 4)]
    acc.append(walrus([2.5, 4]))
    acc.append(catch(walrus, []))
    return acc


_counter = 0


def next_id():
    global _counter
    _counter += 1
    return _counter


@program
def global_counters():
    global _counter
    _counter = 0
    ids = [next_id() for _ in range(N * 3)]
    _counter = 2 ** 63 - 2
    ids += [next_id() for _ in range(3)]
    _counter = 0
    return ids[:5], ids[-5:], sum(ids[:-3])


# === tracing from the corpus ================================================

def traced_callee(x):
    y = x + 1
    if y > 2:
        y *= 2
    return y


def traced_driver(n, events):
    def tracer(frame, event, arg):
        code = frame.f_code
        if code.co_filename == _FILE and code.co_name == "traced_callee":
            events.append((event, frame.f_lineno - code.co_firstlineno))
        return tracer
    total = 0
    for i in range(n):
        if i == n // 2:
            sys.settrace(tracer)
        total += traced_callee(i)
    sys.settrace(None)
    return total


@program
def settrace_midway():
    acc = [traced_driver(5, []) for _ in range(N // 4)]
    events = []
    old = sys.gettrace()
    try:
        acc.append(traced_driver(4, events))
    finally:
        sys.settrace(old)
    acc.append(events)
    return acc


# === polymorphic attribute sites =============================================
# One site sees instances of several classes (the JIT's per-site caches),
# then the classes and instances change under it.

class PolyBase:
    def __init__(self, v):
        self.v = v
        self.w = v * 2

    def get(self):
        return self.v


class PolyA(PolyBase):
    pass


class PolyB(PolyBase):
    def get(self):
        return -self.v


class PolyC(PolyBase):
    pass


class PolySlots:
    __slots__ = ("v", "w")

    def __init__(self, v):
        self.v = v
        self.w = v * 2

    def get(self):
        return self.v * 10


def poly_read(o):
    return o.v + o.w


def poly_write(o, x):
    o.v = x
    return o.v


def poly_call(o):
    return o.get()


@program
def program_polymorphic_sites():
    objs = [PolyA(1), PolyB(2), PolyC(3), PolySlots(4), PolyBase(5)]
    acc = []
    for _ in range(N):
        for o in objs:
            acc.append((poly_read(o), poly_call(o)))
    for o in objs:
        acc.append(poly_write(o, 7))
    # An instance attribute shadows the method on one instance only.
    a = PolyA(8)
    a.get = lambda: "shadowed"
    acc.append([poly_call(o) for o in (a, PolyA(9))])
    # A data descriptor added to the class wins over the instance value.
    c1 = PolyC(1)
    PolyC.v = property(lambda self: "prop")
    try:
        acc.append([o.v for o in objs])
        acc.append(catch(poly_read, c1))
        acc.append(catch(PolyC, 1))
    finally:
        del PolyC.v
    acc.append(poly_read(PolyC(2)))
    # A method replaced on the class after warm-up.
    old = PolyA.get
    PolyA.get = lambda self: ("new", self.v)
    try:
        acc.append(poly_call(PolyA(3)))
    finally:
        PolyA.get = old
    acc.append(poly_call(PolyA(3)))
    # An instance whose dict was materialized (vars()), then a new attribute.
    b = PolyB(6)
    vars(b)["extra"] = 1
    acc.append((poly_read(b), poly_write(b, 11), poly_call(b)))
    # A slot that was never set, then deleted.
    s = PolySlots.__new__(PolySlots)
    acc.append(catch(poly_read, s))
    s.v, s.w = 1, 2
    acc.append(poly_read(s))
    del s.w
    acc.append(catch(poly_read, s))
    return acc


# === star calls ==============================================================

def star_target(*a, **k):
    return a, sorted(k.items())


def star_defaults(x, y=2):
    return x + y


def star_call(fn, args, kw):
    return fn(*args, **kw)


def star_call_more(fn, kw):
    return fn(1, **kw, z=3)


class StarMapping:
    def keys(self):
        return ["a"]

    def __getitem__(self, key):
        return 9


@program
def program_star_calls():
    acc = []
    for _ in range(N):
        acc.append((star_call(star_target, (1, 2), {"q": 1}),
                    star_call(star_defaults, [5], {}),
                    star_call_more(star_target, {"a": 1})))
    # Other iterables and mappings, and the interpreter's error messages.
    acc.append(star_call(star_target, "ab", StarMapping()))
    acc.append(catch(star_call_more, star_target, {"z": 1}))
    acc.append(catch(star_call, star_target, (), 5))
    acc.append(catch(star_call, star_defaults, 5, {}))
    acc.append(catch(star_call, star_defaults, (), {}))
    return acc


# === float temporaries =======================================================
# Compiled float arithmetic may reuse a temporary operand for its result:
# never one that anything else still refers to.

def float_temps(a, b, c, keep):
    x = (a * b + c * a) - (b * c) * 0.5
    keep.append(a * b)
    y = keep[-1] + 1.0
    z = (w := a - b) * 2.0 + w
    return x, y, z, w, keep[-1]


@program
def program_float_temporaries():
    keep = []
    acc = [float_temps(float(i), 2.5, -1.25, keep) for i in range(N)]
    acc.append(float_temps(1, 2, 3.0, keep))
    acc.append(len(keep))
    return acc


# === generic arithmetic on mixed numbers ======================================
# BINARY_OP sites the interpreter does not specialize (mixed int and float,
# division, remainder) have a compiled fast path for one-digit ints and
# floats; big ints, zero divisors and other types take the general one.

def mixed_arith(a, b):
    return (a + b, a - b, a * b, a / b, a // b, a % b)


def mixed_inplace(a, b):
    x = a
    x += b
    x *= b
    x -= a
    x /= b
    y = a
    y //= b
    z = a
    z %= b
    return x, y, z


def shift_truth(a, b):
    x = a << b
    return x, bool(x), 1 if a & b else 0, "t" if (a >> 1) else "f"


@program
def program_mixed_arithmetic():
    acc = []
    for a in (0, 1, -1, 3, -7, (1 << 29) - 1, -(1 << 30) + 1, 1 << 30, 10 ** 20, True):
        for b in (0, 1, 5, 31, 32, 40, -1, True, 2.0):
            acc.append(catch(shift_truth, a, b))
    values = [7, -7, 3, -3, 1, 2.5, -2.5, 0.5, 1 << 30, -(1 << 30) + 1,
              (1 << 29) - 1, 10 ** 20, -(10 ** 20), True, 0.0, 0]
    for a in values:
        for b in values:
            acc.append(catch(mixed_arith, a, b))
            acc.append(catch(mixed_inplace, a, b))
    acc.append(catch(mixed_arith, "ab", 2))
    acc.append(catch(mixed_arith, 1.5, "x"))
    acc.append(catch(mixed_arith, float("inf"), 2))
    acc.append(catch(mixed_arith, float("nan"), 3))
    acc.append(catch(mixed_arith, -0.0, 5))
    return acc


def boxed_results(a, b):
    s, d, m = a + b, a - b, a * b
    q = a // b if b else None
    small = [v is int(str(v)) for v in (s, d, m) if -5 <= v <= 256]
    return s, d, m, q, small, (a << 3) if a >= 0 else None


@program
def program_int_boxing():
    # Results of the int fast paths are boxed as ints make them: the
    # shared small ints (identity), one-digit values up to 2**30 - 1 and
    # longer ones past it, both signs.
    acc = []
    edges = (0, 1, -1, 5, -5, -6, 255, 256, 257, (1 << 30) - 1, 1 << 30,
             -(1 << 30) + 1, -(1 << 30), (1 << 29) + 3)
    for a in edges:
        for b in (0, 1, -1, 2, 256, -257, (1 << 30) - 1):
            acc.append(catch(boxed_results, a, b))
    acc.append(len([0] * 200) is int("200"))
    return acc


# === call-site caches ========================================================
# A CALL site remembers the compiled Python function it called (by its
# version) and enters it directly next time: other functions at the site,
# a function whose __code__ or __defaults__ changed, methods, other
# arities and closures must all still behave.

def callee_one(x):
    return x + 1


def callee_two(x):
    return x * 2


def callee_cell(x):
    def inner():
        return x
    return inner() + 100


def call_it(f, x):
    return f(x)


def call_method(o, x):
    return o.step(x)


class Stepper:
    def __init__(self, k):
        self.k = k

    def step(self, x):
        return x + self.k


class StepperChild(Stepper):
    def step(self, x, y=1000):
        return x - self.k + y


@program
def program_call_site_cache():
    acc = []
    def victim(x):
        return x - 1
    for i in range(N):
        acc.append(call_it(callee_one, i))
        acc.append(call_it(callee_two, i))
        acc.append(call_it(victim, i))
        acc.append(call_it(callee_cell, i))
        acc.append(call_method(Stepper(i), i))
        acc.append(call_method(StepperChild(i), i))
        if i == N // 2:
            victim.__code__ = callee_two.__code__
        if i == N // 3:
            victim.__defaults__ = (5,)
    acc.append(catch(call_it, callee_one, "s"))
    acc.append(catch(call_it, lambda: 0, 1))
    acc.append(catch(call_it, len, [1, 2]))
    acc.append(catch(call_it, Stepper, 3).k)
    return acc


# +, -, * and / on instances of Python classes enter the class's compiled
# method directly when the right operand is of the same class, an int or a
# float; reflected methods of subclasses, NotImplemented and sequences must
# still behave.

class OpVec:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, o):
        if isinstance(o, OpVec):
            return OpVec(self.x + o.x, self.y + o.y)
        if isinstance(o, str):
            raise ValueError("no str")
        return NotImplemented

    def __sub__(self, o):
        if isinstance(o, OpVec):
            return OpVec(self.x - o.x, self.y - o.y)
        return OpVec(self.x - o, self.y - o)

    def __mul__(self, k):
        if isinstance(k, (int, float)) and k != 7:
            return OpVec(self.x * k, self.y * k)
        return NotImplemented

    def __truediv__(self, k):
        return OpVec(self.x / k, self.y / k)

    def __radd__(self, o):
        return ("radd", o)

    def __repr__(self):
        return f"OpVec({self.x!r}, {self.y!r})"


class OpVecChild(OpVec):
    def __radd__(self, o):
        return ("child radd", o.x)


class OpFloat(float):
    def __add__(self, o):
        return ("floatvec", float(self), o)


class OpList(list):
    def __mul__(self, k):
        return NotImplemented


def opvec_ops(a, b):
    return [catch(lambda: a + b), catch(lambda: a - b),
            catch(lambda: a * b), catch(lambda: a / b)]


def opvec_add(a, b):
    return a + b


@program
def program_class_operators():
    acc = []
    for i in range(N):
        v = OpVec(i, -i)
        acc.append(opvec_ops(v, OpVec(1, 2)))
        acc.append(opvec_ops(v, 2))
        acc.append(opvec_ops(v, 0.5))
        acc.append(opvec_ops(v, 7))
        acc.append(opvec_ops(v, 0))
        acc.append(opvec_ops(v, OpVecChild(3, 4)))
        acc.append(opvec_ops(v, "s"))
        acc.append(opvec_ops(v, None))
        acc.append(opvec_ops(OpFloat(i), 1.0))
        acc.append(opvec_ops(OpList([i]), 2))
        acc.append(opvec_add(v, v))
        if i == N // 2:
            OpVec.__add__ = lambda self, o: ("replaced", o.x if isinstance(o, OpVec) else o)
    OpVec.__add__ = opvec_add_original
    return acc


opvec_add_original = OpVec.__add__


# New attributes stored through a site's cache keep the instance's
# attribute order (vars(), repr of __dict__) as the interpreter's.

class Ordered:
    pass


def fill_ordered(o, flip, extra):
    if flip:
        o.b = 2
        o.a = 1
    else:
        o.a = 1
        o.b = 2
    if extra:
        o.c = 3
    o.a = o.a + 10
    return o


@program
def program_attribute_order():
    acc = []
    for i in range(N):
        o = fill_ordered(Ordered(), i % 2, i % 3 == 0)
        acc.append(list(vars(o).items()))
        del o.a
        o.a = 5
        acc.append(list(vars(o)))
    return acc


# Subscripts of exact dicts and tuples are done inline or in C; dict
# subclasses (__missing__), missing and unhashable keys, negative and out
# of range indexes and tuple subclasses take the generic path.

class DefaultingDict(dict):
    def __missing__(self, key):
        return ("missing", key)


class NamedPair(tuple):
    def __getitem__(self, i):
        return ("pair", tuple.__getitem__(self, i))


def dsubscr(c, k):
    return c[k]


def tsubscr(c, k):
    return c[k]


@program
def program_dict_tuple_subscripts():
    acc = []
    d = {"a": 1, 2: "two", (1, 2): [3]}
    t = (10, 20, 30)
    for i in range(N):
        acc.append(dsubscr(d, "a"))
        acc.append(dsubscr(d, 2))
        acc.append(tsubscr(t, i % 3))
    for k in ("a", "zz", 2.0, (1, 2), [1], None):
        acc.append(catch(dsubscr, d, k))
        acc.append(catch(dsubscr, DefaultingDict(d), k))
    acc.append(catch(dsubscr, t, 1))
    for k in (0, 2, -1, -3, 3, -4, 1 << 40, True, "x", slice(1, None)):
        acc.append(catch(tsubscr, t, k))
        acc.append(catch(tsubscr, NamedPair(t), k))
    acc.append(catch(tsubscr, d, "a"))
    return acc


# Compiled generators: entered at their first RESUME and after each yield
# (or yield from) with the value stack reloaded from the frame; send,
# throw, close, values under the yield on the stack (NULL included),
# try/finally and with around yields, frame introspection while
# suspended, and deoptimization in the middle of them.

import inspect as _inspect


def gen_stacked(n):
    acc = []
    for i in range(n):
        acc.append((i, (yield i), len((yield -i))))
    total = sum(x for x, _, _ in acc)
    return total


def gen_guarded(log):
    try:
        with _Recorder(log):
            x = yield 1
            log.append(("got", x))
            yield x * 2
    finally:
        log.append("finally")


class _Recorder:
    def __init__(self, log):
        self.log = log

    def __enter__(self):
        self.log.append("enter")

    def __exit__(self, *exc):
        self.log.append(("exit", exc[0].__name__ if exc[0] else None))
        return False


def gen_tree(depth, prefix=()):
    if depth == 0:
        yield prefix
        return
    for k in range(2):
        yield from gen_tree(depth - 1, prefix + (k,))


def gen_delegating(items):
    got = yield from items
    r = yield from gen_range(3)
    yield (got, r)


def gen_print_like():
    return str((yield), (yield))


def gen_raises(n):
    for i in range(n):
        if i == 2:
            raise KeyError(i)
        yield i


@program
def program_compiled_generators():
    acc = []
    for i in range(N // 4):
        g = gen_stacked(3)
        out = [next(g)]
        try:
            while True:
                out.append(g.send([i] * len(out)))
        except StopIteration as e:
            out.append(("ret", e.value))
        acc.append(out)
        log = []
        g = gen_guarded(log)
        acc.append((next(g), g.send(i), _inspect.getgeneratorstate(g)))
        acc.append((g.gi_frame.f_lineno - gen_guarded.__code__.co_firstlineno,
                    sorted(g.gi_frame.f_locals)))
        g.close()
        acc.append(log)
        log = []
        g = gen_guarded(log)
        next(g)
        acc.append(catch(g.throw, ValueError("in")))
        acc.append(log)
        acc.append(list(gen_tree(3)))
        acc.append(list(gen_delegating([1, 2])))
        acc.append(catch(list, gen_delegating(5)))
        g = gen_print_like()
        next(g)
        g.send("a")
        acc.append(catch(g.send, "b"))
        acc.append(catch(list, gen_raises(5)))
        acc.append(sum(x * x for x in range(i)))
        acc.append(list(zip((c for c in "abc"), gen_range(4))))
    return acc


# Call sites also cache how keyword arguments and defaults bind: the
# binding must stay the interpreter's when defaults change (in place for
# keyword-only ones), when a keyword-only default is removed, for
# positional-only parameters, duplicates, unknown names and missing
# arguments.

def kw_target(a, b, c=3, /, d=4, *, e=5, f=6):
    return (a, b, c, d, e, f)


def kw_plain(x, y=10, z=20):
    return x * 100 + y * 10 + z


def kw_calls(fn, i):
    return [fn(i, 1), fn(i, 1, 2), fn(i, 1, d=i), fn(i, 1, 9, f=i, e=2),
            fn(i, 2, 3, 4, e=i)]


def kw_plain_calls(fn, i):
    return [fn(i), fn(i, z=1), fn(z=i, x=2), fn(y=i, x=1, z=0), fn(i, 1, 2)]


@program
def program_keyword_binding():
    acc = []
    for i in range(N):
        acc.append(kw_calls(kw_target, i))
        acc.append(kw_plain_calls(kw_plain, i))
        if i == N // 4:
            kw_target.__kwdefaults__["e"] = -5
        if i == N // 3:
            kw_plain.__defaults__ = (7, 8)
        if i == N // 2:
            del kw_target.__kwdefaults__["f"]
            acc.append(catch(kw_calls, kw_target, i))
            kw_target.__kwdefaults__["f"] = 6
    kw_target.__kwdefaults__["e"] = 5
    kw_plain.__defaults__ = (10, 20)
    acc.append(catch(lambda: kw_target(1, 2, c=3)))
    acc.append(catch(lambda: kw_target(1, 2, d=3, d2=4)))
    acc.append(catch(lambda: kw_plain(1, x=2)))
    acc.append(catch(lambda: kw_plain(y=2)))
    acc.append(catch(lambda: kw_plain(1, 2, 3, 4)))
    return acc


# A site that makes instances of a plain class caches the class and enters
# its __init__ directly: a changed class or __init__, __new__, metaclasses,
# abstract classes, a bad __init__ result or arity must still behave.

class Made:
    def __init__(self, x):
        self.x = x


class MadeChild(Made):
    pass


class MadeBad:
    def __init__(self, x):
        if x == 3:
            raise ValueError("three")
        if x == 4:
            return x


class MadeNew:
    def __new__(cls, x):
        o = super().__new__(cls)
        o.x = -x
        return o

    def __init__(self, x):
        self.y = x


class MadeMeta(type):
    def __call__(cls, *a):
        return ("meta", a)


class MadeByMeta(metaclass=MadeMeta):
    def __init__(self, x):
        self.x = x


def make_one(cls, x):
    return cls(x)


def describe(o):
    if isinstance(o, tuple):
        return o
    return (type(o).__name__, sorted(vars(o).items()))


@program
def program_make_instances():
    import abc

    class Abstract(abc.ABC):
        def __init__(self, x):
            self.x = x

        @abc.abstractmethod
        def f(self):
            pass

    class Local:
        def __init__(self, x):
            self.x = x * 10

    acc = []
    for i in range(N):
        acc.append(describe(make_one(Made, i)))
        acc.append(describe(make_one(MadeChild, i)))
        acc.append(describe(make_one(Local, i)))
        acc.append(catch(lambda: describe(make_one(MadeBad, i % 6))))
        acc.append(describe(make_one(MadeNew, i)))
        acc.append(describe(make_one(MadeByMeta, i)))
        if i == N // 2:
            def other_init(self, x):
                self.z = x
            Local.__init__ = other_init
        if i == N // 3:
            Made.__init__.__code__ = (lambda self, x: None).__code__
        if i == 2 * N // 3:
            Local.__init__ = lambda self, x, y=1: setattr(self, "w", x + y)
    Made.__init__.__code__ = made_init_code
    acc.append(catch(make_one, Abstract, 1))
    acc.append(catch(make_one, Made, None) and "made")
    acc.append(catch(lambda: Made(1, 2)))
    acc.append(catch(lambda: Made()))
    acc.append(catch(make_one, int, "12"))
    return acc


made_init_code = Made.__init__.__code__


# === len() and list.append ===================================================
# Compiled code calls len() and list.append directly when the callable is
# the builtin the interpreter's cache names; anything else is a call.

class ListChild(list):
    pass


class BadLen:
    def __len__(self):
        raise ValueError("no len")


def append_len(xs, x):
    xs.append(x)
    return len(xs)


def just_len(o):
    return len(o)


@program
def program_len_and_append():
    acc = []
    for i in range(N):
        a, b = [], ListChild()
        acc.append((append_len(a, i), append_len(b, i), a, list(b),
                    just_len("abc"), just_len({1: 2})))
    acc.append(catch(just_len, BadLen()))
    acc.append(catch(just_len, 5))
    acc.append(catch(append_len, (), 1))
    shadow = {"len": lambda o: -1}
    exec("def shadowed(o):\n    return len(o)\n", shadow)
    acc.append([shadow["shadowed"]([1, 2]) for _ in range(3)])
    return acc


# === raise ===================================================================
# RAISE_VARARGS compiled: the helper raises, the error exit reports the
# instruction; a bare raise that re-raises is left to the interpreter (no
# traceback entry for its frame).

class NotAnInstance(Exception):
    def __new__(cls, *args):
        return 42


def raise_kinds(kind):
    if kind == 0:
        raise ValueError("plain")
    if kind == 1:
        raise KeyError
    if kind == 2:
        raise ValueError("with cause") from KeyError("the cause")
    if kind == 3:
        raise ValueError("cause class") from IndexError
    if kind == 4:
        raise ValueError("no context") from None
    if kind == 5:
        raise 5
    if kind == 6:
        raise ValueError("bad cause") from 7
    if kind == 7:
        raise NotAnInstance
    if kind == 8:
        raise
    if kind == 9:
        raise TypeError("x") from NotAnInstance
    return "no raise"


def raise_in_try(x):
    log = []
    try:
        log.append("before")
        if x:
            raise LookupError(x)
        log.append("no raise")
    except LookupError as e:
        log.append(("caught", str(e)))
    finally:
        log.append("finally")
    return log


def reraiser():
    raise


def reraise_from_caller(n):
    try:
        1 // n
    except ZeroDivisionError:
        try:
            reraiser()
        except ZeroDivisionError as e:
            return desc(e), tb_offsets(e.__traceback__)
    try:
        reraiser()
    except RuntimeError as e:
        return desc(e), tb_offsets(e.__traceback__)


def describe_raise(kind):
    try:
        raise_kinds(kind)
    except Exception as e:
        cause = e.__cause__
        return (desc(e), None if cause is None else desc(cause),
                e.__suppress_context__, tb_offsets(e.__traceback__))
    return "no raise"


@program
def raise_statements():
    acc = [describe_raise(i % 11) for i in range(N)]
    acc += [raise_in_try(i % 2) for i in range(N // 4)]
    acc += [reraise_from_caller(i % 2) for i in range(6)]
    acc.append(catch(raise_kinds, 8))
    return acc


# === globals written and deleted ============================================

def set_and_del_global(v, twice):
    global G_TEMP
    G_TEMP = v
    seen = G_TEMP
    del G_TEMP
    if twice:
        del G_TEMP
    return seen


def del_missing_global():
    global G_NEVER_DEFINED
    try:
        del G_NEVER_DEFINED
    except NameError as e:
        return desc(e), e.name


@program
def globals_stored_deleted():
    acc = [set_and_del_global(i, False) for i in range(N)]
    acc.append(catch(set_and_del_global, "x", True))
    acc.append(del_missing_global())
    acc.append("G_TEMP" in globals())
    d = {"__builtins__": builtins}
    exec("def setter(v):\n    global Q\n    Q = v\n"
         "def deleter():\n    global Q\n    del Q\n", d)
    acc.append([(d["setter"](i), d["Q"], d["deleter"](), "Q" in d)
                for i in range(3)])
    acc.append(catch(d["deleter"]))
    return acc


# === cells deleted ===========================================================

def del_own_cell(twice):
    x = [1]

    def get():
        return x
    first = get()
    del x
    if twice:
        del x
    return first, catch(get)


def del_free_var(n):
    y = n

    def drop():
        nonlocal y
        del y
    drop()
    try:
        drop()
    except NameError as e:
        return desc(e), e.name


@program
def cells_deleted():
    acc = [del_own_cell(False) for _ in range(N // 4)]
    acc.append(catch(del_own_cell, True))
    acc += [del_free_var(i) for i in range(N // 4)]
    return acc


# === imports in functions ====================================================

def import_some(n):
    import sys
    import os.path
    from functools import reduce, partial as p
    import collections.abc as cabc
    return (sys.maxsize > 0, os.path.basename("/a/b"), reduce(int.__add__, range(n), 0),
            p(int, base=2)("101"), issubclass(list, cabc.Sequence))


def import_missing(which):
    if which == 0:
        import ember_no_such_module_q9
    if which == 1:
        from sys import ember_no_such_name_q9
    if which == 2:
        import sys.ember_not_a_package_q9
    if which == 3:
        from builtins import len as ln
        return ln("abc")
    return "ok"


def import_logged(log):
    import functools
    from sys import maxsize
    return functools.__name__, maxsize > 0


@program
def imports_in_functions():
    acc = [import_some(i) for i in range(N // 4)]
    acc += [catch(import_missing, i % 5) for i in range(10)]
    log = []
    saved = builtins.__import__

    def logging_import(name, globals=None, locals=None, fromlist=(), level=0):
        log.append((name, fromlist, level, locals is None))
        return saved(name, globals, locals, fromlist, level)
    builtins.__import__ = logging_import
    try:
        acc.append(import_logged(log))
        acc.append(catch(import_missing, 0))
    finally:
        builtins.__import__ = saved
    acc.append(log)
    return acc


# === classes defined in functions ============================================

def make_class(base, n):
    scale = n * 2

    class Local(base):
        factor = scale

        def get(self):
            return self.factor + scale

    class Meta(type):
        def __new__(mcls, name, bases, ns):
            ns["made_by"] = "Meta"
            return super().__new__(mcls, name, bases, ns)

    class WithMeta(metaclass=Meta):
        pass
    return Local().get(), Local.__qualname__, WithMeta.made_by, Local.__bases__


def class_body_fails():
    class Broken:
        x = 1
        y = 1 // 0
    return Broken


def class_bad_base():
    class Child(5):
        pass
    return Child


_NO_BUILD_CLASS_SRC = """\
def make():
    class C:
        pass
    return C
"""


@program
def classes_in_functions():
    acc = [make_class(object, i) for i in range(N // 4)]
    acc.append(make_class(Exception, 2)[0])
    acc.append(catch(class_body_fails))
    acc.append(catch(class_bad_base))
    ns = {"__builtins__": {}}
    exec(compile(_NO_BUILD_CLASS_SRC, _EXEC_FILE, "exec"), ns)
    acc.append([catch(ns["make"]) for _ in range(3)])
    return acc


# === starred unpacking =======================================================

def star_unpack(seq):
    first, *middle, last = seq
    return first, middle, last


def star_head(seq):
    *init, tail = seq
    [a, *rest] = init or [None]
    return init, tail, a, rest


class BadIter:
    def __iter__(self):
        yield 1
        raise KeyError("mid-iteration")


@program
def star_unpacking():
    acc = [star_unpack(range(i + 2)) for i in range(N // 4)]
    acc += [star_head("abcdef"[:i + 1]) for i in range(6)]
    acc.append(star_unpack("xy"))
    acc.append(star_unpack(iter([1, 2, 3])))
    acc.append(catch(star_unpack, [1]))
    acc.append(catch(star_unpack, ()))
    acc.append(catch(star_unpack, 5))
    acc.append(catch(star_unpack, BadIter()))
    acc.append(catch(star_head, []))
    return acc


# === match: sequences, mappings, classes =====================================

class Pt:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y


class BadArgsNotTuple:
    __match_args__ = ["a"]


class BadArgsNotStr:
    __match_args__ = (1,)


class NoArgs:
    pass


class GetFails(dict):
    def get(self, key, default=None):
        raise OSError("get failed")


class KeyConsts:
    a = "k"
    b = "k"


NOT_A_TYPE = 3


def match_seq(v):
    match v:
        case []:
            return "empty"
        case [x]:
            return ("one", x)
        case [x, y]:
            return ("two", x, y)
        case (x, *_, y) if x == y:
            return ("same ends", x)
        case [_, _, *rest]:
            return ("many", len(rest))
        case _:
            return ("not a sequence", type(v).__name__)


def match_map(v):
    match v:
        case {"op": "add", "args": [a, b]}:
            return a + b
        case {"op": "neg", "arg": a, **rest}:
            return -a, sorted(rest)
        case {}:
            return ("mapping", len(v))
        case _:
            return "other"


def match_cls(v):
    match v:
        case Pt(0, 0):
            return "origin"
        case Pt(x, y=0):
            return ("x axis", x)
        case Pt(y=y):
            return ("point", y)
        case int(n) | float(n):
            return ("number", n)
        case str(s):
            return ("str", s)
        case _:
            return "no match"


def match_errors(kind, v):
    match kind:
        case 0:
            match v:
                case BadArgsNotTuple(a):
                    return a
        case 1:
            match v:
                case BadArgsNotStr(a):
                    return a
        case 2:
            match v:
                case NoArgs(a):
                    return a
        case 3:
            match v:
                case Pt(1, 2, 3):
                    return "three"
        case 4:
            match v:
                case NOT_A_TYPE():
                    return "not a type"
        case 5:
            match v:
                case Pt(1, x=2):
                    return "x twice"
        case 6:
            match v:
                case {"k": 1}:
                    return "k"
        case 7:
            match v:
                case {KeyConsts.a: 1, KeyConsts.b: 2}:
                    return "dup"
    return "fell through"


@program
def match_patterns():
    seqs = [[], [1], (1, 2), [3, 4, 3], [1, 2, 3, 4], "str", range(5),
            bytearray(b"ab"), {1: 2}, 7, collections_deque([1, 2])]
    acc = [match_seq(seqs[i % len(seqs)]) for i in range(N)]
    maps = [{"op": "add", "args": [1, 2]}, {"op": "neg", "arg": 4, "z": 1},
            {"op": "add", "args": (1,)}, {}, [("op", "add")], "op",
            GetFails()]
    acc += [catch(match_map, maps[i % len(maps)]) for i in range(N // 2)]
    objs = [Pt(0, 0), Pt(3, 0), Pt(1, 2), 4, 2.5, "s", None, True]
    acc += [match_cls(objs[i % len(objs)]) for i in range(N)]
    subjects = [BadArgsNotTuple(), BadArgsNotStr(), NoArgs(), Pt(1, 2), 3,
                Pt(1, 2), GetFails(k=1), {"k": 1, "j": 2}]
    acc += [catch(match_errors, i, subjects[i]) for i in range(8)]
    acc.append(catch(match_map, GetFails(op="add", args=1)))
    return acc


def collections_deque(items):
    import collections
    return collections.deque(items)


# === with statements =========================================================

class EnterFails:
    def __enter__(self):
        raise OSError("enter failed")

    def __exit__(self, *exc):
        return False


class NoExit:
    def __enter__(self):
        return self


class Recorder:
    def __init__(self, log, name):
        self.log, self.name = log, name

    def __enter__(self):
        self.log.append("enter " + self.name)
        return self.name

    def __exit__(self, typ, val, tb):
        self.log.append(("exit " + self.name, typ and typ.__name__))
        return self.name == "suppress"


def with_kinds(kind):
    log = []
    if kind == 0:
        with Recorder(log, "a") as a, Recorder(log, "b") as b:
            log.append(a + b)
    elif kind == 1:
        with Recorder(log, "suppress"):
            log.append("body")
            raise ValueError("suppressed")
    elif kind == 2:
        with EnterFails():
            log.append("never")
    elif kind == 3:
        with NoExit():
            log.append("never")
    elif kind == 4:
        with 5:
            log.append("never")
    elif kind == 5:
        with Recorder(log, "r") as r:
            return log, r
    return log


@program
def with_statements_compiled():
    acc = [catch(with_kinds, i % 6) for i in range(N)]
    return acc


# === async iteration set up by plain functions ===============================

class ARange:
    def __init__(self, n):
        self.i, self.n = 0, n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        return self.i


class AIterNoANext:
    def __aiter__(self):
        return 5


def async_genexp(src):
    return (x * 2 async for x in src)


async def drain(agen):
    return [x async for x in agen]


def run_coro(coro):
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("coroutine suspended")


@program
def async_iteration_from_plain():
    acc = [run_coro(drain(async_genexp(ARange(i)))) for i in range(N // 4)]
    acc.append(catch(async_genexp, 5))
    acc.append(catch(async_genexp, AIterNoANext()))
    return acc


@program
def program_that_raises():
    partial = [deep_b(i) for i in range(3)]
    return partial, deep_a(partial[-1])


# === generators resumed under the collector ==================================
# A compiled generator reloads its value stack from the frame when resumed;
# from then on the frame's value stack must be empty to the collector, or
# gen_traverse visits references compiled code has released (the sent value,
# a finished `yield from` sub-generator).  The textbook permutations()
# generator (for ... else, break, a yield in the loop) under an n-queens
# filter with generator expressions crashed in a collection this way.

def perms(iterable, r=None):
    pool = tuple(iterable)
    n = len(pool)
    r = n if r is None else r
    indices = list(range(n))
    cycles = list(range(n - r + 1, n + 1))[::-1]
    yield tuple(pool[i] for i in indices[:r])
    while n:
        for i in reversed(range(r)):
            cycles[i] -= 1
            if cycles[i] == 0:
                indices[i:] = indices[i + 1:] + indices[i:i + 1]
                cycles[i] = n - i
            else:
                j = cycles[i]
                indices[i], indices[-j] = indices[-j], indices[i]
                yield tuple(pool[i] for i in indices[:r])
                break
        else:
            return


def queens(count):
    cols = range(count)
    for vec in perms(cols):
        if (count == len(set(vec[i] + i for i in cols))
                == len(set(vec[i] - i for i in cols))):
            yield vec


class Sent:
    pass


def count_sent(objs):
    return sum(isinstance(o, Sent) for o in objs)


def self_referents():
    import gc
    me = yield
    while True:
        # The sent value is consumed by type(): nothing holds it after.
        name = type((yield 1)).__name__
        yield name, count_sent(gc.get_referents(me))


def sub_list():
    yield 1
    return [Sent()]


def delegate_then_collect():
    import gc
    for _ in range(3):
        got = yield from sub_list()
        # The finished sub-generator was released: a collection must not
        # visit it through the frame.
        gc.collect()
        yield len(got)


@program
def generators_under_the_collector():
    import gc
    acc = [len(list(queens(6))) for _ in range(3)]
    acc.append(next(queens(8)))
    for _ in range(N):
        it = self_referents()
        next(it)
        it.send(it)
        acc.append(it.send(Sent()))
        next(it)
    for _ in range(N // 4):
        it = delegate_then_collect()
        acc.append(sum(v for v in it))
        gc.collect()
    return acc[:6], acc[-3:]


# === the runner ==============================================================

def run():
    lines = []
    for prog in PROGRAMS:
        try:
            result = prog()
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            offsets = tb_offsets(exc.__traceback__.tb_next)
            lines.append(f"{prog.__name__}: raised {desc(exc)} @{offsets}")
        else:
            lines.append(f"{prog.__name__}: {result!r}")
    return lines


if __name__ == "__main__":
    repeat = 1
    if len(sys.argv) == 3 and sys.argv[1] == "--repeat":
        repeat = int(sys.argv[2])
    for _ in range(repeat):
        print("\n".join(run()))
