"""Async programs whose output must not depend on -X eager-coro.

test_ember_eager runs this file under `-X eager-coro=0` and `-X
eager-coro=1` and compares what it prints, case by case.  Each case is a
function named case_*; it prints what a program could observe: values,
exceptions with their tracebacks, the order of events, trace events,
coroutine states.  Output must be deterministic (no addresses, no times).
Run directly to see the output: ./python -X eager-coro Lib/test/ember_eager_corpus.py
"""

import asyncio
import contextvars
import gc
import inspect
import sys
import traceback
import types
import warnings


def run(coro):
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def show_exc(exc):
    """The exception and its traceback, without the file paths' prefixes."""
    lines = traceback.format_exception(exc)
    text = "".join(lines).replace(__file__, "CORPUS")
    print(text.rstrip())


# --- returns without suspending ------------------------------------------

async def add(a, b=10, *, c=100):
    return a + b + c


class Box:
    def __init__(self, v):
        self.v = v

    async def get(self, extra=0):
        return self.v + extra

    @staticmethod
    async def smeth(x):
        return x * 2

    @classmethod
    async def cmeth(cls, x):
        return (cls.__name__, x)

    async def __getitem__(self, k):
        return (self.v, k)


def case_values():
    async def main():
        box = Box(5)
        meth = box.get
        results = [
            await add(1),
            await add(1, 2),
            await add(1, c=3),
            await add(a=1, b=2, c=3),
            await box.get(),
            await box.get(extra=4),
            await meth(1),
            await Box.smeth(21),
            await Box.cmeth(7),
            await box["k"],
            [await add(i) for i in range(3)],
        ]
        print(results)
    run(main())


# --- exceptions --------------------------------------------------------

async def fails(n):
    if n:
        return await fails(n - 1)
    raise ValueError("bottom")


def case_exception_traceback():
    async def main():
        try:
            await fails(3)
        except ValueError as e:
            show_exc(e)
        try:
            x = await (
                fails(0)
            )
        except ValueError as e:
            show_exc(e)
    run(main())


def case_stopiteration_becomes_runtimeerror():
    async def raises_stop():
        raise StopIteration("inner")

    async def main():
        try:
            await raises_stop()
        except RuntimeError as e:
            print(repr(e), repr(e.__cause__), e.__cause__ is e.__context__)
            show_exc(e)
    run(main())


def case_finally_and_with():
    events = []

    class ACM:
        async def __aenter__(self):
            events.append("enter")
            return self

        async def __aexit__(self, t, v, tb):
            events.append(("exit", t.__name__ if t else None))
            return False

    async def body(fail):
        try:
            async with ACM():
                events.append("body")
                if fail:
                    raise KeyError(fail)
                return "ok"
        finally:
            events.append("finally")

    async def main():
        print(await body(None))
        try:
            await body("x")
        except KeyError as e:
            show_exc(e)
        print(events)
    run(main())


def case_exc_info_inside_handlers():
    async def inner():
        print("inner sees", repr(sys.exc_info()[1]))
        try:
            raise KeyError("inner")
        except KeyError:
            print("inner handler", repr(sys.exc_info()[1]))
            await asyncio.sleep(0)          # suspends inside the handler
            print("inner handler resumed", repr(sys.exc_info()[1]))
        print("inner after", repr(sys.exc_info()[1]))
        return 1

    async def outer():
        try:
            raise ValueError("outer")
        except ValueError:
            await inner()
            print("outer handler", repr(sys.exc_info()[1]))
        print("outer after", repr(sys.exc_info()[1]))

    run(outer())


# --- suspension -----------------------------------------------------------

def case_suspend_deep():
    order = []

    async def level(n, fut):
        order.append(("enter", n))
        if n == 0:
            v = await fut
        else:
            v = await level(n - 1, fut)
        order.append(("leave", n))
        return v + 1

    async def main():
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        task = asyncio.ensure_future(level(4, fut))
        await asyncio.sleep(0)
        # Every level is now a suspended coroutine, chained by cr_await.
        coro = task.get_coro()
        chain = []
        while isinstance(coro, types.CoroutineType):
            chain.append((coro.__name__, inspect.getcoroutinestate(coro),
                          coro.cr_frame.f_lineno - level.__code__.co_firstlineno))
            coro = coro.cr_await
        print(chain, type(coro).__name__)
        fut.set_result(10)
        print(await task, order)

    run(main())


