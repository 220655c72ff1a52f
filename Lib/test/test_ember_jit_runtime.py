"""The JIT's run time (Jit/runtime.c), the eval-loop hooks (patch
0009-jit-hooks) and the cinderjit module (docs/jit.md).

Each case runs a small script in a new process with the -X options it
needs (the JIT is switched on at start-up only); the script checks itself
with assert and prints what the test compares.

These tests do not depend on what the compiler produces: they observe the
run time through cinderjit.get_stats()['compiled_code_runs'] (calls that
entered compiled code) and is_jit_compiled(); results must be the
interpreter's exactly.  (They were first written against a stub compiler
whose code deoptimized at entry; what they check holds for any compiler.)
"""

import textwrap
import unittest
from test.support import script_helper


def run(code, *xopts, **env):
    args = []
    for x in xopts:
        args += ["-X", x]
    code = "import cinderjit, _ember, sys, gc\n" + textwrap.dedent(code)
    res = script_helper.assert_python_ok(*args, "-c", code, **env)
    return res.out.decode().strip()


def runs():
    """Snippet: calls that entered compiled code so far."""
    # _ember's own function: with -X jit-all, calling a cinderjit wrapper
    # (a Python function) is itself a run of compiled code.
    return "_ember._jit_stats()['compiled_code_runs']"


class CountingTests(unittest.TestCase):
    def test_threshold(self):
        out = run(f"""
            def f(x):
                return x * 2
            for i in range(4):
                assert f(i) == 2 * i
            assert not cinderjit.is_jit_compiled(f)
            before = {runs()}
            assert f(10) == 20                      # the 5th call compiles
            assert cinderjit.is_jit_compiled(f)
            assert {runs()} == before + 1, ({runs()}, before)
            assert f(11) == 22
            assert {runs()} == before + 2
            print(cinderjit.get_stats()['threshold'])
            """, "jit-auto=5")
        self.assertEqual(out, "5")

    def test_default_threshold(self):
        run("""
            def f():
                return 1
            for i in range(999):
                f()
            assert not cinderjit.is_jit_compiled(f)
            f()
            assert cinderjit.is_jit_compiled(f)
            """, "jit")

    def test_jit_all_first_call(self):
        run("""
            def f():
                return 1
            assert not cinderjit.is_jit_compiled(f)
            f()
            assert cinderjit.is_jit_compiled(f)
            assert f.__code__ in cinderjit.get_compiled_functions()
            """, "jit-all")

    def test_loops_count(self):
        # A long loop makes its function compile at its next call.
        run("""
            def loop(n):
                total = 0
                for i in range(n):
                    total += i
                return total
            assert loop(150) == sum(range(150))
            assert not cinderjit.is_jit_compiled(loop)
            assert loop(3) == 3
            assert cinderjit.is_jit_compiled(loop)
            """, "jit-auto=100")

    def test_module_and_class_bodies_not_compiled(self):
        out = run("""
            class C:
                x = 1
            exec("y = 2")
            print(sorted(k for k in cinderjit.get_stats()['functions']
                         if k.startswith('__main__')))
            """, "jit-all")
        self.assertEqual(out, "[]")

    def test_no_jit_no_counting(self):
        out = run("""
            def f():
                return 1
            for i in range(2000):
                f()
            assert not cinderjit.is_enabled()
            assert not cinderjit.is_jit_compiled(f)
            assert not cinderjit.force_compile(f)
            print(cinderjit.get_stats()['compiled_functions'])
            """)
        self.assertEqual(out, "0")


class ListFileTests(unittest.TestCase):
    def test_only_listed_compile(self):
        import os, tempfile
        fd, path = tempfile.mkstemp()
        with os.fdopen(fd, "w") as f:
            f.write("# test\n__main__:listed\n__main__:C.meth\n")
        self.addCleanup(os.unlink, path)
        run(f"""
            def listed():
                return 1
            def other():
                return 2
            class C:
                def meth(self):
                    return 3
            listed(); C().meth()
            assert cinderjit.is_jit_compiled(listed)     # at the first call
            assert cinderjit.is_jit_compiled(C.meth)
            for i in range(3000):
                other()
            assert not cinderjit.is_jit_compiled(other)
            # An explicit request is not limited by the list.
            assert cinderjit.force_compile(other)
            assert cinderjit.is_jit_compiled(other)
            assert '__main__:other' not in cinderjit.get_compile_failures()
            """, f"jit-list-file={path}")


