"""Random, valid, deterministic Python programs for the differential fuzzer.

generate(seed) -> Program.  A program is a fixed prelude (helpers that
print values deterministically) followed by *chunks*, each of one feature
family: functions or classes, then a driver loop that calls them 60-200
times (so that code compiled warm, -X jit -X jit-auto=50, runs for many
iterations) and prints what they return through a Rec, which prints a
line each time the result changes (the first 40 changes; later ones go
into a CRC printed at the end).  Exceptions are caught and printed as
type and message; tracebacks as (function, line) pairs.

Determinism: nothing prints an address (reprs go through _r, which
replaces ' at 0x...'), an id, a hash of a float (NaN's is its id), a
time or a gc.collect() count; the
programs are run with PYTHONHASHSEED=0 (sets of str).  Everything a
program rebinds in builtins it restores in a finally clause, so programs
can share a process.

The same seed gives the same program on any Python (random.Random(seed)
and nothing else is random).
"""

import random

FAMILIES = ("random", "gen", "gcgen", "exc", "closure", "comp", "cls",
            "unpack", "num", "strs", "rec", "rebind", "aug", "misc")

PRELUDE = '''\
import builtins, gc, math, sys, zlib
NAN = float('nan')
INF = float('inf')
def _r(x):
    try:
        s = repr(x)
    except Exception as e:
        s = '<repr failed: %s>' % type(e).__name__
    while ' at 0x' in s:
        i = s.index(' at 0x')
        j = i + 6
        while j < len(s) and s[j] in '0123456789abcdef':
            j += 1
        s = s[:i] + ' at ADDR' + s[j:]
    return s if len(s) <= 800 else s[:800] + '...%d' % len(s)
def show(*args):
    print(*[_r(a) for a in args])
def exc(e):
    return (type(e).__name__, _r(str(e))[:160])
def tb(e):
    out = []
    t = e.__traceback__
    while t is not None:
        out.append((t.tb_frame.f_code.co_name, t.tb_lineno))
        t = t.tb_next
    return out
def typenames(objs):
    return sorted(type(o).__name__ for o in objs)
class Rec:
    def __init__(self, name):
        self.name = name
        self.last = None
        self.first = 0
        self.i = 0
        self.changes = 0
        self.crc = 0
    def add(self, v):
        s = _r(v)
        if s != self.last:
            self.flush()
            self.last = s
            self.first = self.i
            self.changes += 1
        self.i += 1
    def flush(self):
        if self.last is None:
            return
        if self.changes <= 40:
            print('%s[%d:%d] %s' % (self.name, self.first, self.i, self.last))
        else:
            self.crc = zlib.crc32(('%d:%s;' % (self.first, self.last)).encode(), self.crc)
    def done(self):
        self.flush()
        self.last = None
        if self.changes > 40:
            print('%s: %d changes, crc %08x' % (self.name, self.changes, self.crc))
'''

INTS = ["0", "1", "-1", "2", "3", "7", "-5", "255", "256", "1000",
        "2**30-1", "2**30", "-2**30", "2**30+1", "-(2**30)-1", "2**31",
        "2**62-1", "2**62", "-2**62", "2**63-1", "2**63", "-2**63",
        "-2**63-1", "2**64", "10**20", "-10**19", "123456789"]
SMALL_INTS = ["0", "1", "-1", "2", "3", "5", "7", "-3", "10", "100"]
NONZERO = ["3", "-7", "2", "10", "2**31+1", "-(2**62)", "1 << 63", "5"]
FLOATS = ["0.0", "-0.0", "1.5", "-2.25", "0.1", "1e308", "-1e308",
          "5e-324", "NAN", "INF", "-INF", "3.0", "1e16", "2.5e-3", "-7.75"]
STRS = ["''", "'a'", "'abc'", "'Hello'", "'x y z'", "'\u00e9t\u00e9'",
        "'\u20ac5'", "'123'", "'a,b,,c'", "'  pad '", "'ZZ'", "'42'"]
BYTES = ["b''", "b'abc'", "b'\\x00\\xff'", "b'Hello'", "b'12'"]

TYPES = ("int", "float", "str", "bytes", "bool", "lint", "lstr", "tup",
         "dict", "set")


