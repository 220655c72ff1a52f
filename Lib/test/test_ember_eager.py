"""Eager evaluation of awaited coroutines (-X eager-coro): docs/eager.md.

The switch and its errors; that an awaited coroutine which returns without
suspending creates no coroutine object, and one that suspends becomes an
ordinary one; and a differential run of ember_eager_corpus.py, whose
output (values, exceptions, tracebacks, events) must be the same with the
mode on and off.
"""

import _ember
import asyncio
import gc
import inspect
import os
import subprocess
import sys
import types
import unittest
import warnings
from test.support import script_helper
from test.ember_eager_corpus import run

CORPUS = os.path.join(os.path.dirname(__file__), "ember_eager_corpus.py")


def tearDownModule():
    asyncio.set_event_loop_policy(None)


def live_coroutines(code):
    return [o for o in gc.get_objects()
            if type(o) is types.CoroutineType and o.cr_code is code]


class EagerMode:
    """Runs each test with eager evaluation switched to `eager`."""
    eager = True

    def setUp(self):
        saved = _ember.eager_coro()
        self.addCleanup(_ember.set_eager_coro, saved)
        _ember.set_eager_coro(self.eager)


class SwitchTests(unittest.TestCase):

    def flag(self, *args, **env):
        rc, out, err = script_helper.assert_python_ok(
            *args, "-c", "import _ember; print(_ember.eager_coro())",
            __cleanenv=True, **env)
        return out.decode().strip()

    def test_off_by_default(self):
        self.assertEqual(self.flag(), "False")

    def test_option(self):
        self.assertEqual(self.flag("-X", "eager-coro"), "True")
        self.assertEqual(self.flag("-X", "eager-coro=1"), "True")
        self.assertEqual(self.flag("-X", "eager-coro=0"), "False")
        self.assertEqual(self.flag("-X", "eager-coro", "-X", "eager-coro=0"),
                         "False")

    def test_environment(self):
        self.assertEqual(self.flag(PYTHONEAGERCORO="1"), "True")
        self.assertEqual(self.flag(PYTHONEAGERCORO="0"), "False")
        self.assertEqual(self.flag(PYTHONEAGERCORO=""), "False")
        self.assertEqual(self.flag("-X", "eager-coro=0", PYTHONEAGERCORO="1"),
                         "False")
        self.assertEqual(self.flag("-E", PYTHONEAGERCORO="1"), "False")

    def test_bad_values_stop_start_up(self):
        for args, env, text in [
                (["-X", "eager-coro=yes"], {}, "-X eager-coro=yes"),
                (["-X", "eager-coro=2"], {}, "-X eager-coro=2"),
                ([], {"PYTHONEAGERCORO": "on"}, "PYTHONEAGERCORO=on")]:
            with self.subTest(args=args, env=env):
                rc, out, err = script_helper.assert_python_failure(
                    *args, "-c", "print('started')", __cleanenv=True, **env)
                self.assertEqual(rc, 2)
                self.assertEqual(out, b"")
                self.assertIn(text, err.decode())
                self.assertIn("expected", err.decode())

    def test_set_at_run_time(self):
        saved = _ember.eager_coro()
        self.addCleanup(_ember.set_eager_coro, saved)
        _ember.set_eager_coro(True)
        self.assertIs(_ember.eager_coro(), True)
        _ember.set_eager_coro(False)
        self.assertIs(_ember.eager_coro(), False)
        for bad in (1, None, "yes"):
            with self.assertRaises(TypeError):
                _ember.set_eager_coro(bad)
        self.assertIs(_ember.eager_coro(), False)

    def test_ember_package_reexports(self):
        import ember
        self.assertIs(ember.eager_coro, _ember.eager_coro)
        self.assertIs(ember.set_eager_coro, _ember.set_eager_coro)


