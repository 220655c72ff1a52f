"""Async call tree where every awaited leaf call suspends to the event loop.

The same tree of coroutines as async_tree_cached (fan-out 4, walked with
sequential awaits, not gather, inside one event loop task), but every node
awaits fetch(key), an `async def` that always awaits asyncio.sleep(0) before
returning its value, so each of the 21845 nodes (depth 7) makes one round
trip through the event loop: the whole chain of suspended coroutines is
resumed by the task, and the loop runs one callback per suspension.  It
exercises coroutine suspension and resumption through a deep await chain
and the event loop's ready queue.  The node count (4**8 - 1) / 3 and the
number of resumptions after a suspension (one per node) are checked as facts; an
order-sensitive checksum of the fetched values (computed once and pinned)
verifies that the walk combined them correctly.
"""

import asyncio

GROUP = "async"

FANOUT = 4
DEPTH = 7                  # levels below the root
NODES = (FANOUT ** (DEPTH + 1) - 1) // (FANOUT - 1)   # 21845
KEYS = 2184                # distinct keys (only shape the values here)
KEY_STRIDE = 7919
MOD = (1 << 61) - 1        # modulus of the checksum


def remote_value(key):
    """The value fetch() returns for key (any fixed function will do)."""
    return (key * 2654435761 + 12345) & 0xFFFFFFFF


class Fetcher(object):
    """An async fetch that always yields to the event loop once."""

    def __init__(self):
        self.calls = 0
        self.resumed = 0

    async def fetch(self, key):
        self.calls += 1
        await asyncio.sleep(0)            # always goes round the loop
        self.resumed += 1
        return remote_value(key)


async def visit(fetcher, number, depth):
    """Visit node `number` (heap numbering) and its subtree; return a checksum."""
    h = await fetcher.fetch(number * KEY_STRIDE % KEYS)
    if depth < DEPTH:
        first = number * FANOUT + 1
        for child in range(first, first + FANOUT):
            h = (h * 31 + await visit(fetcher, child, depth + 1)) % MOD
    return h


def run():
    fetcher = Fetcher()
    loop = asyncio.new_event_loop()
    try:
        digest = loop.run_until_complete(visit(fetcher, 0, 0))
    finally:
        loop.close()
    return (fetcher.calls, fetcher.resumed, digest)


# Golden value: the root checksum, computed once with this file and pinned
# (it is a pure function of the tree shape, the keys and remote_value()).
CHECKSUM = 1847622870553853695


def check(result):
    assert len(result) == 3, "expected a 3-tuple, got %r" % (result,)
    calls, resumed, digest = result
    assert calls == NODES, "expected %d nodes visited, got %r" % (NODES, calls)
    assert resumed == NODES, "expected %d resumptions, got %r" % (NODES, resumed)
    assert digest == CHECKSUM, "expected checksum %r, got %r" % (CHECKSUM, digest)