class RefusalTests(unittest.TestCase):
    def test_coroutines_refused(self):
        out = run("""
            import asyncio
            def gen():
                yield 1
            async def coro():
                return 1
            async def agen():
                yield 1
            assert list(gen()) == [1]
            assert asyncio.run(coro()) == 1
            async def drain():
                return [x async for x in agen()]
            assert asyncio.run(drain()) == [1]
            for f in (coro, agen):
                assert not cinderjit.is_jit_compiled(f)
                assert cinderjit.force_compile(f) is False
            # Generators are compiled.
            assert cinderjit.is_jit_compiled(gen)
            assert cinderjit.force_compile(gen) is True
            fails = cinderjit.get_compile_failures()
            print('__main__:gen' in fails)
            for name in ('coro', 'agen'):
                print(fails['__main__:' + name])
            """, "jit-all")
        self.assertEqual(out.splitlines(), [
            "False",
            "coroutine function: not compiled",
            "async generator function: not compiled"])

class RunConditionTests(unittest.TestCase):
    def test_disable(self):
        run(f"""
            def f(x):
                return x + 1
            assert cinderjit.is_enabled()
            assert cinderjit.force_compile(f)
            f(1)
            before = {runs()}
            _ember._jit_disable()
            assert not cinderjit.is_enabled()
            assert f(1) == 2
            assert {runs()} == before
            def g():
                return 0
            assert cinderjit.force_compile(g) is False
            for i in range(10):
                g()
            assert not cinderjit.is_jit_compiled(g)
            """, "jit-all")

    def test_globals_mismatch(self):
        run(f"""
            import types
            def f(x):
                return x + y
            y = 1
            assert cinderjit.force_compile(f)
            assert f(1) == 2
            other = types.FunctionType(f.__code__,
                                       {{'__builtins__': __builtins__,
                                        '__name__': 'other', 'y': 100}})
            assert not cinderjit.is_jit_compiled(other)
            assert cinderjit.force_compile(other) is False  # compiled for f's
            before = {runs()}
            assert other(1) == 101
            assert {runs()} == before                     # interpreted
            assert f(1) == 2
            assert {runs()} == before + 1
            """, "jit")

    def test_tracing_and_profiling_bypass(self):
        out = run(f"""
            def f(x):
                return x + 1
            assert cinderjit.force_compile(f)
            events = []
            def tracer(frame, event, arg):
                if frame.f_code is f.__code__:
                    events.append(event)
                return tracer
            before = {runs()}
            sys.settrace(tracer)
            r = f(1)
            sys.settrace(None)
            assert r == 2
            assert {runs()} == before
            sys.setprofile(lambda fr, ev, arg: events.append('p-' + ev)
                           if fr.f_code is f.__code__ else None)
            f(2)
            sys.setprofile(None)
            assert {runs()} == before
            f(3)
            assert {runs()} == before + 1
            print(events)
            """, "jit")
        self.assertEqual(out, "['call', 'line', 'return', 'p-call', "
                              "'p-return']")

    def test_compiled_code_does_not_keep_code_alive(self):
        run("""
            import weakref
            ns = {}
            exec(compile("def inner(x):\\n    return x\\n", "<s>", "exec"), ns)
            f = ns.pop('inner')
            assert cinderjit.force_compile(f)
            assert f(3) == 3
            assert f.__code__ in cinderjit.get_compiled_functions()
            ref = weakref.ref(f.__code__)
            del f
            gc.collect()
            assert ref() is None
            assert all(c.co_name != 'inner'
                       for c in cinderjit.get_compiled_functions())
            """, "jit")


    def test_compiled_code_does_not_keep_its_namespace_alive(self):
        # A function exec'd into a fresh namespace stays in it: compiled
        # code must not hold the namespace (its globals) or a method the
        # code calls (cached by LOAD_METHOD), or the cycle namespace ->
        # function -> code -> compiled code -> namespace is never
        # collected (co_extra is invisible to the GC).
        out = run("""
            import weakref
            src = (
                "class Marker:\\n"
                "    def get(self):\\n"
                "        return 1\\n"
                "marker = Marker()\\n"
                "G = [1, 2]\\n"
                "def f(n):\\n"
                "    t = 0\\n"
                "    for i in range(n):\\n"
                "        t += marker.get() + len(G)\\n"
                "    return t\\n")
            refs = []
            for _ in range(3):
                ns = {}
                exec(src, ns)
                f = ns['f']
                f(50)                     # the interpreter specializes
                assert cinderjit.force_compile(f)
                assert f(10) == 30
                refs.append(weakref.ref(ns['marker']))
                del ns, f
            gc.collect()
            print(sum(r() is not None for r in refs))
            """, "jit")
        self.assertEqual(out, "0")