class Scope:
    """Typed variables visible to the expression generator."""

    def __init__(self, parent=None):
        self.parent = parent
        self.vars = {}
        self.ro = set()         # loop variables: read, never assigned

    def of(self, t, writable=False):
        out = [n for n, ty in self.vars.items() if ty == t and not (writable and n in self.ro)]
        if self.parent:
            out += self.parent.of(t, writable)
        return out

    def all(self):
        out = dict(self.parent.all()) if self.parent else {}
        out.update(self.vars)
        return out


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        self.scope = Scope()
        self.maxd = 3
        self.n = 0
        self.funcs = []         # (name, [param types]) of earlier random functions

    # -- small helpers ---------------------------------------------------

    def r(self):
        return self.rng.random()

    def ch(self, seq):
        return self.rng.choice(seq)

    def ri(self, a, b):
        return self.rng.randint(a, b)

    def fresh(self, prefix="v"):
        self.n += 1
        return "%s%d" % (prefix, self.n)

    def iters(self):
        return self.ch([60, 80, 100, 120, 150, 200])

    # -- expressions -----------------------------------------------------

    def lit(self, t):
        c = self.ch
        if t == "int":
            v = c(INTS)
            return v if v.isdigit() else "(%s)" % v
        if t == "float":
            v = c(FLOATS)
            return "(%s)" % v if v.startswith("-") else v
        if t == "str":
            return c(STRS)
        if t == "bytes":
            return c(BYTES)
        if t == "bool":
            return c(["True", "False"])
        if t == "lint":
            return "[%s]" % ", ".join(c(INTS) for _ in range(self.ri(0, 4)))
        if t == "lstr":
            return "[%s]" % ", ".join(c(STRS) for _ in range(self.ri(0, 4)))
        if t == "tup":
            n = self.ri(0, 3)
            return "(%s)" % "".join(c(SMALL_INTS) + ", " for _ in range(n))
        if t == "dict":
            return "{%s}" % ", ".join("%s: %s" % (c(STRS), c(SMALL_INTS))
                                      for _ in range(self.ri(0, 3)))
        if t == "set":
            if self.r() < 0.2:
                return "set()"
            return "{%s}" % ", ".join(c(INTS) for _ in range(self.ri(1, 4)))
        raise ValueError(t)

    def E(self, t, d=0):
        if d >= self.maxd or self.r() < 0.2 + 0.2 * d:
            vs = self.scope.of(t)
            if vs and self.r() < 0.7:
                return self.ch(vs)
            return self.lit(t)
        return getattr(self, "e_" + t)(d + 1)

    def nz(self):
        return self.ch(NONZERO)

    def e_int(self, d):
        E = self.E
        k = self.ri(0, 25)
        if k <= 5:
            return "(%s %s %s)" % (E("int", d), self.ch("+ - * & | ^ + -".split()), E("int", d))
        if k == 6:
            return "(%s // %s)" % (E("int", d), self.nz())
        if k == 7:
            return "(%s %% %s)" % (E("int", d), self.nz())
        if k == 8:
            return "(%s << %d)" % (E("int", d), self.ri(0, 66))
        if k == 9:
            return "(%s >> %d)" % (E("int", d), self.ri(0, 66))
        if k == 10:
            return "%s(%s)" % (self.ch(["-", "~", "abs", "+"]), E("int", d))
        if k == 11:
            return "len(%s)" % E(self.ch(["str", "bytes", "lint", "lstr", "dict", "set", "tup"]), d)
        if k == 12:
            return "%s(%s, %s)" % (self.ch(["min", "max"]), E("int", d), E("int", d))
        if k == 13:
            return "(%s if %s else %s)" % (E("int", d), E("bool", d), E("int", d))
        if k == 14:
            return "%s(%s)" % (self.ch(["int", "round", "math.floor", "math.trunc"]), E("float", d))
        if k == 15:
            return "sum(%s)" % E("lint", d)
        if k == 16:
            return "pow(%s, %d)" % (E("int", d), self.ri(0, 4))
        if k == 17:
            return "(%s + %s)" % (E("bool", d), E("int", d))
        if k == 18:
            return "(%s).bit_length()" % E("int", d)
        if k == 19:
            return "divmod(%s, %s)[%d]" % (E("int", d), self.nz(), self.ri(0, 1))
        if k == 20:
            return "ord((%s + 'q')[0])" % E("str", d)
        if k == 21:
            return "(%s + [%s])[-1]" % (E("lint", d), self.ch(INTS))
        if k == 22:
            return "%s.get(%s, %s)" % (E("dict", d), E("str", d), E("int", d))
        if k == 23:
            return "hash(%s)" % E("int", d)
        if k == 24:
            return "int(%s, %d)" % (self.ch(["'12'", "'-7f'", "'zz'", "'0'", "'101'"]), self.ch([16, 36, 2]))
        return "(%s * %s)" % (E("int", d), E("int", d))

    def e_float(self, d):
        E = self.E
        k = self.ri(0, 13)
        if k <= 3:
            return "(%s %s %s)" % (E("float", d), self.ch("+ - * + -".split()),
                                   E(self.ch(["float", "float", "int"]), d))
        if k == 4:
            return "(%s / %s)" % (E(self.ch(["float", "int"]), d), self.ch(FLOATS[2:] + NONZERO))
        if k == 5:
            return "float(%s)" % E("int", d)
        if k == 6:
            return "math.sqrt(abs(%s))" % E("float", d)
        if k == 7:
            return "math.copysign(%s, %s)" % (E("float", d), E("float", d))
        if k == 8:
            return "%s(%s)" % (self.ch(["-", "abs", "math.fabs", "float"]), E("float", d))
        if k == 9:
            return "(%s if %s else %s)" % (E("float", d), E("bool", d), E("float", d))
        if k == 10:
            return "%s(%s, %s)" % (self.ch(["min", "max"]), E("float", d), E(self.ch(["float", "int"]), d))
        if k == 11:
            return "(%s ** %d)" % (E("float", d), self.ri(0, 3))
        if k == 12:
            return "(%s / %s)" % (E("int", d), self.nz())
        return "math.fmod(%s, %s)" % (E("float", d), self.ch(["3.0", "-2.5", "7.0"]))

    def e_bool(self, d):
        E = self.E
        k = self.ri(0, 12)
        cmp = lambda: self.ch(["<", "<=", ">", ">=", "==", "!="])
        if k <= 3:
            t = self.ch(["int", "int", "float", "str", "num"])
            n = self.ri(1, 3)
            parts = []
            for _ in range(n + 1):
                tt = self.ch(["int", "float"]) if t == "num" else t
                parts.append(E(tt, d))
            out = parts[0]
            for p in parts[1:]:
                out += " %s %s" % (cmp(), p)
            return "(%s)" % out
        if k == 4:
            return "(%s in %s)" % self.ch([(E("str", d), E("str", d)), (E("int", d), E("lint", d)),
                                           (E("str", d), E("dict", d)), (E("int", d), E("set", d)),
                                           (E("str", d), E("lstr", d))])
        if k == 5:
            return "(not %s)" % E("bool", d)
        if k == 6:
            return "(%s %s %s)" % (E("bool", d), self.ch(["and", "or"]), E("bool", d))
        if k == 7:
            return "math.%s(%s)" % (self.ch(["isnan", "isinf", "isfinite"]), E("float", d))
        if k == 8:
            return "isinstance(%s, %s)" % (E(self.ch(TYPES), d), self.ch(["int", "str", "(int, float)", "bool", "list"]))
        if k == 9:
            return "bool(%s)" % E(self.ch(TYPES), d)
        if k == 10:
            return "(%s).%s(%s)" % (E("str", d), self.ch(["startswith", "endswith", "__contains__"]), E("str", d))
        if k == 11:
            return "(%s == %s)" % self.ch([(E("lint", d), E("lint", d)), (E("tup", d), E("tup", d)),
                                           (E("dict", d), E("dict", d)), (E("set", d), E("set", d))])
        return "(%s %s %s)" % (E("tup", d), self.ch(["<", ">=", "=="]), E("tup", d))

    def e_str(self, d):
        E = self.E
        k = self.ri(0, 15)
        if k <= 2:
            return "(%s + %s)" % (E("str", d), E("str", d))
        if k == 3:
            a, b = self.ri(-4, 4), self.ri(-4, 6)
            return "%s[%s:%s%s]" % (E("str", d), a if self.r() < 0.7 else "", b if self.r() < 0.7 else "",
                                     self.ch(["", "", ":-1", ":2"]))
        if k == 4:
            return "(%s).%s()" % (E("str", d), self.ch(["upper", "lower", "strip", "title", "swapcase", "casefold"]))
        if k == 5:
            return "(%s).replace(%s, %s)" % (E("str", d), self.ch(STRS[1:]), self.ch(STRS))
        if k == 6:
            return "%s(%s)" % (self.ch(["str", "repr", "ascii"]), E(self.ch(TYPES), d))
        if k == 7:
            inner = [E("int", d), E("float", d), E("str", d)]
            if any('"' in x or "\\" in x or "{" in x or "}" in x for x in inner):
                return "str(%s)" % inner[0]
            return 'f"{%s}:{%s!r}:{%s:>6}"' % tuple(inner)
        if k == 8:
            return "%s.join(%s)" % (self.ch(["'-'", "''", "', '"]), E("lstr", d))
        if k == 9:
            return "(%s * %d)" % (E("str", d), self.ri(0, 3))
        if k == 10:
            return "format(%s, %s)" % (E("float", d), self.ch(["'.3g'", "'+.2f'", "'e'", "''"]))
        if k == 11:
            return "'%%d/%%s' %% (%s, %s)" % (E("int", d), E("str", d))
        if k == 12:
            return "(%s).decode('latin-1')" % E("bytes", d)
        if k == 13:
            return "chr(65 + %s %% 26)" % E("int", d)
        if k == 14:
            return "%s(%s)" % (self.ch(["hex", "bin", "oct"]), E("int", d))
        return "(%s).partition(%s)[%d]" % (E("str", d), self.ch(STRS[1:]), self.ri(0, 2))

    def e_bytes(self, d):
        E = self.E
        k = self.ri(0, 7)
        if k <= 1:
            return "(%s + %s)" % (E("bytes", d), E("bytes", d))
        if k == 2:
            return "%s[%d:%d]" % (E("bytes", d), self.ri(-3, 2), self.ri(-1, 5))
        if k == 3:
            return "(%s).encode(%s)" % (E("str", d), self.ch(["'utf-8'", "'utf-16-le'", "'latin-1'"]))
        if k == 4:
            return "bytes([x & 255 for x in %s])" % E("lint", d)
        if k == 5:
            return "((%s) & 0xffff).to_bytes(2, %s)" % (E("int", d), self.ch(["'big'", "'little'"]))
        if k == 6:
            return "(%s * %d)" % (E("bytes", d), self.ri(0, 3))
        return "b'%%d:%%s' %% (%s, %s)" % (E("int", d), E("bytes", d))

    def e_lint(self, d):
        E = self.E
        k = self.ri(0, 11)
        if k <= 1:
            return "[%s]" % ", ".join(E("int", d) for _ in range(self.ri(1, 3)))
        if k == 2:
            return "(%s + %s)" % (E("lint", d), E("lint", d))
        if k == 3:
            return "sorted(%s%s)" % (E("lint", d), self.ch(["", ", reverse=True", ", key=abs"]))
        if k == 4:
            return "%s[%d:%d]" % (E("lint", d), self.ri(-3, 1), self.ri(-1, 4))
        if k == 5:
            return "[x %s %s for x in %s if %s]" % (self.ch(["+", "*", "-", "//", "%"]), self.nz(), E("lint", d),
                                                  self.ch(["x", "x % 2", "x > 0", "True", "x != 7"]))
        if k == 6:
            return "list(range(%d, %d, %d))" % (self.ri(-5, 5), self.ri(-5, 20), self.ch([1, 2, 3, -1]))
        if k == 7:
            return "sorted(%s)" % E("set", d)
        if k == 8:
            return "[len(s) for s in %s]" % E("lstr", d)
        if k == 9:
            return "list(%s(abs, %s))" % (self.ch(["map"]), E("lint", d))
        if k == 10:
            return "[*%s, *%s]" % (E("lint", d), E("tup", d))
        return "list(%s.values())" % E("dict", d)

    def e_lstr(self, d):
        E = self.E
        k = self.ri(0, 6)
        if k <= 1:
            return "[%s]" % ", ".join(E("str", d) for _ in range(self.ri(1, 3)))
        if k == 2:
            return "(%s).split(%s)" % (E("str", d), self.ch(["", "','", "' '", "'a'"]))
        if k == 3:
            return "sorted(%s)" % E("lstr", d)
        if k == 4:
            return "list(%s)" % E("dict", d)
        if k == 5:
            return "[s.upper() for s in %s]" % E("lstr", d)
        return "[str(x) for x in %s]" % E("lint", d)

    def e_tup(self, d):
        E = self.E
        k = self.ri(0, 5)
        if k <= 1:
            return "(%s)" % "".join(E("int", d) + ", " for _ in range(self.ri(1, 3)))
        if k == 2:
            return "tuple(%s)" % E("lint", d)
        if k == 3:
            return "(%s + %s)" % (E("tup", d), E("tup", d))
        if k == 4:
            return "%s[%d:]" % (E("tup", d), self.ri(-2, 2))
        return "divmod(%s, %s)" % (E("int", d), self.nz())

    def e_dict(self, d):
        E = self.E
        k = self.ri(0, 5)
        if k <= 1:
            return "{%s}" % ", ".join("%s: %s" % (E("str", d), E("int", d)) for _ in range(self.ri(1, 3)))
        if k == 2:
            return "dict(zip(%s, %s))" % (E("lstr", d), E("lint", d))
        if k == 3:
            return "{s: len(s) for s in %s}" % E("lstr", d)
        if k == 4:
            return "(%s | %s)" % (E("dict", d), E("dict", d))
        return "dict.fromkeys(%s, %s)" % (E("lstr", d), E("int", d))

    def e_set(self, d):
        E = self.E
        k = self.ri(0, 4)
        if k == 0:
            return "{%s}" % ", ".join(E("int", d) for _ in range(self.ri(1, 3)))
        if k == 1:
            return "set(%s)" % E("lint", d)
        if k == 2:
            return "(%s %s %s)" % (E("set", d), self.ch(["&", "|", "-", "^"]), E("set", d))
        if k == 3:
            return "{x %% 11 for x in %s}" % E("lint", d)
        return "set(%s)" % E("tup", d)

    # -- statements of random functions ----------------------------------

    def bound(self, t, e):
        """Keep values that a loop updates from growing without limit."""
        if t == "int":
            # each a real bound whatever the sign (not >> or min: a
            # pow(v, 4) in a loop would still grow without limit)
            return self.ch(["(%s) & 0xfffffffffffffffff", "(%s) %% 1000003", "(%s) %% 2**64 - 2**63"]) % e
        if t in ("str", "bytes", "lint", "lstr", "tup"):
            return "(%s)[:24]" % e
        return e

    def stmts(self, indent, n, loops, budget):
        out = []
        for _ in range(n):
            out += self.stmt(indent, loops, budget)
        return out or [indent + "pass"]

    def block(self, indent, n, loops, budget):
        self.scope = Scope(self.scope)
        try:
            return self.stmts(indent + "    ", n, loops, budget)
        finally:
            self.scope = self.scope.parent

    def stmt(self, ind, loops, budget):
        k = self.ri(0, 19)
        sc = self.scope
        if budget <= 0:
            k = self.ch([0, 1, 2])
        if k <= 3:
            t = self.ch(TYPES)
            existing = sc.of(t, writable=True)
            if existing and (loops or self.r() < 0.4):
                name = self.ch(existing)
                e = self.E(t)
                if loops:
                    e = self.bound(t, e)
                return ["%s%s = %s" % (ind, name, e)]
            name = self.fresh()
            line = "%s%s = %s" % (ind, name, self.E(t))
            sc.vars[name] = t
            return [line]
        if k == 4:
            t = self.ch(["int", "float", "str", "lint", "set"])
            vs = sc.of(t, writable=True)
            if not vs:
                return self.stmt(ind, loops, budget)
            v = self.ch(vs)
            op = {"int": ["+=", "-=", "*=", "^=", "|=", "&=", "//=", "%=", "<<=", ">>="],
                  "float": ["+=", "-=", "*=", "/="], "str": ["+="], "lint": ["+="],
                  "set": ["|=", "&=", "-=", "^="]}[t]
            op = self.ch(op)
            if op in ("//=", "%=", "/="):
                rhs = self.nz()
            elif op in ("<<=", ">>="):
                rhs = str(self.ri(0, 40))
            elif op == "*=" and t == "int":
                rhs = self.ch(SMALL_INTS + ["2**31", "-2**62"])
            else:
                rhs = self.E(t)
            out = ["%s%s %s %s" % (ind, v, op, rhs)]
            if loops and t != "float":
                out.append("%s%s = %s" % (ind, v, self.bound(t, v)))
            return out
        if k <= 6:
            out = ["%sif %s:" % (ind, self.E("bool"))]
            out += self.block(ind, self.ri(1, 3), loops, budget - 2)
            if self.r() < 0.3:
                out.append("%selif %s:" % (ind, self.E("bool")))
                out += self.block(ind, self.ri(1, 2), loops, budget - 2)
            if self.r() < 0.5:
                out.append("%selse:" % ind)
                out += self.block(ind, self.ri(1, 2), loops, budget - 2)
            return out
        if k <= 8 and loops < 2:
            var = self.fresh("k")
            self.scope = Scope(self.scope)
            if self.r() < 0.5:
                head = "%sfor %s in range(%d):" % (ind, var, self.ri(0, 9))
                self.scope.vars[var] = "int"
                self.scope.ro.add(var)
            else:
                t = self.ch(["lint", "lstr", "str", "tup", "set", "dict"])
                head = "%sfor %s in %s:" % (ind, var, self.E(t))
                self.scope.vars[var] = {"lint": "int", "lstr": "str", "str": "str", "tup": "int",
                                        "set": "int", "dict": "str"}[t]
                self.scope.ro.add(var)
            try:
                out = [head]
                body = self.stmts(ind + "    ", self.ri(1, 3), loops + 1, budget - 3)
                if self.r() < 0.4:
                    body.append("%s    if %s:" % (ind, self.E("bool")))
                    body.append("%s        %s" % (ind, self.ch(["break", "continue"])))
                out += body
            finally:
                self.scope = self.scope.parent
            if self.r() < 0.3:
                out.append("%selse:" % ind)
                out += self.block(ind, 1, loops, budget - 2)
            return out
        if k == 9 and loops < 2:
            var = self.fresh("w")
            out = ["%s%s = 0" % (ind, var), "%swhile %s < %d:" % (ind, var, self.ri(1, 8)),
                   "%s    %s += 1" % (ind, var)]
            self.scope = Scope(self.scope)
            self.scope.vars[var] = "int"
            self.scope.ro.add(var)
            try:
                out += self.stmts(ind + "    ", self.ri(1, 2), loops + 1, budget - 3)
            finally:
                self.scope = self.scope.parent
            return out
        if k == 10:
            out = ["%stry:" % ind]
            out += self.block(ind, self.ri(1, 3), loops, budget - 2)
            ex = self.ch(["ZeroDivisionError", "(ValueError, OverflowError)", "Exception",
                          "(IndexError, KeyError)", "TypeError", "ArithmeticError"])
            name = self.fresh("e")
            out.append("%sexcept %s as %s:" % (ind, ex, name))
            out.append("%s    trace.append(exc(%s))" % (ind, name))
            if self.r() < 0.3:
                out.append("%selse:" % ind)
                out.append("%s    trace.append('else')" % ind)
            if self.r() < 0.4:
                out.append("%sfinally:" % ind)
                out.append("%s    trace.append('finally')" % ind)
            return out
        if k == 11:
            return ["%strace.append(%s)" % (ind, self.E(self.ch(TYPES)))]
        if k == 12:
            ints = sc.of("int", writable=True)
            if len(ints) >= 2:
                a, b = self.rng.sample(ints, 2)
                return ["%s%s, %s = %s, %s" % (ind, a, b, b, a)]
            name, rest = self.fresh(), self.fresh()
            sc.vars[name] = "int"
            sc.vars[rest] = "lint"
            return ["%s%s, *%s = %s + [%s]" % (ind, name, rest, self.E("lint"), self.ch(INTS))]
        if k == 13 and self.funcs and not loops:
            fname, params = self.ch(self.funcs)
            args = ", ".join(self.E(t) for t in params)
            name = self.fresh()
            sc.vars[name] = "tup"
            return ["%s%s = %s(%s)[:3]" % (ind, name, fname, args)]
        if k == 14:
            t = self.ch(["int", "str", "float"])
            name = self.fresh()
            sc.vars[name] = t
            return ["%sif (%s := %s) %s %s:" % (ind, name, self.E(t), self.ch(["==", "!=", "<"]), self.E(t)),
                    "%s    trace.append(%s)" % (ind, name)]
        if k == 15:
            name = self.fresh()
            sc.vars[name] = "lint"
            return ["%s%s = [%s for %s in %s if %s]" % (
                ind, name, self.ch(["q", "q * 2", "-q", "q % 7", "q >> 1"]), "q", self.E("lint"),
                self.ch(["q", "q > 1", "q % 3 == 0", "True"]))]
        if k == 16:
            d = sc.of("dict")
            if not d:
                return self.stmt(ind, loops, budget)
            dv = self.ch(d)
            return ["%s%s[%s] = %s.get(%s, 0) + 1" % (ind, dv, self.E("str"), dv, self.E("str"))]
        if k == 17:
            name = self.fresh("g")
            sc.vars[name] = "int"
            return ["%s%s = sum(%s for q in %s if q %s)" % (ind, name, self.ch(["q", "q * q", "1"]),
                                                           self.E("lint"), self.ch(["> 0", "< 3", "!= 2"]))]
        if k == 18:
            return ["%sassert %s, %s" % (ind, self.ch(["True", self.E("bool")]), self.E("str"))]
        return ["%strace.append(%s)" % (ind, self.E(self.ch(["int", "float", "bool", "str"])))]

    def random_func(self, name):
        nparams = self.ri(1, 3)
        params = [self.ch(TYPES) for _ in range(nparams)]
        pnames = ["p%d" % i for i in range(nparams)]
        old = self.scope
        self.scope = Scope()
        for p, t in zip(pnames, params):
            self.scope.vars[p] = t
        lines = ["def %s(%s):" % (name, ", ".join(pnames)), "    trace = []"]
        lines += self.stmts("    ", self.ri(3, 8), 0, 12)
        rets = sorted(self.scope.vars)[:6]
        lines.append("    return (%s, trace[:8])" % ", ".join(rets))
        self.scope = old
        return lines, params

    def arg_values(self, t):
        """A list literal of values of type t, sometimes one of another type."""
        old = self.scope
        self.scope = Scope()
        vals = [self.lit(t) if self.r() < 0.5 else self.E(t) for _ in range(self.ri(2, 5))]
        if self.r() < 0.15:
            vals.append(self.lit(self.ch(TYPES)))
        self.scope = old
        return "[%s]" % ", ".join(vals)

    def guarded_assign(self, name, value):
        return ["try:", "    %s = %s" % (name, value), "except Exception as e:",
                "    %s = [exc(e)]" % name]

    def driver(self, name, call, n=None, label=None, in_func=None):
        """Lines that call `call` (an expression of i) n times and record it."""
        n = n or self.iters()
        label = label or name
        if in_func is None:
            in_func = self.r() < 0.4
        body = ["rec = Rec(%r)" % label,
                "for i in range(%d):" % n,
                "    try:",
                "        r = %s" % call,
                "    except Exception as e:",
                "        r = exc(e)",
                "    rec.add(r)",
                "rec.done()"]
        if in_func:
            fn = "main_%s" % name
            return ["def %s():" % fn] + ["    " + l for l in body] + ["%s()" % fn]
        return body

    # -- families ---------------------------------------------------------

    def fam_random(self, s):
        out = []
        names = []
        for j in range(self.ri(1, 3)):
            fname = "f%s_%d" % (s, j)
            lines, params = self.random_func(fname)
            out += lines
            self.funcs.append((fname, params))
            names.append((fname, params))
        fname, params = names[-1]
        lists = []
        for k, t in enumerate(params):
            vname = "A%s_%d" % (s, k)
            out += self.guarded_assign(vname, self.arg_values(t))
            if self.r() < 0.25:
                out += self.guarded_assign(vname + "B", self.arg_values(self.ch(TYPES)))
                lists.append("(%s if i < 40 else %sB)[i %% len(%sB)]" % (vname, vname, vname))
            else:
                lists.append("%s[i %% len(%s)]" % (vname, vname))
        out += self.driver(fname, "%s(%s)" % (fname, ", ".join(lists)))
        return out

    def fam_gen(self, s):
        out = []
        mul = self.ch(SMALL_INTS + ["2**30", "2**62"])
        lim = self.ri(1, 6)
        out += [
            "def g%s(n, lim):" % s,
            "    tot = 0",
            "    for k in range(n):",
            "        if k > lim:",
            "            %s" % self.ch(["break", "return ('early', tot)"]),
            "        tot += k",
            "        got = yield k * %s" % mul,
            "        if got is not None:",
            "            tot += len(got)",
            "    else:",
            "        tot = -tot",
            "    return tot",
            "def d%s(n, lim):" % s,
            "    r = yield from g%s(n, lim)" % s,
            "    yield ('ret', r)",
            "    return r",
            "def drive%s(i):" % s,
            "    out = []",
            "    g = d%s(i %% 7, i %% %d)" % (s, lim),
            "    try:",
            "        v = next(g)",
            "        while True:",
            "            out.append(v)",
            "            v = g.send([v] * (i % 3)) if i % 2 else next(g)",
            "    except StopIteration as e:",
            "        out.append(('stop', e.value))",
            "    return out",
        ]
        variant = self.ri(0, 3)
        if variant == 0:
            out += [
                "def ge%s(xs):" % s,
                "    a = sum(x * 2 for x in xs if x % 3)",
                "    b = list(x for x in xs)[:%d]" % self.ri(1, 4),
                "    c = next((x for x in xs if x > %d), None)" % self.ri(0, 9),
                "    d = any(x > 5 for x in xs), all(x >= 0 for x in xs)",
                "    return a, b, c, d, max((x for x in xs), default=-1)",
            ]
            call = "(drive%s(i), ge%s(list(range(i %% 9))))" % (s, s)
        elif variant == 1:
            out += [
                "def gt%s(n):" % s,
                "    log = []",
                "    try:",
                "        for k in range(n):",
                "            try:",
                "                x = yield k",
                "            except ValueError as e:",
                "                log.append(('caught', str(e)))",
                "                x = yield -k",
                "            log.append(x)",
                "    finally:",
                "        log.append('closed')",
                "        LOG%s.append(len(log))" % s,
                "    return log",
                "LOG%s = []" % s,
                "def drivet%s(i):" % s,
                "    g = gt%s(i %% 5 + 2)" % s,
                "    r = [next(g), g.send(i)]",
                "    try:",
                "        r.append(g.throw(ValueError('v%d' % i)))",
                "        r.append(g.send((i, i)))",
                "    except StopIteration as e:",
                "        r.append(('stop', e.value))",
                "    if i % 3:",
                "        g.close()",
                "    r.append((g.gi_running, g.gi_suspended, g.gi_frame is None))",
                "    del g",
                "    r.append(LOG%s[-3:])" % s,
                "    return r",
            ]
            call = "(drive%s(i), drivet%s(i))" % (s, s)
        elif variant == 2:
            out += [
                "def gx%s(n):" % s,
                "    acc = []",
                "    for k in range(n):",
                "        v = [k, (yield k), str(k)]",
                "        w = k + (yield (k, v[1]))",
                "        acc.append((v, w))",
                "    return acc",
                "def drivex%s(i):" % s,
                "    g = gx%s(i %% 4 + 1)" % s,
                "    out = [next(g)]",
                "    try:",
                "        j = 0",
                "        while True:",
                "            j += 1",
                "            out.append(g.send(j * %s))" % self.ch(["1", "2**62", "-1", "0.5", "'s'"]),
                "    except (StopIteration, TypeError) as e:",
                "        out.append(exc(e) if isinstance(e, TypeError) else e.value)",
                "    return out",
            ]
            call = "(drive%s(i), drivex%s(i))" % (s, s)
        else:
            out += [
                "def walk%s(t):" % s,
                "    if isinstance(t, list):",
                "        for c in t:",
                "            yield from walk%s(c)" % s,
                "    else:",
                "        yield t",
                "def tree%s(n):" % s,
                "    return [n, [n + 1, [n * 2]], [[n - 1]]] if n < 50 else [n]",
                "def drivew%s(i):" % s,
                "    it = walk%s(tree%s(i))" % (s, s),
                "    first = next(it)",
                "    rest = [x for x in it if x %% %d]" % self.ri(2, 4),
                "    for x in walk%s([i, [i]]):" % s,
                "        if x > 100:",
                "            break",
                "    else:",
                "        rest.append('no-break')",
                "    return first, rest",
            ]
            call = "(drive%s(i), drivew%s(i))" % (s, s)
        out += self.driver("gen" + s, call)
        return out

    def fam_gcgen(self, s):
        """Generators suspended (and running) while the collector runs."""
        sent = self.ch(["{'k': i}", "[i, [i]]", "(i, str(i))", "i * 2**40", "float(i)", "None", "{i, -i}"])
        yexpr = self.ch(["(k, tmp)", "tmp", "k", "[k, tmp, len(tmp)]"])
        out = [
            "HOLD%s = [None]" % s,
            "def gc%s(n):" % s,
            "    acc = []",
            "    for k in range(n):",
            "        tmp = [k, str(k), (k,)]",
            "        x = yield %s" % yexpr,
            "        acc.append(type(x).__name__)",
        ]
        if self.r() < 0.7:
            out += [
                "        if k %% %d == 1:" % self.ri(2, 3),
                "            gc.collect(%d)" % self.ch([0, 0, 1, 2]),
                "            me = HOLD%s[0]" % s,
                "            acc.append(len(gc.get_referents(me)) if me is not None else -1)",
                "            acc.append(typenames(gc.get_referents(me)) if me is not None else -1)",
                "            del me",
            ]
        if self.r() < 0.5:
            out += [
                "        y = (k, [tmp, (yield [x, k])], 'z')",
                "        acc.append(len(y))",
            ]
        out += [
            "        del x",
            "    return acc",
            "def gcdrive%s(i):" % s,
            "    g = gc%s(i %% 6 + 1)" % s,
            "    HOLD%s[0] = g" % s,
            "    res = [next(g)]",
            "    gc.collect(%d)" % self.ch([0, 0, 1, 2]),
            "    res.append(typenames(gc.get_referents(g)))",
            "    res.append(sorted(g.gi_frame.f_locals))",
            "    try:",
            "        while True:",
            "            res.append(g.send(%s))" % sent,
            "            if i % 4 == 0:",
            "                gc.collect(0)",
            "                res.append(len(gc.get_referents(g)))",
            "    except StopIteration as e:",
            "        res.append(e.value)",
            "    HOLD%s[0] = None" % s,
            "    res.append(g.gi_frame is None)",
            "    return res",
            "class Node%s:" % s,
            "    def __init__(self, v):",
            "        self.v = v",
            "        self.me = self",
            "import weakref",
            "def cyc%s(i):" % s,
            "    def gen():",
            "        n = Node%s(i)" % s,
            "        r = weakref.ref(n)",
            "        yield r",
            "        del n",
            "        yield r",
            "    g = gen()",
            "    r = next(g)",
            "    alive1 = r() is not None",
            "    next(g)",
            "    gc.collect()",
            "    alive2 = r() is not None",
            "    return alive1, alive2, sum(1 for _ in g)",
        ]
        # cyc: a full collection (a young generation's may not hold the
        # cycle if an automatic collection, whose timing depends on
        # allocation counts, promoted it); so only every 8th call
        out += self.driver("gcgen" + s, "(gcdrive%s(i), cyc%s(i) if i %% 8 == 0 else None)" % (s, s))
        return out

    def fam_exc(self, s):
        exc1 = self.ch(["ValueError", "KeyError", "TypeError", "RuntimeError"])
        out = [
            "LOG%s = []" % s,
            "class CM%s:" % s,
            "    def __init__(self, tag, swallow):",
            "        self.tag = tag",
            "        self.swallow = swallow",
            "    def __enter__(self):",
            "        LOG%s.append(('enter', self.tag))" % s,
            "        return self",
            "    def __exit__(self, et, ev, tb_):",
            "        LOG%s.append(('exit', self.tag, et.__name__ if et else None))" % s,
            "        return self.swallow",
            "def inner%s(x):" % s,
            "    if x %% %d == 0:" % self.ri(2, 4),
            "        raise %s('bad %%d' %% x)" % exc1,
            "    if x %% %d == 0:" % self.ri(3, 7),
            "        return 1 // (x - x)",
            "    if x % 11 == 0:",
            "        return [][x]",
            "    return x * %s" % self.ch(INTS),
            "def mid%s(x):" % s,
            "    r = 'unset'",
            "    try:",
            "        with CM%s(x, x %% %d == 0):" % (s, self.ri(2, 5)),
            "            r = inner%s(x)" % s,
            "    finally:",
            "        LOG%s.append('fin')" % s,
            "    return r",
            "def outer%s(x):" % s,
            "    try:",
            "        v = mid%s(x)" % s,
            "    except %s as e:" % exc1,
            "        return ('caught', exc(e), tb(e))",
            "    except ZeroDivisionError as e:",
            "        try:",
            "            raise OverflowError('wrapped') from e",
            "        except OverflowError as e2:",
            "            return ('chain', exc(e2), type(e2.__cause__).__name__, tb(e2))",
            "    else:",
            "        return ('ok', v)",
            "    finally:",
            "        del LOG%s[:-4]" % s,
        ]
        v = self.ri(0, 2)
        if v == 0:
            out += [
                "def fin%s(x):" % s,
                "    for k in range(3):",
                "        try:",
                "            if k == x % 3:",
                "                continue",
                "            if x % 5 == k:",
                "                break",
                "        finally:",
                "            LOG%s.append(('f', k))" % s,
                "    try:",
                "        return x",
                "    finally:",
                "        if x % 7 == 0:",
                "            return -x",
            ]
        elif v == 1:
            out += [
                "def fin%s(x):" % s,
                "    try:",
                "        try:",
                "            outer%s(x)" % s,
                "            raise KeyError(x)",
                "        except KeyError:",
                "            if x % 2:",
                "                raise",
                "            return 'handled'",
                "    except KeyError as e:",
                "        return ('reraised', exc(e), len(tb(e)), type(e.__context__).__name__)",
            ]
        else:
            out += [
                "def deep%s(n, x):" % s,
                "    if n == 0:",
                "        return inner%s(x)" % s,
                "    return deep%s(n - 1, x) + 1" % s,
                "def fin%s(x):" % s,
                "    try:",
                "        return deep%s(x %% 5, x)" % s,
                "    except Exception as e:",
                "        return ('deep', exc(e), [n for n, l in tb(e)], [l for n, l in tb(e)][-1])",
            ]
        out += self.driver("exc" + s, "(outer%s(i), fin%s(i), LOG%s[-3:])" % (s, s, s))
        return out

    def fam_closure(self, s):
        out = [
            "def mk%s(n):" % s,
            "    cnt = n",
            "    def inc(k=1):",
            "        nonlocal cnt",
            "        cnt += k",
            "        return cnt",
            "    def get():",
            "        return cnt",
            "    fs = [lambda x, j=j: x + j * cnt for j in range(3)]",
            "    late = [lambda: j for j in range(3)]",
            "    return inc, get, fs, late",
            "def use%s(i):" % s,
            "    inc, get, fs, late = mk%s(i)" % s,
            "    a = inc()",
            "    b = inc(%s)" % self.ch(SMALL_INTS + ["2**62"]),
            "    return a, b, get(), [f(i) for f in fs], [f() for f in late]",
            "def deleted%s(i):" % s,
            "    x = i",
            "    def read():",
            "        return x",
            "    r1 = read()",
            "    if i % 4 == 0:",
            "        del x",
            "    try:",
            "        return r1, read()",
            "    except NameError as e:",
            "        return r1, exc(e)",
            "def counter%s():" % s,
            "    total = 0",
            "    def add(v):",
            "        nonlocal total",
            "        total += v",
            "        return total",
            "    return add",
            "ADD%s = counter%s()" % (s, s),
        ]
        out += self.driver("clo" + s, "(use%s(i), deleted%s(i), ADD%s(%s))" % (
            s, s, s, self.ch(["i", "i * 2**29", "-i", "1.5"])))
        return out

    def fam_comp(self, s):
        old = self.scope
        self.scope = Scope()
        self.scope.vars["i"] = "int"
        self.scope.vars["x"] = "int"
        self.scope.vars["xs"] = "lint"
        e1 = self.E("int")
        e2 = self.E("bool")
        self.scope = old
        out = [
            "def comp%s(i):" % s,
            "    xs = list(range(i %% %d))" % self.ri(3, 12),
            "    a = [x * x for x in xs if x %% 2 == %d]" % self.ri(0, 1),
            "    b = {x: [y for y in range(x) if y != x // 2] for x in xs}",
            "    c = {(x, y) for x in xs for y in xs if x < y}",
            "    d = [[x + y for y in range(3)] for x in xs[:3]]",
            "    e = [z for x in xs if (z := x * 3) > 4]",
            "    f = sorted({x % 5 for x in xs}, reverse=True)",
            "    g = {k: v for k, v in zip('abcdef', xs)}",
            "    try:",
            "        h = [%s for x in xs]" % e1,
            "    except Exception as ex:",
            "        h = exc(ex)",
            "    try:",
            "        w = [x for x in xs if %s]" % e2,
            "    except Exception as ex:",
            "        w = exc(ex)",
            "    return a, len(b), sorted(c)[:4], d, e, f, g, h, w[:5]",
        ]
        out += self.driver("comp" + s, "comp%s(i)" % s)
        return out

    def fam_cls(self, s):
        v = self.ri(0, 3)
        base = [
            "class Base%s:" % s,
            "    kind = 'base'",
            "    def __init__(self, x):",
            "        self._x = x",
            "    @property",
            "    def x(self):",
            "        return self._x",
            "    @x.setter",
            "    def x(self, v):",
            "        if v is None:",
            "            raise ValueError('none')",
            "        self._x = v",
            "    def val(self):",
            "        return self._x * 2",
            "    def __repr__(self):",
            "        return '%s(%r)' % (type(self).__name__, self._x)",
            "    def __add__(self, o):",
            "        if isinstance(o, Base%s):" % s,
            "            return type(self)(self._x + o._x)",
            "        if isinstance(o, (int, float)):",
            "            return type(self)(self._x + o)",
            "        return NotImplemented",
            "    def __eq__(self, o):",
            "        return isinstance(o, Base%s) and self._x == o._x" % s,
            "    def __lt__(self, o):",
            "        return self._x < o._x",
            "    __hash__ = None",
            "class Sub%s(Base%s):" % (s, s),
            "    kind = 'sub'",
            "    def __init__(self, x, y=%s):" % self.ch(SMALL_INTS),
            "        super().__init__(x)",
            "        self.y = y",
            "    def val(self):",
            "        return super().val() + self.y",
            "    def __radd__(self, o):",
            "        return ('radd', o)",
            "class Slot%s:" % s,
            "    __slots__ = ('a', 'b')",
            "    def __init__(self, a):",
            "        self.a = a",
            "    def get(self):",
            "        try:",
            "            return self.a, self.b",
            "        except AttributeError as e:",
            "            return exc(e)",
            "class Dyn%s:" % s,
            "    def __init__(self):",
            "        self.real = 1",
            "    def __getattr__(self, name):",
            "        if name.startswith('v'):",
            "            return len(name)",
            "        raise AttributeError(name)",
            "def use%s(i):" % s,
            "    b = Base%s(i)" % s,
            "    c = Sub%s(i * %s)" % (s, self.ch(["2", "2**31", "-1", "0.5"])),
            "    s = Slot%s(i)" % s,
            "    if i % 3 == 0:",
            "        s.b = -i",
            "    try:",
            "        c.x = None if i % 7 == 0 else i + 1",
            "    except ValueError as e:",
            "        c.y = exc(e)",
            "    objs = [b, c, b + c, c + b, b + i, c + 1.5, sorted([c, b])]",
            "    try:",
            "        objs.append(b + 'str')",
            "    except TypeError as e:",
            "        objs.append(exc(e))",
            "    d = Dyn%s()" % s,
            "    objs.append((d.real, d.value, getattr(d, 'other', 'dflt')))",
            "    return objs, b.val(), c.val(), c.kind, s.get(), b == c, b == Base%s(i)" % s,
        ]
        out = base
        if v == 0:
            # class attributes and methods changed after warm-up
            out += [
                "def newval%s(self):" % s,
                "    return -self._x",
                "def mut%s(i):" % s,
                "    if i == %d:" % self.ri(30, 70),
                "        Base%s.val = newval%s" % (s, s),
                "        Base%s.kind = 'changed'" % s,
                "    if i == %d:" % self.ri(71, 110),
                "        del Base%s.val" % s,
                "    try:",
                "        return use%s(i)" % s,
                "    except AttributeError as e:",
                "        return exc(e)",
            ]
            call = "mut%s(i)" % s
        elif v == 1:
            # __class__ swapped
            out += [
                "class Other%s(Base%s):" % (s, s),
                "    def val(self):",
                "        return 'other'",
                "def swap%s(i):" % s,
                "    o = Base%s(i)" % s,
                "    r = [o.val()]",
                "    if i %% %d == 0:" % self.ri(2, 5),
                "        o.__class__ = Other%s" % s,
                "    r.append(o.val())",
                "    r.append(type(o).__name__)",
                "    return r, use%s(i)" % s,
            ]
            call = "swap%s(i)" % s
        elif v == 2:
            out += [
                "class Meta%s(type):" % s,
                "    def __call__(cls, *a):",
                "        return ('meta', super().__call__(*a))",
                "class Deep%s(Sub%s):" % (s, s),
                "    def __init__(self, x):",
                "        super().__init__(x, y=x)",
                "    @staticmethod",
                "    def st(a, b=2):",
                "        return a * b",
                "    @classmethod",
                "    def cm(cls, v):",
                "        return cls.__name__, v",
                "def inh%s(i):" % s,
                "    d = Deep%s(i)" % s,
                "    return d.val(), d.st(i), d.cm(i), Deep%s.cm(1), isinstance(d, Base%s), use%s(i)" % (s, s, s),
            ]
            call = "inh%s(i)" % s
        else:
            out += [
                "class Cnt%s:" % s,
                "    n = 0",
                "    def __init__(self, v):",
                "        self.v = v",
                "        Cnt%s.n += 1" % s,
                "    def __iter__(self):",
                "        return iter(range(self.v % 5))",
                "    def __len__(self):",
                "        return self.v % 5",
                "    def __getitem__(self, k):",
                "        return k * self.v",
                "    def __bool__(self):",
                "        return self.v % 2 == 0",
                "    def __call__(self, *a, **k):",
                "        return len(a), sorted(k)",
                "def proto%s(i):" % s,
                "    c = Cnt%s(i)" % s,
                "    return list(c), len(c), c[3], bool(c), c(1, 2, z=3), Cnt%s.n, use%s(i)" % (s, s),
            ]
            call = "proto%s(i)" % s
        out += self.driver("cls" + s, call)
        return out

    def fam_unpack(self, s):
        out = [
            "def unp%s(i):" % s,
            "    xs = list(range(i %% %d))" % self.ri(3, 8),
            "    r = []",
            "    try:",
            "        a, b, c = xs",
            "        r.append((a, b, c))",
            "    except ValueError as e:",
            "        r.append(exc(e))",
            "    try:",
            "        first, *mid, last = xs",
            "        r.append((first, mid, last))",
            "    except ValueError as e:",
            "        r.append(exc(e))",
            "    (p, (q, *rest)), s = (i, [i + 1, i + 2, i + 3]), 's'",
            "    [u, v] = v2 = (%s, %s)" % (self.ch(INTS), self.ch(STRS)),
            "    u, v = v, u",
            "    r.append((p, q, rest, s, u, v, v2))",
            "    for k, (m, n) in enumerate(zip(xs, reversed(xs))):",
            "        r.append(k * m - n)",
            "    d = {'a': i, **{'b': 2}}",
            "    t = (*xs, *'ab', *d)",
            "    r.append(t)",
            "    r.append(call%s(*xs[:2], **d))" % s,
            "    x, y = divmod(i * %s, %s)" % (self.ch(INTS), self.nz()),
            "    r.append((x, y))",
            "    *init, = xs",
            "    r.append(init)",
            "    return r",
            "def call%s(*args, a=0, b=1, **kw):" % s,
            "    return args, a, b, kw",
        ]
        out += self.driver("unp" + s, "unp%s(i)" % s)
        return out

    def fam_num(self, s):
        vals = self.rng.sample(INTS, 6) + self.rng.sample(FLOATS, 4)
        ops = self.rng.sample(["a + b", "a - b", "a * b", "a // b", "a % b", "a / b", "divmod(a, b)",
                               "a ** 2", "a << 3", "a >> 1", "a & b", "a | b", "a ^ b", "-a", "~a",
                               "a < b < 2**63", "a == b", "a != b", "a <= b", "abs(a)", "int(a)",
                               "float(a)", "round(a)", "a == a", "min(a, b)", "max(b, a)",
                               "math.floor(a)", "a >= b > -2**62", "(a > b) + (a < b)",
                               "a * 2**32", "a - 2**63", "str(a)", "repr(b)", "bool(a)"], 10)
        out = ["VALS%s = [%s]" % (s, ", ".join(vals)),
               "def num%s(i):" % s,
               "    a = VALS%s[i %% len(VALS%s)]" % (s, s),
               "    b = VALS%s[(i * 7 + 3) %% len(VALS%s)]" % (s, s),
               "    r = []"]
        for op in ops:
            out += ["    try:",
                    "        r.append(%s)" % op,
                    "    except Exception as e:",
                    "        r.append(exc(e))"]
        out += ["    c = a",
                "    try:",
                "        c += b",
                "        c *= 3",
                "        c -= a",
                "        c //= 7",
                "    except Exception as e:",
                "        c = exc(e)",
                "    r.append(c)",
                "    return r"]
        # a typed hot loop over ints near the machine boundaries
        start = self.ch(["2**30 - 5", "2**62 - 3", "2**63 - 2", "-2**63 + 2", "-2**30 - 1", "0"])
        out += ["def loop%s(n):" % s,
                "    x = %s" % start,
                "    y = 0.0",
                "    acc = 0",
                "    for k in range(n % 12):",
                "        x += %s" % self.ch(["1", "-1", "k", "2**31", "-3"]),
                "        y -= 0.5 * k",
                "        acc ^= x",
                "        if x > %s or x == -x:" % self.ch(["2**62", "2**30", "0"]),
                "            acc += 1",
                "    return x, y, acc, x * y if y else -0.0"]
        out += self.driver("num" + s, "(num%s(i), loop%s(i))" % (s, s))
        return out

    def fam_strs(self, s):
        out = [
            "def sd%s(i):" % s,
            "    s = %s + str(i)" % self.ch(STRS),
            "    b = s.encode('utf-8')",
            "    d = {}",
            "    for k, ch in enumerate(s):",
            "        d[ch] = d.get(ch, 0) + k",
            "    d.setdefault('zz', []).append(i) if False else d.setdefault('zz', i)",
            "    st = set(b) | {i % 7}",
            "    r = [s.upper(), s[::-1], s.split('1'), s.find('2'), s.count('1'), s.rjust(8, '.'),",
            "         b[1:3], b.hex(), bytes(reversed(b)), b.replace(b'1', b'one'), list(d.items())[:4],",
            "         sorted(st)[:5], 3 in st, len(d), '-'.join(sorted(d)), s * (i % 3), s in 'xx' + s,",
            "         s.isdigit(), s.zfill(6), bytearray(b)[:2], {**d}.keys() & {'a', 'b'}]",
            "    try:",
            "        r.append(d.pop('nope'))",
            "    except KeyError as e:",
            "        r.append(exc(e))",
            "    del d['zz']",
            "    r.append(d.pop(s[0], None))",
            "    r.append(max(d, default=None))",
            "    fs = frozenset(s)",
            "    r.append((len(fs), 'a' in fs))",
            "    r.append(st - {1, 2, 3})",
            "    r.append(%s)" % self.E("str"),
            "    r.append(%s)" % self.E("dict"),
            "    r.append(%s)" % self.E("bytes"),
            "    return r",
        ]
        out += self.driver("strs" + s, "sd%s(i)" % s)
        return out

    def fam_rec(self, s):
        out = [
            "def fib%s(n):" % s,
            "    return n if n < 2 else fib%s(n - 1) + fib%s(n - 2)" % (s, s),
            "def even%s(n):" % s,
            "    return True if n == 0 else odd%s(n - 1)" % s,
            "def odd%s(n):" % s,
            "    return False if n == 0 else even%s(n - 1)" % s,
            "def down%s(n, lim):" % s,
            "    if n > lim:",
            "        raise RecursionError('too deep %d' % n)",
            "    if n % 5 == 4:",
            "        try:",
            "            return down%s(n + 1, lim) + 1" % s,
            "        except RecursionError as e:",
            "            return -len(tb(e))",
            "    return down%s(n + 1, lim) + 2" % s,
            "MEMO%s = {}" % s,
            "def memo%s(n):" % s,
            "    if n in MEMO%s:" % s,
            "        return MEMO%s[n]" % s,
            "    r = n if n < 2 else memo%s(n - 1) + memo%s(n - 2)" % (s, s),
            "    MEMO%s[n] = r" % s,
            "    return r",
            "def ack%s(m, n):" % s,
            "    if m == 0:",
            "        return n + 1",
            "    if n == 0:",
            "        return ack%s(m - 1, 1)" % s,
            "    return ack%s(m - 1, ack%s(m, n - 1))" % (s, s),
            "def rec%s(i):" % s,
            "    return (fib%s(i %% 12), even%s(i %% 23), down%s(0, i %% 17), memo%s(i %% 90 + 10), ack%s(1, i %% 8))" % (
                s, s, s, s, s),
        ]
        out += self.driver("rec" + s, "rec%s(i)" % s, n=self.ch([60, 80, 100]))
        return out

    def fam_rebind(self, s):
        n = self.iters()
        k1, k2, k3, k4 = sorted(self.rng.sample(range(20, n), 4))
        bname = self.ch(["len", "abs", "min", "max", "sorted", "isinstance"])
        fake = {"len": "lambda *a: -1", "abs": "lambda x: 'abs'", "min": "lambda *a, **k: 'min'",
                "max": "lambda *a, **k: 'max'", "sorted": "lambda *a, **k: ['fake']",
                "isinstance": "lambda a, b: 'inst'"}[bname]
        call_b = {"len": "len(xs)", "abs": "abs(x)", "min": "min(xs)", "max": "max(xs)",
                  "sorted": "sorted(xs)", "isinstance": "isinstance(x, int)"}[bname]
        out = [
            "def helper%s(x, y=%s):" % (s, self.ch(SMALL_INTS)),
            "    return x + y",
            "def other%s(x, y=100):" % s,
            "    return x * 2 - y",
            "G%s = %s" % (s, self.ch(INTS)),
            "def user%s(x):" % s,
            "    xs = [x, x + 1, -x]",
            "    return helper%s(x), G%s + x, %s" % (s, s, call_b),
            "def user2%s(x):" % s,
            "    return helper%s(x, 3), G%s" % (s, s),
            "def alt%s(x):" % s,
            "    return ('alt', x)",
            "def rb%s():" % s,
            "    global G%s, helper%s" % (s, s),
            "    rec = Rec('rebind%s')" % s,
            "    saved = builtins.%s" % bname,
            "    try:",
            "        for i in range(%d):" % n,
            "            if i == %d:" % k1,
            "                G%s = %s" % (s, self.ch(["'str'", "2.5", "2**64", "None", "[1]"])),
            "                builtins.%s = %s" % (bname, fake),
            "            if i == %d:" % k2,
            "                %s" % self.ch(["helper%s = other%s" % (s, s),
                                            "helper%s.__defaults__ = (%s,)" % (s, self.ch(INTS)),
                                            "helper%s.__code__ = other%s.__code__" % (s, s)]),
            "            if i == %d:" % k3,
            "                %s" % self.ch(["user%s.__code__ = alt%s.__code__" % (s, s),
                                            "del G%s" % s,
                                            "builtins.%s = saved" % bname,
                                            "G%s = i" % s]),
            "            if i == %d:" % k4,
            "                %s = %s" % (bname, self.ch(["lambda *a, **k: 'global'", "saved"])),
            "            try:",
            "                r = (user%s(i), user2%s(i))" % (s, s),
            "            except Exception as e:",
            "                r = exc(e)",
            "            rec.add(r)",
            "    finally:",
            "        builtins.%s = saved" % bname,
            "    rec.done()",
            "rb%s()" % s,
            "try:",
            "    del %s" % bname,
            "except NameError:",
            "    pass",
            "try:",
            "    show(user%s(5), user2%s(5))" % (s, s),
            "except Exception as e:",
            "    show(exc(e))",
        ]
        return out

    def fam_aug(self, s):
        out = [
            "class Box%s:" % s,
            "    def __init__(self):",
            "        self.n = %s" % self.ch(INTS),
            "        self.f = %s" % self.ch(FLOATS),
            "        self.l = [1, 2, 3]",
            "GL%s = 0" % s,
            "def aug%s(i):" % s,
            "    global GL%s" % s,
            "    b = Box%s()" % s,
            "    d = {'k': i, 'j': 0.5}",
            "    l = [i, -i, 2**62]",
            "    for k in range(%d):" % self.ri(1, 6),
            "        b.n += k",
            "        b.n *= %s" % self.ch(["-1", "3", "2**20"]),
            "        b.n >>= 2",
            "        b.f -= k * 0.25",
            "        b.l += [k]",
            "        b.l[0] -= 1",
            "        d['k'] ^= k + i",
            "        d['j'] /= 2",
            "        l[k % 3] <<= 1",
            "        l[1:2] += [k]",
            "        GL%s += k" % s,
            "        GL%s %%= 1000" % s,
            "    s = 'x'",
            "    s *= i % 4",
            "    s += 'y'",
            "    t = (1,)",
            "    t += (i,)",
            "    st = {1}",
            "    st |= {i % 5}",
            "    st -= {2}",
            "    try:",
            "        d['missing'] += 1",
            "    except KeyError as e:",
            "        d['err'] = exc(e)",
            "    x = i",
            "    x **= %d" % self.ri(0, 5),
            "    x //= %s" % self.nz(),
            "    x %%= %s" % self.nz(),
            "    y = float(i)",
            "    y **= 0.5",
            "    return b.n, b.f, b.l[:5], d, l[:6], GL%s, s, t, st, x, y" % s,
        ]
        out += self.driver("aug" + s, "aug%s(i)" % s)
        return out

    def fam_misc(self, s):
        out = [
            "def shape%s(v):" % s,
            "    match v:",
            "        case 0 | 1:",
            "            return 'small'",
            "        case int(x) if x < 0:",
            "            return ('neg', x)",
            "        case [a, b, *rest]:",
            "            return ('seq', a, b, len(rest))",
            "        case {'k': val}:",
            "            return ('map', val)",
            "        case str() as t:",
            "            return ('str', t[:3])",
            "        case _:",
            "            return ('other', type(v).__name__)",
            "def kw%s(a, /, b, *args, c=%s, d, **kw):" % (s, self.ch(SMALL_INTS)),
            "    return a, b, args, c, d, sorted(kw.items())",
            "def misc%s(i):" % s,
            "    vals = [i, -i, [i, 1], [i, 2, 3, 4], {'k': i}, str(i), float(i), None, (i,)]",
            "    r = [shape%s(v) for v in vals[i %% 3::3]]" % s,
            "    r.append(kw%s(i, 2, 3, 4, d=5, z=6))" % s,
            "    r.append(kw%s(i, b=1, d=2))" % s,
            "    try:",
            "        r.append(kw%s(i, 1))" % s,
            "    except TypeError as e:",
            "        r.append(exc(e))",
            "    f = lambda x, *, y=i: x * y",
            "    r.append(f(3, y=2) + f(1))",
            "    r.append(sorted(['b', 'A', 'c', str(i)], key=str.lower))",
            "    r.append(f'{i:>5}|{i * 0.5:.2f}|{i!r:^6}|{-i:+d}|{i:#x}')",
            "    try:",
            "        assert i % 9, 'nine %d' % i",
            "    except AssertionError as e:",
            "        r.append(exc(e))",
            "    r.append(getattr(r, 'nope', 'dflt'))",
            "    r.append(1 if i % 2 else 2 if i % 3 else 3)",
            "    r.append(i in range(10, 20) and not i > 15 or i == 3)",
            "    r.append(%s)" % self.E("int"),
            "    r.append(%s)" % self.E("bool"),
            "    return r",
        ]
        out += self.driver("misc" + s, "misc%s(i)" % s)
        return out