class EagerTests(EagerMode, unittest.TestCase):

    def count_while_running(self, suspend):
        seen = []

        async def leaf():
            seen.append(len(live_coroutines(leaf.__code__)))
            if suspend:
                await asyncio.sleep(0)
                seen.append(len(live_coroutines(leaf.__code__)))
            return 7

        async def main():
            return await leaf()

        self.assertEqual(run(main()), 7)
        return seen

    def test_returning_call_creates_no_coroutine(self):
        self.assertEqual(self.count_while_running(suspend=False), [0])

    def test_suspending_call_becomes_a_coroutine(self):
        # None while it runs eagerly; one, suspended and then resumed by
        # its caller, after its first suspension.
        self.assertEqual(self.count_while_running(suspend=True), [0, 1])

    def test_not_awaited_at_once_is_unchanged(self):
        async def leaf():
            return 1

        async def main():
            c = leaf()                  # not awaited at the call
            self.assertEqual(inspect.getcoroutinestate(c), "CORO_CREATED")
            self.assertEqual(await c, 1)
            t = asyncio.ensure_future(leaf())
            self.assertFalse(t.done())
            self.assertEqual(await t, 1)

        run(main())

    def test_suspended_chain(self):
        async def level(n, fut):
            if n == 0:
                return await fut
            return 1 + await level(n - 1, fut)

        async def main():
            fut = asyncio.get_running_loop().create_future()
            task = asyncio.ensure_future(level(3, fut))
            await asyncio.sleep(0)
            states, coro = [], task.get_coro()
            while isinstance(coro, types.CoroutineType):
                states.append(inspect.getcoroutinestate(coro))
                self.assertIsNone(coro.cr_frame.f_back)
                coro = coro.cr_await
            self.assertEqual(states, ["CORO_SUSPENDED"] * 4)
            self.assertEqual(type(coro).__name__, "FutureIter")
            self.assertEqual(len(live_coroutines(level.__code__)), 4)
            fut.set_result(10)
            self.assertEqual(await task, 13)

        run(main())

    def test_no_spurious_never_awaited_warning(self):
        async def leaf(n):
            if n % 2:
                await asyncio.sleep(0)
            return n

        async def main():
            return [await leaf(n) for n in range(6)]

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertEqual(run(main()), list(range(6)))
            gc.collect()
        self.assertEqual([str(w.message) for w in caught], [])

    # Coroutine objects of the callee while it runs: plain, under a tracer,
    # with origins tracked.  Tracing and origin tracking take the base path.
    expected_counts = (0, 1, 1)

    def test_tracing_and_origin_tracking_use_the_base_path(self):
        async def leaf():
            return len(live_coroutines(leaf.__code__))

        async def main():
            return await leaf()

        plain = run(main())
        sys.settrace(lambda *a: None)
        try:
            traced = run(main())
        finally:
            sys.settrace(None)
        sys.set_coroutine_origin_tracking_depth(1)
        try:
            tracked = run(main())
        finally:
            sys.set_coroutine_origin_tracking_depth(0)
        self.assertEqual((plain, traced, tracked), self.expected_counts)

    def test_many_levels_and_threads(self):
        # Deep eager nesting and threads, each with its own exception state.
        import threading

        async def rec(n):
            if n == 0:
                try:
                    raise KeyError(n)
                except KeyError:
                    await asyncio.sleep(0)
                    return sys.exc_info()[0]
            return await rec(n - 1)

        results = []

        def worker():
            results.append(run(rec(200)))

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [KeyError] * 4)
        self.assertIsNone(sys.exc_info()[0])


class BaseModeTests(EagerTests):
    """The same checks with the mode off: the base's counts."""
    eager = False

    def test_returning_call_creates_no_coroutine(self):
        self.assertEqual(self.count_while_running(suspend=False), [1])

    def test_suspending_call_becomes_a_coroutine(self):
        self.assertEqual(self.count_while_running(suspend=True), [1, 1])

    expected_counts = (1, 1, 1)


class DifferentialTests(unittest.TestCase):
    """ember_eager_corpus.py prints the same with the mode on and off."""

    def run_corpus(self, mode):
        proc = subprocess.run(
            [sys.executable, "-X", "eager-coro=" + mode, CORPUS],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def cases(self, text):
        out, name = {}, None
        for line in text.splitlines():
            if line.startswith("=== "):
                name = line[4:]
                out[name] = []
            else:
                out[name].append(line)
        return out

    def test_same_output(self):
        base = self.run_corpus("0")
        eager = self.run_corpus("1")
        self.assertEqual(eager.stderr, base.stderr)
        base_cases, eager_cases = self.cases(base.stdout), self.cases(eager.stdout)
        self.assertGreaterEqual(len(base_cases), 14)
        self.assertEqual(sorted(eager_cases), sorted(base_cases))
        for name, lines in base_cases.items():
            with self.subTest(case=name):
                self.assertTrue(lines, "the case printed nothing")
                self.assertNotIn("case failed:", lines)
                self.assertEqual(eager_cases[name], lines)


if __name__ == "__main__":
    unittest.main()