class ApiTests(unittest.TestCase):
    def test_types(self):
        run("""
            for name in ('force_compile', 'is_jit_compiled'):
                fn = getattr(cinderjit, name)
                for bad in (1, len, None, (lambda: 0).__code__, object()):
                    try:
                        fn(bad)
                    except TypeError as e:
                        assert 'Python function' in str(e), e
                    else:
                        raise AssertionError((name, bad))
            try:
                _ember._jit_call_compiled(1)
            except TypeError:
                pass
            else:
                raise AssertionError('no TypeError')
            def g(): pass
            try:
                _ember._jit_call_compiled(g)
            except ValueError:
                pass
            else:
                raise AssertionError('no ValueError')
            assert isinstance(cinderjit.get_compiled_functions(), list)
            assert isinstance(cinderjit.get_compile_failures(), dict)
            assert cinderjit.is_enabled() is True
            assert cinderjit.disable() is None
            """, "jit")

    def test_stats(self):
        out = run("""
            def f():
                return 1
            assert cinderjit.force_compile(f) is True
            assert cinderjit.force_compile(f) is True      # already
            f(); f()
            st = cinderjit.get_stats()
            assert st['compiled_functions'] >= 1
            assert isinstance(st['total_compile_time'], float)
            assert isinstance(st['total_code_size'], int)
            fs = st['functions']['__main__:f']
            assert set(fs) == {'compile_time', 'code_size', 'direct_calls',
                               'recompiles'}, fs
            assert fs['recompiles'] == 0, fs
            assert st['recompilations'] == 0
            assert st['recompile_reasons'] == {}
            assert fs['direct_calls'] == 0, fs
            assert st['compiled_code_runs'] >= 2
            print(sorted(st))
            print(list(st['deopts']))
            """, "jit")
        keys, kinds = out.splitlines()
        self.assertEqual(eval(keys), [
            'compile_failures', 'compiled_code_runs', 'compiled_functions',
            'deopts', 'functions', 'recompilations', 'recompile_reasons',
            'threshold', 'total_code_size', 'total_compile_time'])
        self.assertEqual(eval(kinds), [
            "unsupported-opcode", "guard-type", "guard-version",
            "guard-value", "int-overflow", "tracing", "eval-breaker",
            "stress"])

    def test_module(self):
        import cinderjit
        self.assertEqual(sorted(cinderjit.__all__), sorted([
            "force_compile", "is_jit_compiled", "disable", "is_enabled",
            "get_compiled_functions", "get_compile_failures", "get_stats"]))


# A program whose output (stdout and the tracebacks on stderr) must be the
# same with every function compiled at its first call as without the JIT.
# With the stub every compiled call deoptimizes at entry; with the real
# compiler it checks compiled code against the interpreter.
SAME_PROGRAM = r"""
import sys, traceback, functools
def add(a, b=10, *args, c=5, **kw):
    return a + b + c + sum(args) + sum(kw.values())
def closure(n):
    def inner(k):
        return n * k
    return inner
def cells(x):
    def get():
        return x
    x += 1
    return get()
def fail(x):
    y = x * 2
    return {}[y]
def handled(x):
    try:
        return fail(x)
    except KeyError as e:
        return 'caught', e.args
    finally:
        pass
def gen(n):
    for i in range(n):
        yield i * i
def rec(n):
    return 0 if n == 0 else 1 + rec(n - 1)
def deep():
    return deep()
def frames():
    f = sys._getframe()
    return [f.f_code.co_name, f.f_back.f_code.co_name, f.f_lineno]
class K:
    def __init__(self, v):
        self.v = v
    def m(self, d):
        return self.v + d
    @property
    def p(self):
        return self.v * 3
def loop(n):
    t = 0
    for i in range(n):
        t += i
    return t
print(add(1), add(1, 2, 3, 4, c=1, z=7), closure(3)(4), cells(5))
print(handled(2), list(gen(5)), rec(50), frames(), K(2).m(3), K(4).p,
      loop(1000))
print(functools.reduce(add, range(10)), sorted([3, 1, 2], key=lambda v: -v))
sys.setrecursionlimit(150)
try:
    deep()
except RecursionError as e:
    print('RecursionError', e)
sys.setrecursionlimit(1000)
try:
    fail(3)
except KeyError:
    traceback.print_exc()
try:
    K(1).m(None)
except TypeError:
    traceback.print_exc()
fail(4)
"""