def case_throw_after_suspension():
    log = []

    async def leaf():
        try:
            await asyncio.sleep(10)
        finally:
            log.append("leaf finally")

    async def middle():
        try:
            await leaf()
        except asyncio.CancelledError:
            log.append("middle saw cancel")
            raise

    async def main():
        task = asyncio.ensure_future(middle())
        await asyncio.sleep(0)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            log.append("cancelled")
        print(log)

        async def thrower():
            await asyncio.sleep(0)
            return "unreached"

        async def catcher():
            try:
                return await thrower()
            except ZeroDivisionError as e:
                return "caught " + str(e)

        coro = catcher()
        fut = coro.send(None)               # suspends in thrower
        print(type(fut).__name__, inspect.getcoroutinestate(coro))
        try:
            coro.throw(ZeroDivisionError("thrown"))
        except StopIteration as e:
            print(e.value)

        async def raiser_after():
            await asyncio.sleep(0)
            raise LookupError("after suspension")

        try:
            await raiser_after()
        except LookupError as e:
            show_exc(e)

    run(main())


def case_frames_and_locals():
    async def leaf(a):
        b = a * 2
        f = sys._getframe()
        print("caller", sys._getframe(1).f_code.co_name, sorted(locals()))
        await asyncio.sleep(0)
        print("after", f.f_code.co_name, f.f_locals["b"], f.f_back is not None)
        return f

    async def main():
        f = await leaf(3)
        print("done", f.f_locals["a"], f.f_back)
    run(main())


def case_contextvars():
    var = contextvars.ContextVar("var", default="unset")

    async def setter(v, suspend):
        var.set(v)
        if suspend:
            await asyncio.sleep(0)
        return var.get()

    async def main():
        print(await setter("a", False), var.get())
        print(await setter("b", True), var.get())
    run(main())


def case_not_awaited_and_other_awaitables():
    async def coro_fn():
        return 1

    @types.coroutine
    def gen_based():
        yield
        return "gen-based"

    async def agen():
        yield "a"
        yield "b"

    def returns_future():
        fut = asyncio.get_running_loop().create_future()
        fut.set_result("future")
        return fut

    async def main():
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            c = coro_fn()               # created, never awaited
            del c
            gc.collect()
        print([str(x.message) for x in w])
        print(await gen_based())
        g = agen()
        print(await g.asend(None), await g.__anext__())
        await g.aclose()
        print(await returns_future())
        t = asyncio.ensure_future(coro_fn())
        print(t.done(), await t)
        print(await asyncio.gather(coro_fn(), coro_fn()))
    run(main())


def case_trace_and_profile_events():
    async def leaf(x):
        return x + 1

    async def mid():
        return await leaf(1)

    events = []

    def tracer(frame, event, arg):
        if frame.f_code in (leaf.__code__, mid.__code__):
            events.append(("trace", frame.f_code.co_name, event,
                           frame.f_lineno - mid.__code__.co_firstlineno))
        return tracer

    def profiler(frame, event, arg):
        if frame.f_code in (leaf.__code__, mid.__code__):
            events.append(("profile", frame.f_code.co_name, event))

    for name, setter, hook in [("trace", sys.settrace, tracer),
                               ("profile", sys.setprofile, profiler)]:
        c = mid()
        setter(hook)
        try:
            c.send(None)
        except StopIteration as e:
            print(name, "result", e.value)
        finally:
            setter(None)
    for e in events:
        print(e)


def case_origin_tracking():
    async def leaf():
        await asyncio.sleep(0)
        return sys._getframe().f_code.co_name

    async def main():
        sys.set_coroutine_origin_tracking_depth(2)
        try:
            task = asyncio.ensure_future(leaf())
            origin = task.get_coro().cr_origin
            print([(name, line - case_origin_tracking.__code__.co_firstlineno)
                   for _, line, name in origin])
            print(await task)

            async def deeper():
                c = leaf()
                print([name for _, _, name in c.cr_origin])
                return await c
            print(await deeper())
        finally:
            sys.set_coroutine_origin_tracking_depth(0)
    run(main())


def case_recursion_limit():
    async def rec(n):
        return await rec(n + 1) if n < 100000 else n

    async def depth(n):
        try:
            return await depth(n + 1)
        except RecursionError:
            return n

    async def main():
        try:
            await rec(0)
        except RecursionError as e:
            print("RecursionError", e)
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(200)
        try:
            print("depth reached", await depth(0))
        finally:
            sys.setrecursionlimit(old)
    run(main())


def case_coroutine_reuse_errors():
    async def leaf():
        return 1

    async def main():
        c = leaf()
        print(await c)
        try:
            await c
        except RuntimeError as e:
            print(e)
    run(main())


def main():
    names = sorted(n for n in globals() if n.startswith("case_"))
    if len(sys.argv) > 1:
        names = sys.argv[1:]
    for name in names:
        print("=== " + name)
        try:
            globals()[name]()
        except BaseException as e:
            print("case failed:")
            show_exc(e)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
