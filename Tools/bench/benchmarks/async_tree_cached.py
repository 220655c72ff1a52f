"""Async call tree whose awaited lookups mostly return without suspending.

A tree of coroutines (fan-out 4, depth 8: 87381 nodes) is walked with
sequential awaits, not gather, inside one event loop task.  Every node first
awaits lookup(key), an `async def` over an in-memory dict: for about 90% of
the nodes the key is already cached and the coroutine returns at once; on a
miss it awaits asyncio.sleep(0) (one trip through the event loop) and then
fills the cache.  It exercises coroutine creation, await of coroutines that
finish without suspending, and a little event-loop scheduling.  Node keys
are node_number * 7919 mod 8738, so every key occurs and the misses are
exactly the 8738 distinct keys; the node count is (4**9 - 1) / 3.  Both are
checked as facts, and an order-sensitive checksum of the looked-up values
(computed once and pinned) verifies that the walk combined them correctly.
"""

import asyncio

GROUP = "async"

FANOUT = 4
DEPTH = 8                  # levels below the root
NODES = (FANOUT ** (DEPTH + 1) - 1) // (FANOUT - 1)   # 87381
KEYS = 8738                # distinct cache keys, about NODES / 10
KEY_STRIDE = 7919          # prime, coprime to KEYS: every key gets used
MOD = (1 << 61) - 1        # modulus of the checksum


def slow_value(key):
    """The value a cache miss 'fetches' for key (any fixed function will do)."""
    return (key * 2654435761 + 12345) & 0xFFFFFFFF


class Cache(object):
    """An async key/value lookup backed by a dict, counting misses."""

    def __init__(self):
        self.data = {}
        self.misses = 0
        self.lookups = 0

    async def lookup(self, key):
        self.lookups += 1
        value = self.data.get(key)
        if value is None:                 # miss: pretend to go to the network
            self.misses += 1
            await asyncio.sleep(0)
            value = self.data[key] = slow_value(key)
        return value


async def visit(cache, number, depth):
    """Visit node `number` (heap numbering) and its subtree; return a checksum."""
    h = await cache.lookup(number * KEY_STRIDE % KEYS)
    if depth < DEPTH:
        first = number * FANOUT + 1
        for child in range(first, first + FANOUT):
            h = (h * 31 + await visit(cache, child, depth + 1)) % MOD
    return h


def run():
    cache = Cache()
    loop = asyncio.new_event_loop()
    try:
        digest = loop.run_until_complete(visit(cache, 0, 0))
    finally:
        loop.close()
    return (cache.lookups, cache.misses, len(cache.data), digest)


# Golden value: the root checksum, computed once with this file and pinned
# (it is a pure function of the tree shape, the keys and slow_value()).
CHECKSUM = 2276894885019873341


def check(result):
    assert len(result) == 4, "expected a 4-tuple, got %r" % (result,)
    lookups, misses, cached, digest = result
    assert lookups == NODES, "expected %d nodes visited, got %r" % (NODES, lookups)
    assert misses == KEYS, "expected %d misses, got %r" % (KEYS, misses)
    assert cached == KEYS, "expected %d cached keys, got %r" % (KEYS, cached)
    assert digest == CHECKSUM, "expected checksum %r, got %r" % (CHECKSUM, digest)