class SameResultsTests(unittest.TestCase):
    def check_same(self, *xopts):
        base = script_helper.assert_python_failure("-c", SAME_PROGRAM)
        jit = script_helper.assert_python_failure(*xopts, "-c", SAME_PROGRAM)
        self.assertEqual(jit.out.decode(), base.out.decode())
        self.assertEqual(jit.err.decode(), base.err.decode())
        self.assertEqual(jit.rc, base.rc)
        self.assertIn("RecursionError", base.out.decode())
        self.assertIn("KeyError: 8", base.err.decode())

    def test_jit_all_same_as_interpreter(self):
        self.check_same("-X", "jit-all")

    def test_jit_auto_same_as_interpreter(self):
        self.check_same("-X", "jit-auto=3")


class DirectCallTests(unittest.TestCase):
    """_PyJit_CallCompiled, as compiled code calls compiled code, through
    _ember._jit_call_compiled(func, *args, **kwargs)."""

    def test_arguments_and_frames(self):
        out = run("""
            call = _ember._jit_call_compiled
            def f(a, b=2, *args, c=3, **kw):
                fr = sys._getframe()
                return (a, b, args, c, kw, fr.f_code.co_name,
                        fr.f_back.f_code.co_name)
            def closure():
                n = 7
                def inner(x):
                    return x + n
                return inner
            inner = closure()
            for fn in (f, inner):
                assert cinderjit.force_compile(fn)
            print(call(f, 1))
            print(call(f, 1, 5, 6, 7, c=0, z=1))
            print(call(inner, 1))
            try:
                call(f)
            except TypeError as e:
                print(e)
            """, "jit")
        self.assertEqual(out.splitlines(), [
            "(1, 2, (), 3, {}, 'f', '<module>')",
            "(1, 5, (6, 7), 0, {'z': 1}, 'f', '<module>')",
            "8",
            "f() missing 1 required positional argument: 'a'"])

    def test_exception_and_traceback(self):
        out = run("""
            import traceback
            call = _ember._jit_call_compiled
            def boom(x):
                y = x + 1
                raise ValueError(y)
            def handled(x):
                try:
                    return 1 / x
                except ZeroDivisionError:
                    return 'zero'
            for fn in (boom, handled):
                assert cinderjit.force_compile(fn)
            print(call(handled, 0), call(handled, 4))
            try:
                call(boom, 1)
            except ValueError as e:
                tb = traceback.extract_tb(e.__traceback__)
                print([(t.name, t.lineno) for t in tb[1:]])
            """, "jit")
        # Line 1 is run()'s import, 2 is blank.
        self.assertEqual(out.splitlines(), [
            "zero 0.25",
            "[('boom', 7)]"])

    def test_recursion_limit(self):
        # The direct call counts the recursion as the eval loop does: the
        # same depth is reached both ways.
        out = run("""
            call = _ember._jit_call_compiled
            depth = 0
            def rec():
                global depth
                depth += 1
                rec()
            assert cinderjit.force_compile(rec)
            def measure(how):
                global depth
                depth = 0
                try:
                    how()
                except RecursionError:
                    pass
                return depth
            def rec_direct():
                global depth
                depth += 1
                call(rec_direct)
            assert cinderjit.force_compile(rec_direct)
            sys.setrecursionlimit(200)
            print(measure(lambda: rec()), measure(lambda: call(rec)))
            # Every level a direct call: RecursionError from the direct
            # call's own check, and no count is lost (same depth twice).
            print(measure(rec_direct), measure(rec_direct))
            print(measure(lambda: rec()), measure(lambda: call(rec)))
            """, "jit")
        # call() is a C function, which counts one level of recursion.
        first, direct, again = out.splitlines()
        a, b = map(int, first.split())
        self.assertEqual(b, a - 1)
        self.assertEqual(again, first)
        c, d = map(int, direct.split())
        self.assertEqual(c, d)
        self.assertGreater(c, 50)

    def test_tracing_falls_back(self):
        out = run("""
            call = _ember._jit_call_compiled
            def f(x):
                return x + 1
            assert cinderjit.force_compile(f)
            events = []
            def tracer(frame, event, arg):
                if frame.f_code is f.__code__:
                    events.append(event)
                return tracer
            sys.settrace(tracer)
            r = call(f, 1)
            sys.settrace(None)
            print(r, events)
            """, "jit")
        self.assertEqual(out, "2 ['call', 'line', 'return']")


