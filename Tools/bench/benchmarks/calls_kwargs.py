"""Keyword calls: defaults, keyword-only parameters and *args/**kwargs forwarding.

A small family of functions computes a weighted sum of its arguments:
weigh(a, b, c=3, *, scale=1, shift=0) = (a + 2*b + 3*c) * scale + shift.
ROUNDS times, with i the round number, it is reached through a fixed set of
call shapes: positional with defaults, all-keyword in a shuffled order,
*args/**kwargs forwarding through two and three layers (one of which
injects a default with setdefault, one of which renames a keyword), a
decorator-style wrapper, a bound method with keyword-only parameters, a
call that unpacks a prepared tuple and dict, and a **kwargs collector that
sums its keyword values.  It exercises argument binding: keyword matching,
default filling, packing and unpacking of *args and **kwargs.  The result
is the total of each call shape over all rounds plus the round count; the
totals are checked against closed forms derived by hand from the
arithmetic (sums of i and i*i over the rounds).
"""

GROUP = "calls"

ROUNDS = 30000


def weigh(a, b, c=3, *, scale=1, shift=0):
    return (a + 2 * b + 3 * c) * scale + shift


def forward(a, *args, **kwargs):
    """One layer of plain forwarding."""
    return weigh(a, *args, **kwargs)


def forward_with_shift(*args, **kwargs):
    """Forwarding that supplies shift=1 unless the caller gave one."""
    kwargs.setdefault("shift", 1)
    return forward(*args, **kwargs)


def forward_renamed(first, *rest, factor=1, **kwargs):
    """Forwarding that turns its own keyword 'factor' into weigh's 'scale'."""
    return forward_with_shift(first, *rest, scale=factor, **kwargs)


def passthrough(func):
    """A decorator whose wrapper forwards every argument unchanged."""
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


@passthrough
def weigh_wrapped(a, b, c=3, *, scale=1, shift=0):
    return weigh(a, b, c, scale=scale, shift=shift)


class Scale(object):
    def __init__(self, factor):
        self.factor = factor

    def apply(self, a, b=0, *, c=3, shift=0):
        return weigh(a, b, c, scale=self.factor, shift=shift)


def collect(**values):
    """Sum of the keyword argument values."""
    total = 0
    for value in values.values():
        total += value
    return total


def run():
    totals = [0] * 9
    doubler = Scale(2)
    for i in range(ROUNDS):
        # one call per shape; expected() gives each total's closed form
        totals[0] += weigh(i, 1)
        totals[1] += weigh(shift=i, c=2, scale=3, b=i, a=1)
        totals[2] += forward(i, i, c=1, scale=2)
        totals[3] += forward_with_shift(i, 2)
        totals[4] += forward_renamed(i, 1, 1, factor=i, shift=0)
        totals[5] += weigh_wrapped(i, b=i, scale=2)
        totals[6] += doubler.apply(i, shift=i)
        args = (i, 2)
        kwargs = {"c": i, "shift": 5}
        totals[7] += weigh(*args, **kwargs)
        totals[8] += collect(x=i, y=2 * i, z=3)
    return (ROUNDS, totals)


def expected(n):
    """Closed forms of every call shape's total over rounds i = 0..n-1."""
    s0 = n                          # sum of 1
    s1 = n * (n - 1) // 2           # sum of i
    s2 = (n - 1) * n * (2 * n - 1) // 6   # sum of i*i
    return [
        s1 + 11 * s0,               # weigh(i, 1): i + 2 + 9
        7 * s1 + 21 * s0,           # (1 + 2i + 6) * 3 + i
        6 * s1 + 6 * s0,            # (i + 2i + 3) * 2
        s1 + 14 * s0,               # (i + 4 + 9) + 1
        s2 + 5 * s1,                # (i + 2 + 3) * i + 0
        6 * s1 + 18 * s0,           # (i + 2i + 9) * 2
        3 * s1 + 18 * s0,           # (i + 0 + 9) * 2 + i
        4 * s1 + 9 * s0,            # (i + 4 + 3i) + 5
        3 * s1 + 3 * s0,            # i + 2i + 3
    ]


def check(result):
    assert len(result) == 2, "expected (rounds, totals), got %r" % (result,)
    rounds, totals = result
    assert rounds == ROUNDS, "expected %d rounds, got %r" % (ROUNDS, rounds)
    want = expected(ROUNDS)
    assert len(totals) == len(want), "expected %d totals, got %r" % (len(want), totals)
    for shape, (w, got) in enumerate(zip(want, totals)):
        assert got == w, "expected total %r for call shape %d, got %r" % (w, shape, got)