class Program:
    def __init__(self, seed, families, chunks):
        self.seed = seed
        self.families = families
        self.chunks = chunks          # list of lists of lines

    def header(self):
        return "# jitfuzz program, seed %d; families: %s\n" % (self.seed, " ".join(self.families))

    def text(self, chunks=None):
        chunks = self.chunks if chunks is None else chunks
        body = "\n".join("\n".join(c) for c in chunks if c)
        return self.header() + PRELUDE + body + "\n"


def generate(seed, families=None, nchunks=None, allowed=FAMILIES):
    """The program of `seed`: a Program (text() is the source).  Its
    chunks are of `families` if given, else 3-5 chosen from `allowed`
    (a program of a seed depends on `allowed` too)."""
    g = Gen(seed)
    if families is None:
        allowed = [f for f in FAMILIES if f in allowed]
        if not allowed:
            raise ValueError("no family allowed")
        n = nchunks or g.ri(3, 5)
        families = [g.ch(allowed) for _ in range(n)]
        # the random family is the broadest: at least one
        if "random" not in families and "random" in allowed:
            families[g.ri(0, n - 1)] = "random"
    chunks = []
    for idx, fam in enumerate(families):
        chunks.append(getattr(g, "fam_" + fam)("_%d" % idx))
    return Program(seed, list(families), chunks)


if __name__ == "__main__":
    import sys
    print(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 0).text(), end="")