# Warm call sites (the interpreter specialized them) whose callee is
# compiled become inline direct calls (Jit/hir_builder.c: direct_call,
# direct_new).  Each case runs warm, then changes something under the
# compiled callers; output must be the interpreter's.
INLINE_CALL_PROGRAM = r"""
import sys, traceback
def add(a, b):
    return a + b
def use_add(n):
    t = 0
    for i in range(n):
        t = add(t, i)
    return t
def caller_name(x):
    f = sys._getframe(1)
    return f.f_code.co_name, f.f_lineno, x
def ask(n):
    r = None
    for i in range(n):
        r = caller_name(i)
    return r
kept = []
def keep_frame(x):
    y = x * 2
    kept.append(sys._getframe())
    return y
def use_keep(n):
    return [keep_frame(i) for i in range(n)]
def boom(x):
    if x == 3:
        raise KeyError(x)
    return x
def use_boom(n):
    out = []
    for i in range(n):
        try:
            out.append(boom(i))
        except KeyError as e:
            out.append(('caught', e.args[0],
                        [(t.name, t.lineno)
                         for t in traceback.extract_tb(e.__traceback__)]))
    return out
def mul(a, b):
    return a * b
def use_mul(xs):
    return [mul(x, 2) for x in xs]
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
depth = 0
def rec(n):
    global depth
    depth += 1
    return rec(n + 1)
def measure():
    global depth
    depth = 0
    try:
        rec(0)
    except RecursionError:
        pass
    return depth
class P:
    __slots__ = ('x', 'y')
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def norm1(self):
        return abs(self.x) + abs(self.y)
class Odd:
    def __init__(self, v):
        if v == 4:
            raise ValueError('four')
        if v == 5:
            return 'five'
        self.v = v
def make(n):
    t = 0
    for i in range(n):
        t += P(i, -i).norm1()
    return t
def make_odd(n):
    out = []
    for i in range(n):
        try:
            out.append(Odd(i).v)
        except (ValueError, TypeError) as e:
            out.append(str(e))
    return out
def gen(n):
    yield from range(n)
def use_gen(n):
    return [sum(gen(i)) for i in range(n)]
def dflt(a, b=10, c=(1, 2)):
    return a + b + len(c)
class D:
    def __init__(self, a, b=5):
        self.s = a + b
def use_dflt(n):
    t = 0
    for i in range(n):
        t += dflt(i) + dflt(i, 1) + D(i).s + D(i, 1).s
    return t
from math import sqrt, pow
def roots(xs):
    out = []
    for x in xs:
        try:
            out.append(sqrt(x) + pow(x, 2))
        except (ValueError, OverflowError) as e:
            out.append((str(e), e.__traceback__.tb_lineno))
    return out
def methods(n):
    t = 0
    out = None
    for i in range(n):
        l = [3, 1, 2, i]
        l.pop()                                # METH_FASTCALL descriptor
        l.insert(0, i)
        t += sum(l) + max(l) + min(l, default=0)    # builtins
        out = ",".join("a,b,c".split(",")).upper()  # NOARGS, O
        t += {"a": i}.get("a") + l.count(2)
        t += int(i * 1.5) + len(list(zip("ab", "cd")))   # builtin classes
        out = out + str(Named())
    return t, out
class Named:
    def __str__(self):
        return "!"

class L(list):
    pass
def sub_pop(l, n):
    r = 0
    for i in range(n):
        l.append(i)
        r += l.pop()
    return r
def pop_empty(n):
    out = []
    for i in range(n):
        try:
            out.append([].pop())
        except IndexError as e:
            out.append(str(e))
    return out
def chain(a, b):
    # Temporaries the int fast paths may write results into: none of the
    # values kept or compared may change.
    kept = []
    s = a + b
    t = (s * (s + 1) >> 1) + a + 1
    u = (a * 1000 + b) - 7
    kept.append(u)
    v = (u + 1) * 3 - (u + 1)
    return s, t, u, v, kept[0], kept[0] is u, (a - 300) + 0
def use_chain(xs, ys):
    return [chain(i, j) for i in xs for j in ys]
def traced(x):
    return x + 1
def use_traced(n):
    return [traced(i) for i in range(n)]

for _ in range(60):
    use_add(5); ask(2); use_keep(2); use_boom(2); use_mul([1, 2])
    fib(6); make(3); make_odd(4); use_gen(3); use_traced(2); use_dflt(3)
    roots([1.0, 4.0]); methods(2); sub_pop([1], 2); pop_empty(1)
    use_chain((2, 700), (3, 400))
    kept.clear()
print(use_add(10), ask(3), use_keep(3), [f.f_locals for f in kept])
print(use_boom(5))
print(use_mul([1, 2.5, 'ab', [0]]))            # the callee deoptimizes
print(fib(15), make(6), make_odd(7), use_gen(5))
sys.setrecursionlimit(300)
print('depth', measure(), measure())
sys.setrecursionlimit(1000)
add.__code__ = mul.__code__                    # func_version changes
print(use_add(10))
P.__init__ = lambda self, x, y: (setattr(self, 'x', x * 10),
                                 setattr(self, 'y', 0))[-1]
print(make(6))
print(use_dflt(10))
dflt.__defaults__ = (100, ())
D.__init__.__defaults__ = (7,)
print(use_dflt(10))
print(roots([4.0, -1.0, 9, 2 ** 2000]))
sqrt = abs                                     # another callable
print(roots([4.0, -1.0]))
print(methods(50), sub_pop(L([1, 2]), 5), pop_empty(2))
print(use_chain((0, 5, 300, 1000, 40000, -3, -400, 1 << 29, 1 << 40),
                (1, 255, 300, 1 << 20, -(1 << 29))))
events = []
def tracer(frame, event, arg):
    if frame.f_code is traced.__code__:
        events.append(event)
    return tracer
sys.settrace(tracer)
print(use_traced(2), events)
sys.settrace(None)
if sys._xoptions.get('jit'):
    import cinderjit
    fs = cinderjit.get_stats()['functions']
    direct = sorted(k.split(':')[1] for k, v in fs.items()
                    if v['direct_calls'])
    print('direct', direct, file=sys.stderr)
"""


