"""Gather-heavy async fan-out: asyncio.gather over four levels of children.

A root coroutine fans out with asyncio.gather(*[child(...) for ...]) over
FANOUT children, each of which does the same, down to DEPTH levels; the
leaves mostly return a value at once, but one in eight (chosen by a fixed
rule on the leaf number) first awaits asyncio.sleep(0).  Every inner node
combines its children's results, which gather returns in argument order, so
the checksum does not depend on the order in which tasks finish.  It
exercises task creation and scheduling, gather's bookkeeping, and futures
completing in bulk.  If the environment variable EMBER_BENCH_EAGER_TASKS=1
is set and asyncio has eager_task_factory (3.12+), the loop uses it, so
children that do not suspend finish without being scheduled; otherwise the
default task factory is used.  The counts of nodes, gathers, leaves and
suspending leaves are checked as facts about the tree; the root checksum
was computed once and pinned.
"""

import asyncio
import os

GROUP = "async"

FANOUT = 9
DEPTH = 4                                                # levels below the root
NODES = (FANOUT ** (DEPTH + 1) - 1) // (FANOUT - 1)      # 7381
LEAVES = FANOUT ** DEPTH                                 # 6561
FIRST_LEAF = NODES - LEAVES          # heap numbering: leaves are the last ones
MOD = (1 << 61) - 1                  # modulus of the checksum


def node_value(number):
    """A fixed value per node, mixed into the checksum."""
    return (number * 2654435761 + 97) & 0xFFFFFFFF


def leaf_suspends(number):
    """The rule picking the leaves that go round the event loop (1 in 8)."""
    return (number * 40503) % 8 == 5


# Fact about the tree: how many leaves the rule above picks.
SUSPENDING = sum(1 for n in range(FIRST_LEAF, NODES) if leaf_suspends(n))


class Counters(object):
    def __init__(self):
        self.nodes = 0
        self.gathers = 0
        self.leaves = 0
        self.suspended = 0


async def child(counters, number, depth):
    """Node `number` (heap numbering): gather the children, or be a leaf."""
    counters.nodes += 1
    if depth == DEPTH:
        counters.leaves += 1
        if leaf_suspends(number):
            await asyncio.sleep(0)
            counters.suspended += 1
        return node_value(number)
    first = number * FANOUT + 1
    counters.gathers += 1
    results = await asyncio.gather(
        *[child(counters, c, depth + 1) for c in range(first, first + FANOUT)])
    h = node_value(number)
    for r in results:
        h = (h * 31 + r) % MOD
    return h


def want_eager_tasks():
    return (os.environ.get("EMBER_BENCH_EAGER_TASKS") == "1" and
            hasattr(asyncio, "eager_task_factory"))


def run():
    counters = Counters()
    loop = asyncio.new_event_loop()
    try:
        if want_eager_tasks():
            loop.set_task_factory(asyncio.eager_task_factory)
        digest = loop.run_until_complete(child(counters, 0, 0))
    finally:
        loop.close()
    return (counters.nodes, counters.gathers, counters.leaves,
            counters.suspended, digest)


# Golden value: the root checksum, computed once with this file and pinned
# (it is a pure function of the tree shape and node_value()).
CHECKSUM = 155160563505892395


def check(result):
    assert len(result) == 5, "expected a 5-tuple, got %r" % (result,)
    nodes, gathers, leaves, suspended, digest = result
    assert nodes == NODES, "expected %d nodes, got %r" % (NODES, nodes)
    assert gathers == NODES - LEAVES, "expected %d gathers, got %r" % (
        NODES - LEAVES, gathers)
    assert leaves == LEAVES, "expected %d leaves, got %r" % (LEAVES, leaves)
    assert suspended == SUSPENDING, "expected %d suspending leaves, got %r" % (
        SUSPENDING, suspended)
    assert digest == CHECKSUM, "expected checksum %r, got %r" % (CHECKSUM, digest)
