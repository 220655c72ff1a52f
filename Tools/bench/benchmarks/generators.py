"""Generators: chained generator pipelines, yield from, send() and generator expressions.

Five workloads over the integers 0..N-1, all driven through generators:
(1) a pipeline of chained generator functions (count, square, keep the
even squares) summed by a for loop; (2) a binary tree of generators that
delegate with `yield from` down to leaves of at most LEAF numbers, so each
value climbs through about log2(N / LEAF) frames; (3) a coroutine
accumulator driven with send(); (4) generator expressions (x % 7 summed,
and the squares of a filtered pipeline counted) consumed by sum(); (5)
`yield from` sub-generators whose return values (the sums of their blocks)
are collected by the delegating generator.  It exercises generator creation,
resumption, delegation and closing.  Every result is checked against its
closed form (sums of i, i*i and i % 7 over a range).
"""

GROUP = "calls"

N = 100000     # numbers 0..N-1 flow through every workload
LEAF = 8       # largest range handled by one leaf of the yield-from tree
BLOCK = 100    # numbers per sub-generator in workload 5


def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1


def squared(numbers):
    for x in numbers:
        yield x * x


def even_only(numbers):
    for x in numbers:
        if not x & 1:
            yield x


def pipeline_sum(n):
    total = 0
    for x in even_only(squared(count_up(n))):
        total += x
    return total


def tree(lo, hi):
    """Yield lo..hi-1 by splitting the range in halves down to small leaves."""
    if hi - lo <= LEAF:
        for i in range(lo, hi):
            yield i
        return
    mid = (lo + hi) // 2
    yield from tree(lo, mid)
    yield from tree(mid, hi)


def tree_sum_and_count(n):
    total = count = 0
    for x in tree(0, n):
        total += x
        count += 1
    return total, count


def accumulator():
    """Coroutine: send() it numbers; each send returns the running total."""
    total = 0
    while True:
        value = yield total
        total += value


def send_total(n):
    acc = accumulator()
    next(acc)           # run to the first yield
    running = 0
    for i in range(n):
        running = acc.send(3 * i + 1)
    acc.close()
    return running


def expression_sums(n):
    mod_sum = sum(x % 7 for x in count_up(n))
    odd_squares = sum(1 for y in (x * x for x in count_up(n)) if y & 1)
    return mod_sum, odd_squares


def block(lo, hi):
    """Yield lo..hi-1 and return their sum."""
    total = 0
    for i in range(lo, hi):
        total += i
        yield i
    return total


def blocks(n):
    """Yield every number of 0..n-1 through sub-generators; yield each block's sum last."""
    sums = []
    for lo in range(0, n, BLOCK):
        sums.append((yield from block(lo, min(lo + BLOCK, n))))
    yield sums


def block_results(n):
    count = 0
    for item in blocks(n):
        if isinstance(item, list):
            return count, len(item), sum(item), item[-1]
        count += 1
    raise AssertionError("blocks() did not yield its sums")


def run():
    return ((N, pipeline_sum(N)) + tree_sum_and_count(N) + (send_total(N),) +
            expression_sums(N) + block_results(N))


def expected(n):
    """Every run() value from closed forms."""
    s1 = n * (n - 1) // 2                       # sum of i for i < n
    m = (n + 1) // 2                            # even numbers below n: 0, 2, ..., 2(m-1)
    even_squares = 4 * (m - 1) * m * (2 * m - 1) // 6
    q, r = divmod(n, 7)
    mod7 = 21 * q + r * (r - 1) // 2            # each full run of 7 sums to 0+1+...+6
    odd = n // 2                                # odd numbers below n (odd square iff odd)
    nblocks = (n + BLOCK - 1) // BLOCK
    last_lo = (nblocks - 1) * BLOCK
    last_block = (last_lo + n - 1) * (n - last_lo) // 2
    return (n, even_squares, s1, n, 3 * s1 + n, mod7, odd, n, nblocks, s1, last_block)


LABELS = ("n", "pipeline sum", "tree sum", "tree count", "send total",
          "sum of x % 7", "odd squares", "numbers through blocks", "blocks",
          "sum of block returns", "last block return")


def check(result):
    want = expected(N)
    assert len(result) == len(want), "expected %d values, got %r" % (len(want), result)
    for label, w, got in zip(LABELS, want, result):
        assert got == w, "expected %s = %r, got %r" % (label, w, got)