class InlineCallTests(unittest.TestCase):
    def test_direct_calls_are_counted_runs(self):
        out = run(f"""
            def g(x):
                return x + 1
            def f(n):
                t = 0
                for i in range(n):
                    t = g(t)
                return t
            for _ in range(60):
                f(3)
            assert cinderjit.get_stats()['functions']['__main__:f'][
                'direct_calls'] == 2            # range(n), g(t)
            before = {runs()}
            assert f(10) == 10
            print({runs()} - before)
            """, "jit", "jit-auto=20")
        self.assertEqual(out, "11")     # f once, g ten times

    def test_same_as_interpreter(self):
        base = script_helper.assert_python_ok("-c", INLINE_CALL_PROGRAM)
        for extra in ((), ("-X", "jit-stress-deopt")):
            with self.subTest(extra=extra):
                jit = script_helper.assert_python_ok(
                    "-X", "jit", "-X", "jit-auto=20", *extra,
                    "-c", INLINE_CALL_PROGRAM)
                self.assertEqual(jit.out.decode(), base.out.decode())
                err = jit.err.decode()
                # The sites really were compiled as direct calls.
                for name in ("use_add", "ask", "use_boom", "fib", "rec",
                             "make", "make_odd", "use_dflt", "roots",
                             "methods", "sub_pop", "pop_empty",
                             "use_keep.<locals>.<listcomp>",
                             "use_mul.<locals>.<listcomp>",
                             "use_traced.<locals>.<listcomp>"):
                    self.assertIn(repr(name), err)
        self.assertIn("'caught', 3", base.out.decode())
        self.assertIn("depth", base.out.decode())


