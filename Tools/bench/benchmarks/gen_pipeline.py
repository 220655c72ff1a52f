"""Generator pipeline: a pure-Python permutations() generator feeding an n-queens filter.

permutations() is written here, not taken from itertools: it yields the
permutations of its input in lexicographic order by the textbook
next-permutation step (find the last ascent with a for...else loop that
breaks, swap with the last larger element, reverse the tail), yielding
from inside the loop.  An n-queens solver filters the permutations of
range(8) with generator expressions inside set(...) (a board is a solution
when the queens' sums row+col and differences row-col are all distinct),
and a pipeline of generator stages over the permutations of range(7)
counts derangements and fixed points and sums inversion counts.  It
exercises generator resumption, for...else with break, tuple building and
generator expressions consumed by set() and sum().  The result is checked
against facts: 8! and 7! permutations in strictly increasing order, 92
solutions of 8-queens with the known first and last ones, 1854
derangements of 7 items, 7! fixed points in all (one per item per (n-1)!
arrangement), and 7! * 21 / 2 inversions in all.
"""

GROUP = "calls"

QUEENS = 8
PIPE = 7


def permutations(items):
    """Yield every ordering of items (given sorted) in lexicographic order."""
    items = list(items)
    n = len(items)
    while True:
        yield tuple(items)
        for i in range(n - 2, -1, -1):        # the last ascent
            if items[i] < items[i + 1]:
                break
        else:
            return                            # none: this was the last one
        for j in range(n - 1, i, -1):         # the last element above items[i]
            if items[j] > items[i]:
                break
        items[i], items[j] = items[j], items[i]
        items[i + 1:] = items[:i:-1]          # the tail, reversed


def queens(n, seen):
    """Yield the n-queens solutions: entry r is the column of row r's queen.
    seen[0] counts the boards tried."""
    rows = range(n)
    for cols in ordered(permutations(rows)):
        seen[0] += 1
        if (len(set(cols[r] + r for r in rows)) == n and
                len(set(cols[r] - r for r in rows)) == n):
            yield cols


def ordered(perms):
    """Pass the permutations through; raise if one is out of order."""
    previous = None
    for p in perms:
        if previous is not None and not previous < p:
            raise AssertionError("permutations out of order: %r, %r" % (previous, p))
        previous = p
        yield p


def fixed_points(perms):
    for p in perms:
        yield p, sum(1 for i, x in enumerate(p) if i == x)


def inversions(pairs):
    for p, fixed in pairs:
        n = len(p)
        yield fixed, sum(1 for i in range(n) for j in range(i + 1, n) if p[i] > p[j])


def pipeline(n):
    count = derangements = fixed_total = inversion_total = 0
    for fixed, inv in inversions(fixed_points(ordered(permutations(range(n))))):
        count += 1
        if fixed == 0:
            derangements += 1
        fixed_total += fixed
        inversion_total += inv
    return count, derangements, fixed_total, inversion_total


def run():
    total = 0
    first = last = None
    seen = [0]
    for cols in queens(QUEENS, seen):
        if first is None:
            first = cols
        last = cols
        total += 1
    return (seen[0], total, list(first), list(last)) + pipeline(PIPE)


def factorial(n):
    return 1 if n < 2 else n * factorial(n - 1)


# Facts: 8! permutations, 92 solutions of 8-queens (OEIS A000170) with the
# lexicographically first and last ones, the derangements of 7 (A000166),
# n! fixed points in all over the permutations of n, and n! * n(n-1)/4
# inversions in all.
EXPECTED = (factorial(QUEENS), 92, [0, 4, 7, 5, 2, 6, 1, 3],
            [7, 3, 0, 2, 5, 1, 6, 4], factorial(PIPE), 1854, factorial(PIPE),
            factorial(PIPE) * PIPE * (PIPE - 1) // 4)
FIELDS = ("8! permutations", "8-queens solutions", "first solution",
          "last solution", "7! permutations", "derangements of 7",
          "fixed points", "inversions")


def check(result):
    assert len(result) == len(EXPECTED), "expected %d values, got %r" % (
        len(EXPECTED), result)
    for name, want, got in zip(FIELDS, EXPECTED, result):
        assert got == want, "expected %s %r, got %r" % (name, want, got)
