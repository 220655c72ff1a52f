"""Recursive calls: naive Fibonacci, Takeuchi, Ackermann and Towers of Hanoi.

Four small recursive functions whose cost is almost entirely Python-level
function calls and returns with a few integer operations each: doubly
recursive fib(n), the Takeuchi function tak(x, y, z), the Ackermann
function A(m, n) for m <= 3 (deep, narrow recursion) and a Towers of Hanoi
solver that counts moves and sums the disc numbers moved.  Each function
also counts its own calls through a module-level counter in a list.  The
results are checked against facts: fib(28) = 317811, tak(18, 12, 6) = 7,
A(2, n) = 2n + 3, A(3, n) = 2**(n+3) - 3, Hanoi with d discs takes
2**d - 1 moves and moves disc k 2**(d-k) times; the call counts are checked
against their closed forms (fib makes 2*fib(n+1) - 1 calls) or, for tak
and Ackermann, golden values computed once and pinned.
"""

GROUP = "calls"

FIB_N = 28
TAK_ARGS = (18, 12, 6)
ACK_CASES = ((2, 40), (3, 5))     # (m, n) pairs; A(3, 5) recurses ~250 deep
HANOI_DISCS = 14

calls = [0]    # calls made by the functions below (reset per run)


def fib(n):
    calls[0] += 1
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def tak(x, y, z):
    calls[0] += 1
    if y >= x:
        return z
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))


def ackermann(m, n):
    calls[0] += 1
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


def hanoi(discs, source, target, spare):
    """Move discs 1..discs from source to target; return (moves, sum of discs moved)."""
    calls[0] += 1
    if discs == 0:
        return 0, 0
    moves1, total1 = hanoi(discs - 1, source, spare, target)
    moves2, total2 = hanoi(discs - 1, spare, target, source)
    return moves1 + moves2 + 1, total1 + total2 + discs


def counted(func, *args):
    """Call func(*args); return (its result, the number of calls it made)."""
    calls[0] = 0
    value = func(*args)
    return value, calls[0]


def run():
    result = list(counted(fib, FIB_N))
    result.extend(counted(tak, *TAK_ARGS))
    for m, n in ACK_CASES:
        result.extend(counted(ackermann, m, n))
    moves_and_total, hanoi_calls = counted(hanoi, HANOI_DISCS, 0, 2, 1)
    result.extend(moves_and_total)
    result.append(hanoi_calls)
    return tuple(result)


def fib_closed(n):
    """fib(n) by iteration (an independent computation)."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def ackermann_closed(m, n):
    """A(m, n) for m <= 3 from its closed forms."""
    return {0: n + 1, 1: n + 2, 2: 2 * n + 3, 3: 2 ** (n + 3) - 3}[m]


# Golden values computed once and pinned: calls made by tak(18, 12, 6) and
# by A(2, 40) and A(3, 5).
TAK_CALLS = 63609
ACK_CALLS = (3485, 42438)


def expected():
    want = [fib_closed(FIB_N), 2 * fib_closed(FIB_N + 1) - 1]
    want += [7, TAK_CALLS]                      # tak(18, 12, 6) = 7 is a known fact
    for (m, n), ack_calls in zip(ACK_CASES, ACK_CALLS):
        want += [ackermann_closed(m, n), ack_calls]
    d = HANOI_DISCS
    # moves: 2**d - 1; disc k moves 2**(d-k) times; one call per move plus
    # one per empty sub-tower (2**d of them).
    want += [2 ** d - 1, sum(k * 2 ** (d - k) for k in range(1, d + 1)), 2 ** (d + 1) - 1]
    return tuple(want)


LABELS = ("fib(%d)" % FIB_N, "fib calls", "tak%r" % (TAK_ARGS,), "tak calls",
          "A%r" % (ACK_CASES[0],), "A%r calls" % (ACK_CASES[0],),
          "A%r" % (ACK_CASES[1],), "A%r calls" % (ACK_CASES[1],),
          "hanoi moves", "hanoi disc sum", "hanoi calls")


def check(result):
    want = expected()
    assert len(result) == len(want), "expected %d values, got %r" % (len(want), result)
    assert fib_closed(FIB_N) == 317811, "fib_closed is broken"
    for label, w, got in zip(LABELS, want, result):
        assert got == w, "expected %s = %r, got %r" % (label, w, got)