GENERATOR_GC_PROGRAM = r"""
import gc
gc.set_threshold(50)       # collections while generators run
# The textbook permutations() generator (for ... else, break, a yield in
# the loop) and the n-queens filter of generator expressions over it.
from test.ember_jit_corpus import perms as permutations, queens as n_queens

class Payload:
    pass

def consume_sent():
    me = yield
    while True:
        name = type((yield 1)).__name__
        yield name, [type(o).__name__ for o in gc.get_referents(me)
                     if isinstance(o, Payload)]

def sub():
    yield 1
    return [Payload()]

def delegate():
    for _ in range(3):
        got = yield from sub()
        gc.collect()
        yield len(got)

for round in range(2):
    print(len(list(n_queens(8))))
for i in range(200):
    it = consume_sent()
    next(it)
    it.send(it)
    out = it.send(Payload())
    next(it)
print(out)
print(sum(sum(delegate()) for _ in range(200)))
"""


class GeneratorCollectorTests(unittest.TestCase):
    """A resumed compiled generator leaves no stale value-stack entries in
    its frame for the collector to visit (the frame's stacktop is reset
    when the landing block takes the stack into registers)."""

    def test_cold_and_warm(self):
        base = script_helper.assert_python_ok("-c", GENERATOR_GC_PROGRAM)
        self.assertEqual(base.out.decode().split(),
                         ["92", "92", "('Payload',", "[])", "1200"])
        for flags in (("-X", "jit-all"), ("-X", "jit", "-X", "jit-auto=2"),
                      ("-X", "jit", "-X", "jit-auto=20"),
                      ("-X", "jit", "-X", "jit-auto=20",
                       "-X", "jit-stress-deopt")):
            with self.subTest(flags=flags):
                res = script_helper.assert_python_ok(
                    *flags, "-c", "import cinderjit\n" + GENERATOR_GC_PROGRAM
                    + "assert cinderjit.is_jit_compiled(permutations)\n"
                    + "assert cinderjit.is_jit_compiled(consume_sent)\n")
                self.assertEqual(res.out.decode(), base.out.decode())


class RecompilationTests(unittest.TestCase):
    """Compiled code whose fast paths keep missing, or that keeps
    deoptimizing, is retired and compiled again from the interpreter's new
    profile, at most twice; code that still deoptimizes is then left to
    the interpreter (Jit/runtime.c, docs/jit.md "Recompilation")."""

    def test_missing_fast_path_recompiles_from_new_profile(self):
        out = run("""
            def f(a, b):
                return a + b
            for i in range(300):
                f(i, 1)                 # compiled for ints
            assert "float_binary" not in _ember._jit_hir_text(f)
            for i in range(3000):
                assert f(1.5, 2.5) == 4.0   # the int fast path misses
            st = cinderjit.get_stats()
            print(st['recompilations'])
            print(st['recompile_reasons']['__main__:f'][0].split()[:3])
            print(st['functions']['__main__:f']['recompiles'])
            print(cinderjit.is_jit_compiled(f))
            # Compiled again, from the profile the interpreter made of the
            # floats: the float fast path.
            print("float_binary" in _ember._jit_hir_text(f))
            """, "jit", "jit-auto=100")
        self.assertEqual(out.splitlines(), [
            "1", "['fast', 'paths', 'missed']", "1", "True", "True"])

    def test_recompiled_at_most_twice(self):
        # A site whose types change in long phases: each new profile is
        # wrong again in the next phase.  Two recompilations (for floats,
        # then for ints again), then the code is kept.
        out = run("""
            def f(a, b):
                return a + b
            phases = [(1, 2), (0.5, 0.25), (3, 4), (1.5, 2.5), (5, 6)]
            for arg in phases:
                for i in range(3000):
                    f(*arg)
            st = cinderjit.get_stats()
            print(st['functions']['__main__:f']['recompiles'])
            print(len(st['recompile_reasons']['__main__:f']))
            print(cinderjit.is_jit_compiled(f))
            """, "jit", "jit-auto=100")
        self.assertEqual(out.splitlines(), ["2", "2", "True"])

    def test_deoptimizing_code_is_left_to_the_interpreter(self):
        # A local that a branch deletes: LOAD_FAST of it deoptimizes when
        # it is unbound (the interpreter raises UnboundLocalError).
        out = run("""
            def f(flag):
                x = 1
                if flag:
                    del x
                try:
                    return x
                except UnboundLocalError:
                    return -1
            for i in range(200):
                f(False)
            assert cinderjit.is_jit_compiled(f)
            for i in range(5000):
                assert f(True) == -1
            st = cinderjit.get_stats()
            reasons = st['recompile_reasons']['__main__:f']
            print(len(reasons), reasons[0].split()[0])
            print(cinderjit.is_jit_compiled(f))
            print(cinderjit.get_compile_failures()['__main__:f']
                  .endswith('left to the interpreter'))
            assert f(False) == 1 and f(True) == -1
            """, "jit", "jit-auto=100")
        self.assertEqual(out.splitlines(), ["2 deoptimized", "False", "True"])

    def test_no_recompilation_under_stress_deopt(self):
        out = run("""
            def f(flag):
                x = 1
                if flag:
                    del x
                try:
                    return x
                except UnboundLocalError:
                    return -1
            for i in range(3000):
                f(i % 2)
            print(cinderjit.get_stats()['recompilations'])
            """, "jit", "jit-auto=100", "jit-stress-deopt")
        self.assertEqual(out, "0")


