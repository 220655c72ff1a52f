"""Fannkuch-redux: pancake-flip counts over every permutation of n = 8 items.

Every permutation of n items is visited in the classic rotation order: the
next permutation is made by rotating the first i+1 items left by one, with
a per-position counter deciding when to carry to the next longer prefix.
For each permutation the "pancake" process repeatedly reverses the first k
items, where k is the value at the front, until the front value is the
smallest one; the number of reversals is the permutation's flip count.
The whole n = 8 problem is solved twice, once reversing prefixes with
explicit swaps and once with slice assignment, and the smaller n = 7 once.
It exercises list indexing and slicing, slice assignment, tuple swaps,
small-integer arithmetic and while loops.  The result is n, the checksum
(flip counts summed with alternating signs in visiting order) and the
maximum flip count from each solve, checked against the known values
(1616, 22) for n = 8 and (228, 16) for n = 7.
"""

GROUP = "numeric"

N = 8          # main problem size
SMALL_N = 7    # also solved as a cross-check


def count_flips(perm):
    """Flip the prefix perm[0..k] (k = perm[0]) until perm[0] == 0; return the count.

    perm is modified; pass a copy.
    """
    flips = 0
    k = perm[0]
    while k:
        # reverse perm[0..k] inclusive by swapping from both ends
        lo, hi = 0, k
        while lo < hi:
            perm[lo], perm[hi] = perm[hi], perm[lo]
            lo += 1
            hi -= 1
        flips += 1
        k = perm[0]
    return flips


def count_flips_sliced(perm):
    """Same as count_flips, reversing each prefix with one slice assignment."""
    flips = 0
    k = perm[0]
    while k:
        perm[:k + 1] = perm[k::-1]
        flips += 1
        k = perm[0]
    return flips


def fannkuch(n, flip_counter=count_flips):
    """Return (checksum, max flips) over all n! permutations of range(n)."""
    perm = list(range(n))
    # counter[i]: rotations of the prefix perm[0..i] still to make before
    # that prefix is back in its starting order and we carry to i+1.
    counter = [i + 1 for i in range(n)]
    checksum = 0
    max_flips = 0
    sign = 1
    while True:
        if perm[0]:
            flips = flip_counter(perm[:])
            checksum += sign * flips
            if flips > max_flips:
                max_flips = flips
        sign = -sign
        # advance to the next permutation
        i = 1
        while True:
            if i >= n:
                return checksum, max_flips
            first = perm[0]
            perm[:i] = perm[1:i + 1]
            perm[i] = first
            counter[i] -= 1
            if counter[i]:
                break
            counter[i] = i + 1
            i += 1


def run():
    small = fannkuch(SMALL_N)
    checksum, max_flips = fannkuch(N)
    again = fannkuch(N, count_flips_sliced)
    return (N, checksum, max_flips, small[0], small[1], again[0], again[1])


# Known facts: fannkuch-redux checksum and maximum flips for n = 7 and 8.
KNOWN = {7: (228, 16), 8: (1616, 22), 9: (8629, 30)}


def check(result):
    assert len(result) == 7, (
        "expected (n, checksum, max flips, small checksum, small max, sliced checksum,"
        " sliced max), got %r" % (result,))
    n, checksum, max_flips, small_checksum, small_max, sliced_checksum, sliced_max = result
    assert n == N, "expected n=%d, got %r" % (N, n)
    want_sum, want_max = KNOWN[N]
    assert checksum == want_sum, "expected checksum %d for n=%d, got %r" % (want_sum, N, checksum)
    assert max_flips == want_max, "expected max flips %d for n=%d, got %r" % (want_max, N, max_flips)
    assert (sliced_checksum, sliced_max) == KNOWN[N], (
        "expected (checksum, max flips) %r for n=%d with sliced flips, got %r" % (
            KNOWN[N], N, (sliced_checksum, sliced_max)))
    want_sum, want_max = KNOWN[SMALL_N]
    assert small_checksum == want_sum, "expected checksum %d for n=%d, got %r" % (
        want_sum, SMALL_N, small_checksum)
    assert small_max == want_max, "expected max flips %d for n=%d, got %r" % (
        want_max, SMALL_N, small_max)
