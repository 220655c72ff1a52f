"""Immortal objects and heap immortalization (docs/immortal.md).

Static singletons and static types are immortal from start-up; Ember's own
reference counting never writes to an immortal object; gc.immortalize_heap()
makes the reachable heap immortal; -X immortalize-heap does it at start-up;
and extension modules that Debian built against stock 3.11 headers can
increment and decrement immortal objects millions of times without harm.

Everything that immortalizes a heap runs in a child process, so that the
test runner's own objects stay ordinary."""

import ctypes
import gc
import json
import os
import subprocess
import sys
import textwrap
import unittest
import weakref
from test import support
from test.support import os_helper

IMMORTAL_REFCNT = 2 ** 60
DIST_PACKAGES = "/usr/lib/python3/dist-packages"


def raw_refcount(obj):
    """ob_refcnt as stored in memory, without sys.getrefcount()'s clamp."""
    return ctypes.c_ssize_t.from_address(id(obj)).value


def run_child(code, *args, env=None, check=True):
    """Run CODE in a fresh interpreter; return the CompletedProcess."""
    proc = subprocess.run([sys.executable, *args, "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, env=env, timeout=600)
    if check and proc.returncode:
        raise AssertionError(f"child failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


def child_json(code, *args, env=None):
    """Run CODE, which prints one JSON document last, and return it."""
    proc = run_child(code, *args, env=env)
    return json.loads(proc.stdout.splitlines()[-1])


class StaticImmortalsTests(unittest.TestCase):
    STATICS = [None, True, False, Ellipsis, NotImplemented, (), b"", "",
               "a", "\xe9", -5, 0, 1, 256,
               int, str, type, object, dict, list, tuple, float,
               type(None), type(Ellipsis), BaseException, ValueError]

    def test_static_singletons_and_types_are_immortal(self):
        for obj in self.STATICS:
            with self.subTest(obj=obj):
                self.assertTrue(gc.is_immortal(obj))
                self.assertEqual(sys.getrefcount(obj), IMMORTAL_REFCNT)

    def test_ordinary_objects_are_mortal(self):
        for obj in [object(), [], {}, 257, -6, 1.5, "not interned text",
                    (1, object()), lambda: 0, type("T", (), {})]:
            with self.subTest(obj=obj):
                self.assertFalse(gc.is_immortal(obj))
                self.assertLess(sys.getrefcount(obj), 100)

    def test_getrefcount_still_counts_mortal_objects(self):
        obj = object()
        before = sys.getrefcount(obj)
        refs = [obj] * 10
        self.assertEqual(sys.getrefcount(obj), before + 10)
        del refs
        self.assertEqual(sys.getrefcount(obj), before)

    def test_embers_refcounting_never_writes_an_immortal_count(self):
        for obj in (None, True, 7, (), int):
            with self.subTest(obj=obj):
                before = raw_refcount(obj)
                self.assertGreaterEqual(before, 2 ** 56)
                # Py_INCREF in the eval loop, in C code (list, tuple,
                # itertools, dict), and list/tuple repetition.
                many = [obj for _ in range(1000)]
                more = tuple(iter(many)) + (obj,) * 1000
                table = dict.fromkeys(range(1000), obj)
                rep = [obj] * 1000
                self.assertEqual(raw_refcount(obj), before)
                del many, more, table, rep
                self.assertEqual(raw_refcount(obj), before)

    def test_del_of_an_immortal_does_not_free_it(self):
        value = None
        for _ in range(100):
            del value
            value = None
        self.assertIs(value, None)
        self.assertEqual(raw_refcount(None), IMMORTAL_REFCNT)

    def test_weakref_to_an_immortal_type(self):
        ref = weakref.ref(ValueError)
        self.assertIs(ref(), ValueError)
        self.assertIn(ref, weakref.getweakrefs(ValueError))

    def test_is_immortal_takes_one_object(self):
        with self.assertRaises(TypeError):
            gc.is_immortal()
        with self.assertRaises(TypeError):
            gc.is_immortal(1, 2)


@support.requires_subprocess()
class ImmortalizeHeapTests(unittest.TestCase):
    def test_reachable_objects_become_immortal(self):
        got = child_json("""
            import gc, json, sys, collections

            class Shape:
                sides = 4
                def __init__(self):
                    self.name = "square-" + str(4)
                def area(self, x=2.5 * 3):
                    return x * self.sides

            def make_closure():
                hidden = ["closure", "cell", 10 ** 30]
                return lambda: hidden

            shape = Shape()
            closure = make_closure()
            table = {"key-" + str(i): i * 1000 for i in range(3)}
            nested = collections.OrderedDict(a=[frozenset({"x" * 40})])
            bigfloat = 10.0 ** 200

            def caller():
                only_in_this_frame = ["frame", "local"]
                n = gc.immortalize_heap()
                return n, only_in_this_frame

            n, frame_local = caller()
            code = Shape.area.__code__
            checks = {
                "count": n,
                "module": gc.is_immortal(sys.modules[__name__]),
                "sys.modules": gc.is_immortal(sys.modules),
                "class": gc.is_immortal(Shape),
                "class name": gc.is_immortal(Shape.__name__),
                "class dict": gc.is_immortal(Shape.__dict__["area"]),
                "instance": gc.is_immortal(shape),
                "instance attribute": gc.is_immortal(shape.name),
                "function": gc.is_immortal(Shape.area),
                "code": gc.is_immortal(code),
                "co_consts": all(gc.is_immortal(c) for c in code.co_consts),
                "co_names": all(gc.is_immortal(c) for c in code.co_names),
                "defaults": gc.is_immortal(Shape.area.__defaults__[0]),
                "closure cell": gc.is_immortal(closure.__closure__[0]),
                "closure contents": all(map(gc.is_immortal, closure())),
                "dict keys": all(map(gc.is_immortal, table)),
                "dict values": all(map(gc.is_immortal, table.values())),
                "nested": gc.is_immortal(next(iter(nested["a"][0]))),
                "float": gc.is_immortal(bigfloat),
                "frame local": gc.is_immortal(frame_local),
                "method descriptor name": gc.is_immortal(
                    str.__dict__["join"].__name__),
                "stdlib function": gc.is_immortal(json.dumps),
                "refcount": sys.getrefcount(shape),
                "frozen": gc.get_freeze_count() > 1000,
            }
            print(json.dumps(checks))
        """)
        self.assertGreater(got.pop("count"), 1000)
        self.assertEqual(got.pop("refcount"), IMMORTAL_REFCNT)
        self.assertEqual({k: v for k, v in got.items() if v is not True}, {})

    def test_objects_created_afterwards_are_ordinary_and_freed(self):
        got = child_json("""
            import gc, json, sys, weakref
            gc.immortalize_heap()
            class Later:
                pass
            freed = []
            obj = Later()
            ref = weakref.ref(obj, lambda r: freed.append(True))
            mortal = not gc.is_immortal(obj) and not gc.is_immortal(Later)
            rc = sys.getrefcount(obj)
            del obj
            # A cycle made afterwards is still collected.
            a = Later(); b = Later(); a.b = b; b.a = a
            cyc = weakref.ref(a)
            del a, b
            collected = gc.collect()
            print(json.dumps([mortal, rc, freed, ref() is None,
                              cyc() is None, collected >= 2]))
        """)
        self.assertEqual(got, [True, 2, [True], True, True, True])

    def test_del_and_weakrefs_of_immortalized_objects(self):
        got = child_json("""
            import gc, json, weakref
            class Node:
                pass
            node = Node()
            callbacks = []
            ref = weakref.ref(node, lambda r: callbacks.append(1))
            values = weakref.WeakValueDictionary({"n": node})
            gc.immortalize_heap()
            immortal = gc.is_immortal(node)
            for _ in range(1000):
                alias = node
                del alias
            del node
            gc.collect()
            print(json.dumps([immortal, ref() is not None, "n" in values,
                              callbacks, isinstance(ref(), Node)]))
        """)
        self.assertEqual(got, [True, True, True, [], True])

    def test_garbage_is_collected_first_not_immortalized(self):
        got = child_json("""
            import gc, json, weakref
            gc.disable()
            class Junk:
                pass
            a = Junk(); a.self = a
            ref = weakref.ref(a)
            del a
            gc.immortalize_heap()
            print(json.dumps(ref() is None))
        """)
        self.assertTrue(got)

    def test_calling_it_twice_is_harmless(self):
        got = child_json("""
            import gc, json
            first = gc.immortalize_heap()
            second = gc.immortalize_heap()
            extra = [object() for _ in range(50)]
            third = gc.immortalize_heap()
            print(json.dumps([first, second, third,
                              all(map(gc.is_immortal, extra))]))
        """)
        first, second, third, extra_immortal = got
        self.assertGreater(first, 1000)
        self.assertLess(second, 20)
        self.assertGreaterEqual(third, 50)
        self.assertTrue(extra_immortal)

    def test_gc_functions_keep_working(self):
        got = child_json("""
            import gc, json
            keep = [[i] for i in range(100)]
            gc.immortalize_heap()
            frozen = gc.get_freeze_count()
            young = [[i] for i in range(10)]
            objects = gc.get_objects()
            listed = any(o is young for o in objects)
            not_listed = not any(o is keep for o in objects)
            collected = gc.collect()
            gc.unfreeze()
            after_unfreeze = gc.collect()
            gc.freeze()
            refs = any(r is keep[0] for r in gc.get_referents(keep))
            print(json.dumps([frozen > 1000, listed, not_listed,
                              collected >= 0, after_unfreeze >= 0, refs,
                              gc.is_immortal(keep)]))
        """)
        self.assertEqual(got, [True] * 7)

    def test_objects_with_finalizers_stay_mortal(self):
        path = os_helper.TESTFN
        self.addCleanup(os_helper.unlink, path)
        got = child_json(f"""
            import gc, json
            out = open({path!r}, "w", buffering=8192)
            out.write("written before immortalization, flushed at exit\\n")
            log = []
            class WithDel:
                def __del__(self):
                    log.append("finalized")
            holder = WithDel()
            def gen():
                yield 1
            running = gen()
            gc.immortalize_heap()
            mortal = [not gc.is_immortal(out), not gc.is_immortal(out.buffer),
                      not gc.is_immortal(holder), not gc.is_immortal(running),
                      gc.is_immortal(WithDel)]
            del holder
            print(json.dumps([mortal, log]))
        """)
        self.assertEqual(got, [[True] * 5, ["finalized"]])
        with open(path) as f:
            self.assertEqual(f.read(),
                             "written before immortalization, flushed at exit\n")

    def test_immortal_code_keeps_its_specialization_state(self):
        got = child_json("""
            import gc, json
            def warm(x):
                return x.real + 1
            def cold(x):
                return x.real + 1
            def control(x):
                return x.real + 1
            for i in range(100):
                warm(i)
            gc.immortalize_heap()
            before = warm.__code__._co_code_adaptive
            for i in range(1000):
                warm(1.5); cold(i)
            control_before = control.__code__._co_code_adaptive
            control.__code__ = control.__code__.replace()   # a mortal copy
            mortal_before = control.__code__._co_code_adaptive
            for i in range(1000):
                control(i)
            print(json.dumps([
                gc.is_immortal(warm.__code__),
                warm.__code__._co_code_adaptive == before,
                before != warm.__code__.co_code,            # was quickened
                cold.__code__._co_code_adaptive == cold.__code__.co_code,
                control.__code__._co_code_adaptive != mortal_before,
                [warm(2), cold(2), control(2)]]))
        """)
        self.assertEqual(got, [True, True, True, True, True, [3, 3, 3]])

    def test_frozen_modules_code_still_specializes(self):
        # Code of deepfrozen modules (posixpath) is immortal from start-up;
        # it must warm up and specialize as usual, before and after
        # immortalize_heap(): only code the heap walk made immortal keeps
        # its state.
        got = child_json("""
            import gc, json, os.path
            code = os.path.relpath.__code__     # not run at start-up
            static = gc.is_immortal(code)
            untouched = code._co_code_adaptive == code.co_code
            gc.immortalize_heap()
            for i in range(200):
                os.path.relpath("a/b", "a")
            print(json.dumps([static, untouched,
                              code._co_code_adaptive != code.co_code]))
        """)
        self.assertEqual(got, [True, True, True])

    def test_new_objects_do_not_fill_free_blocks_of_shared_pools(self):
        code = """
            import gc, json, sys
            keep, freed = [], []
            for i in range(20000):
                (keep if i % 2 else freed).append(object())
            holes = {id(o) for o in freed}
            del freed
            gc.ACTION()
            new = [object() for _ in range(10000)]
            print(json.dumps(sum(id(o) in holes for o in new)))
        """
        reused_after_freeze = child_json(code.replace("ACTION", "freeze"))
        reused_after_immortalize = child_json(code.replace("ACTION", "immortalize_heap"))
        self.assertGreater(reused_after_freeze, 5000)   # the test can fail
        self.assertEqual(reused_after_immortalize, 0)

    def test_subinterpreters_start_and_finish(self):
        got = child_json("""
            import gc, json
            import _xxsubinterpreters as interpreters
            gc.immortalize_heap()
            results = []
            for _ in range(3):
                interp = interpreters.create()
                interpreters.run_string(interp, "import json, decimal, re\\n"
                    "x = [re.compile('a+b'), decimal.Decimal(1) / 7]\\n"
                    "import gc; gc.collect(); assert not gc.is_immortal(x)\\n")
                interpreters.destroy(interp)
                results.append(True)
            print(json.dumps(results))
        """)
        self.assertEqual(got, [True, True, True])

    def test_threads_frames_are_roots(self):
        got = child_json("""
            import gc, json, threading
            ready = threading.Event(); done = threading.Event()
            seen = {}
            def worker():
                held_by_thread = ["only", "in", "a", "thread"]
                seen["obj"] = id(held_by_thread)
                ready.set()
                done.wait()
                seen["immortal"] = gc.is_immortal(held_by_thread)
            t = threading.Thread(target=worker)
            t.start()
            ready.wait()
            gc.immortalize_heap()
            done.set()
            t.join()
            print(json.dumps(seen["immortal"]))
        """)
        self.assertTrue(got)


@support.requires_subprocess()
class StartupOptionTests(unittest.TestCase):
    CHECK = ("import gc, sys, json; "
             "print(json.dumps([gc.is_immortal(sys.modules), "
             "gc.is_immortal(sys.modules['builtins'])]))")

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items()
               if k != "PYTHONIMMORTALIZEHEAP"}
        env.update(extra)
        return env

    def immortal_modules(self, *args, **env):
        proc = run_child(self.CHECK, *args, env=self.env(**env))
        return json.loads(proc.stdout)

    def test_option_immortalizes_the_startup_heap(self):
        self.assertEqual(self.immortal_modules("-X", "immortalize-heap"), [True, True])
        self.assertEqual(self.immortal_modules("-X", "immortalize-heap=1"), [True, True])
        self.assertEqual(self.immortal_modules("-X", "immortalize-heap=0"), [False, False])
        self.assertEqual(self.immortal_modules(), [False, False])
        self.assertEqual(self.immortal_modules("-S", "-X", "immortalize-heap"),
                         [True, True])

    def test_environment_variable(self):
        self.assertEqual(self.immortal_modules(PYTHONIMMORTALIZEHEAP="1"), [True, True])
        self.assertEqual(self.immortal_modules(PYTHONIMMORTALIZEHEAP="0"), [False, False])
        self.assertEqual(self.immortal_modules(PYTHONIMMORTALIZEHEAP=""), [False, False])
        # -E ignores it; -X wins over it.
        self.assertEqual(self.immortal_modules("-E", PYTHONIMMORTALIZEHEAP="1"),
                         [False, False])
        self.assertEqual(self.immortal_modules("-X", "immortalize-heap=0",
                                               PYTHONIMMORTALIZEHEAP="1"),
                         [False, False])

    def test_bad_values_stop_startup_with_status_2(self):
        for args, env, needle in [
                (["-X", "immortalize-heap=yes"], {}, "-X immortalize-heap=yes"),
                (["-X", "immortalize-heap="], {}, "-X immortalize-heap="),
                ([], {"PYTHONIMMORTALIZEHEAP": "on"}, "PYTHONIMMORTALIZEHEAP=on")]:
            with self.subTest(args=args, env=env):
                proc = run_child("print('ran')", *args, env=self.env(**env),
                                 check=False)
                self.assertEqual(proc.returncode, 2)
                self.assertEqual(proc.stdout, "")
                self.assertIn(needle, proc.stderr)
                self.assertIn("expected", proc.stderr)

    def test_other_x_options_are_left_alone(self):
        proc = run_child("import sys; print(sorted(sys._xoptions))",
                         "-X", "immortalize-heapish", "-X", "immortal",
                         env=self.env())
        self.assertEqual(proc.stdout.strip(), "['immortal', 'immortalize-heapish']")


@support.requires_subprocess()
class StockExtensionTests(unittest.TestCase):
    """numpy from Debian's python3-numpy was compiled against stock 3.11
    headers: its Py_INCREF and Py_DECREF are plain ob_refcnt++ and --."""

    N = 2_000_000

    def setUp(self):
        probe = run_child(f"import sys; sys.path.append({DIST_PACKAGES!r})\n"
                          "import numpy; print(numpy.__file__)", "-I", check=False)
        if probe.returncode:
            self.skipTest("Debian's python3-numpy is not installed "
                          "(Tools/scripts/install-deps installs it)")
        self.assertTrue(probe.stdout.startswith(DIST_PACKAGES), probe.stdout)

    def test_millions_of_stock_refcount_operations_on_immortals(self):
        got = child_json(f"""
            import sys; sys.path.append({DIST_PACKAGES!r})
            import ctypes, gc, json
            import numpy as np
            def raw(o):
                return ctypes.c_ssize_t.from_address(id(o)).value
            class Marker:
                pass
            marker = Marker()
            gc.immortalize_heap()
            N = {self.N}
            report = {{}}
            # Other numpy calls move None's count a little too (numpy's
            # Py_RETURN_NONE increments it, Ember's decrement is skipped),
            # so the checks below allow a slack of 1000 around N.
            for name, obj in [("None", None), ("heap", marker)]:
                start = raw(obj)
                # Balanced: numpy increments N times, then decrements N times.
                for _ in range(3):
                    arr = np.full(N, obj, dtype=object)
                    copy = arr.copy()
                    del arr, copy
                balanced = raw(obj) - start
                # Unbalanced downwards: the Python function returns obj
                # without an increment (Ember skips it); numpy owns the
                # result and decrements it when the array dies.
                f = np.frompyfunc(lambda x: obj, 1, 1)
                out = f(np.arange(N))
                del out
                down = raw(obj) - start
                # Unbalanced upwards: numpy increments for tolist(); Ember's
                # decrements of the list's items are skipped.
                arr = np.full(N, obj, dtype=object)
                items = arr.tolist()
                del arr, items
                up = raw(obj) - start - down
                report[name] = [balanced, down, up, gc.is_immortal(obj),
                                sys.getrefcount(obj)]
            # Still alive and usable.
            report["usable"] = [repr(None), type(marker).__name__]
            print(json.dumps(report))
        """, "-I")
        for name in ("None", "heap"):
            balanced, down, up, immortal, refcount = got[name]
            with self.subTest(name):
                self.assertLess(abs(balanced), 1000)
                self.assertLess(abs(down + self.N), 1000)  # numpy wrote; nothing freed
                self.assertLess(abs(up - self.N), 1000)
                self.assertTrue(immortal)
                self.assertEqual(refcount, IMMORTAL_REFCNT)
        self.assertEqual(got["usable"], ["None", "Marker"])


if __name__ == "__main__":
    unittest.main()