class DeadTypeCacheTests(unittest.TestCase):
    """A LOAD_METHOD cache keeps a borrowed pointer to the method of a type
    nothing keeps alive; compiling after the type died must not follow it
    (Jit/type_versions.c, patch 0010-type-versions)."""

    def test_method_of_dead_class(self):
        out = run("""
            def call_m(o):
                return o.m()
            def make(i):
                class C:
                    def m(self):
                        return i
                return C()
            for i in range(60):
                call_m(make(i))     # specialized for the last class made
            gc.collect()            # every C is gone, its method too
            junk = [[j] for j in range(20000)]     # reuse their memory
            text = _ember._jit_hir_text(call_m)
            print(cinderjit.force_compile(call_m))
            print(call_m(make(7)))
            # The dead class's method is no constant: the generic lookup.
            print("Const <function>" in text)
            """, "jit")
        self.assertEqual(out.splitlines(), ["True", "7", "False"])

    def test_method_of_live_class_still_direct(self):
        out = run("""
            class C:
                def m(self):
                    return 5
            def call_m(o):
                return o.m()
            for i in range(60):
                call_m(C())
            text = _ember._jit_hir_text(call_m)
            print(cinderjit.force_compile(call_m), call_m(C()))
            print("load_method_cached" in text, "Const <function>" in text)
            """, "jit")
        self.assertEqual(out.splitlines(), ["True 5", "True True"])


class ImportTimeTests(unittest.TestCase):
    """A function that gets hot while a module is imported is compiled at
    its first call after the import, not during it (start-up)."""

    def test_not_compiled_while_importing(self):
        import tempfile, os
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "hotmod.py"), "w") as fh:
                fh.write(textwrap.dedent("""
                    import cinderjit
                    def f(x):
                        return x + 1
                    t = 0
                    for i in range(500):
                        t = f(t)
                    COMPILED_DURING_IMPORT = cinderjit.is_jit_compiled(f)
                    """))
            out = run(f"""
                sys.path.insert(0, {d!r})
                import hotmod
                print(hotmod.COMPILED_DURING_IMPORT, hotmod.t)
                print(cinderjit.is_jit_compiled(hotmod.f))
                hotmod.f(1)                 # the first call after it
                print(cinderjit.is_jit_compiled(hotmod.f))
                # In __main__'s own body, functions compile as they get hot.
                def g(x):
                    return x
                for i in range(200):
                    g(i)
                print(cinderjit.is_jit_compiled(g))
                """, "jit", "jit-auto=100")
        self.assertEqual(out.splitlines(), ["False 500", "False", "True",
                                            "True"])


if __name__ == "__main__":
    unittest.main()
