"""Recursive coroutines: trees of awaits, driven by coro.send(None) and by an asyncio event loop.

Three recursive `async def` workloads: (1) Fibonacci by awaiting fib(n-1)
and fib(n-2), a binary tree of about 243,000 coroutines that all finish
without suspending, driven by one coro.send(None) that raises
StopIteration with the answer; (2) an expression tree (sums, products
and differences of leaves, built once with the shared LCG) evaluated by
a recursive coroutine whose leaves await a small awaitable class that
suspends every eighth leaf, driven by a loop that calls send(None) until
StopIteration and counts the suspensions; (3) a recursive directory-like
walk (fan-out 5, depth 6) run with asyncio, where a node awaits its
children in turn and every 16th node awaits asyncio.sleep(0).  It
exercises coroutine creation, await of coroutines that return at once,
suspension through a chain of awaiting frames, and StopIteration
carrying the result.  The result is checked against facts: fib(25), the
number of calls fib makes (2 * fib(26) - 1), the expression's value
computed by a plain recursive function, the suspension count, and the
walk's node count and sum from closed forms.
"""

import asyncio

from _lcg import Lcg

GROUP = "async"

FIB_N = 25
EXPR_DEPTH = 15          # an expression tree of 2**15 leaves
WALK_FANOUT = 5
WALK_DEPTH = 6
MOD = (1 << 31) - 1


class Counter(object):
    def __init__(self):
        self.calls = 0


async def fib(n, counter):
    counter.calls += 1
    if n < 2:
        return n
    return await fib(n - 1, counter) + await fib(n - 2, counter)


class Pause(object):
    """An awaitable that suspends its whole await chain once."""

    def __await__(self):
        yield None


async def leaf_value(value, index):
    if index % 8 == 7:
        await Pause()
    return value


def make_expr(rng, depth, counter):
    """A nested tuple: ('leaf', value, index) or (op, left, right)."""
    if depth == 0:
        counter[0] += 1
        return ("leaf", rng.next(100) - 30, counter[0] - 1)
    op = ("+", "*", "-")[rng.next(3)]
    return (op, make_expr(rng, depth - 1, counter), make_expr(rng, depth - 1, counter))


async def evaluate(node):
    kind = node[0]
    if kind == "leaf":
        return await leaf_value(node[1], node[2])
    left = await evaluate(node[1])
    right = await evaluate(node[2])
    if kind == "+":
        return (left + right) % MOD
    if kind == "*":
        return (left * right) % MOD
    return (left - right) % MOD


def evaluate_plain(node):
    kind = node[0]
    if kind == "leaf":
        return node[1]
    left = evaluate_plain(node[1])
    right = evaluate_plain(node[2])
    if kind == "+":
        return (left + right) % MOD
    if kind == "*":
        return (left * right) % MOD
    return (left - right) % MOD


def drive(coro):
    """Run a coroutine by hand: (result, number of suspensions)."""
    suspensions = 0
    try:
        while True:
            coro.send(None)
            suspensions += 1
    except StopIteration as stop:
        return stop.value, suspensions


async def walk(number, depth, stats):
    """Visit node `number` (heap numbering) and its subtree."""
    stats[0] += 1
    stats[1] += number
    if number % 16 == 0:
        await asyncio.sleep(0)
    if depth == WALK_DEPTH:
        return 1
    leaves = 0
    first = number * WALK_FANOUT + 1
    for child in range(first, first + WALK_FANOUT):
        leaves += await walk(child, depth + 1, stats)
    return leaves


_expr = None


def run():
    global _expr
    if _expr is None:
        _expr = make_expr(Lcg(5), EXPR_DEPTH, [0])
    counter = Counter()
    fib_value, fib_pauses = drive(fib(FIB_N, counter))
    expr_value, expr_pauses = drive(evaluate(_expr))
    stats = [0, 0]
    loop = asyncio.new_event_loop()
    try:
        leaves = loop.run_until_complete(walk(0, 0, stats))
    finally:
        loop.close()
    return (fib_value, counter.calls, fib_pauses, expr_value, expr_pauses,
            leaves, stats[0], stats[1])


def fib_plain(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def check(result):
    assert len(result) == 8, "expected 8 values, got %r" % (result,)
    fib_value, calls, fib_pauses, expr_value, expr_pauses, leaves, nodes, total = result
    assert fib_value == fib_plain(FIB_N), "expected fib %r, got %r" % (
        fib_plain(FIB_N), fib_value)
    want_calls = 2 * fib_plain(FIB_N + 1) - 1
    assert calls == want_calls, "expected %d fib calls, got %r" % (want_calls, calls)
    assert fib_pauses == 0, "fib suspended %r times" % (fib_pauses,)
    want_expr = evaluate_plain(_expr if _expr is not None else make_expr(Lcg(5), EXPR_DEPTH, [0]))
    assert expr_value == want_expr, "expected expression %r, got %r" % (want_expr, expr_value)
    want_pauses = 2 ** EXPR_DEPTH // 8
    assert expr_pauses == want_pauses, "expected %d suspensions, got %r" % (
        want_pauses, expr_pauses)
    assert leaves == WALK_FANOUT ** WALK_DEPTH, "expected %d leaves, got %r" % (
        WALK_FANOUT ** WALK_DEPTH, leaves)
    want_nodes = (WALK_FANOUT ** (WALK_DEPTH + 1) - 1) // (WALK_FANOUT - 1)
    assert nodes == want_nodes, "expected %d nodes, got %r" % (want_nodes, nodes)
    want_total = want_nodes * (want_nodes - 1) // 2     # heap numbers 0..nodes-1
    assert total == want_total, "expected node sum %d, got %r" % (want_total, total)
