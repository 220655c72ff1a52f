"""Unpack sequence: hundreds of tuple and list unpackings, swaps and rotations per call.

Five kernels, each a loop whose body is mostly sequence unpacking: (1) a
function generated once at import whose loop body is 200 unpacking
statements (rotations and swaps of eight locals, alternating tuple and
list targets and sources); (2) Fibonacci and gcd pairs stepped with
`a, b = b, ...`; (3) in-place swaps inside a list (reversal, a
Fisher-Yates shuffle driven by the shared LCG, and a bubble pass);
(4) for-loop targets that unpack nested pairs and triples, `*rest`
targets and dict items; (5) a 3x3 rotation of nine names.  It exercises
UNPACK_SEQUENCE, UNPACK_EX, BUILD_TUPLE and the swaps the compiler turns
into stack rotations.  The result is checked against facts (the
generated body is a permutation whose order is computed independently
by composing it on a list of indices, a list reversed twice is the
original, a shuffle keeps the multiset, gcd against math.gcd) and
checksums computed once and pinned.
"""

import math

from _lcg import Lcg

GROUP = "calls"

ROUNDS = 8001          # loop trips of the generated 200-statement function
STATEMENTS = 200
FIB_STEPS = 40000
LIST_SIZE = 500
MOD = (1 << 61) - 1


def make_body(count):
    """`count` unpacking statements over the names a..h: each is a
    permutation of some of them, with tuple or list targets and sources."""
    names = list("abcdefgh")
    rng = Lcg(2024)
    lines = []
    for i in range(count):
        k = 2 + rng.next(7)                      # 2..8 names
        chosen = names[:]
        for j in range(len(chosen) - 1, 0, -1):  # shuffle, pick k
            m = rng.next(j + 1)
            chosen[j], chosen[m] = chosen[m], chosen[j]
        targets = chosen[:k]
        sources = targets[1:] + targets[:1]      # rotate by one
        if i % 3 == 0:
            line = "%s = %s" % (", ".join(targets), ", ".join(sources))
        elif i % 3 == 1:
            line = "[%s] = [%s]" % (", ".join(targets), ", ".join(sources))
        else:
            line = "(%s) = (%s)" % (", ".join(targets), ", ".join(sources))
        lines.append(line)
    return lines


BODY = make_body(STATEMENTS)
SOURCE = ("def shuffle_locals(rounds):\n"
          "    a, b, c, d, e, f, g, h = 1, 2, 3, 4, 5, 6, 7, 8\n"
          "    for _ in range(rounds):\n" +
          "".join("        %s\n" % line for line in BODY) +
          "    return a, b, c, d, e, f, g, h\n")
_namespace = {}
exec(compile(SOURCE, "<unpack_seq generated>", "exec"), _namespace)
shuffle_locals = _namespace["shuffle_locals"]


def body_permutation():
    """What one trip of the generated loop does to the eight values,
    found by interpreting the statements on a list (no unpacking)."""
    slots = dict((n, i) for i, n in enumerate("abcdefgh"))
    values = list(range(1, 9))
    for line in BODY:
        left, right = line.replace("[", "").replace("]", "").replace(
            "(", "").replace(")", "").split(" = ")
        targets = left.split(", ")
        sources = right.split(", ")
        new = [values[slots[s]] for s in sources]
        for t, v in zip(targets, new):
            values[slots[t]] = v
    return values


def expected_locals(rounds):
    perm = body_permutation()            # values after one trip, from 1..8
    values = list(range(1, 9))
    for _ in range(rounds % permutation_order(perm)):
        values = [values[p - 1] for p in perm]
    return tuple(values)


def permutation_order(perm):
    order, seen = 1, set()
    for start in range(8):
        if start in seen:
            continue
        length, i = 0, start
        while i not in seen:
            seen.add(i)
            i = perm[i] - 1
            length += 1
        order = order * length // math.gcd(order, length)
    return order


def fib_and_gcd(steps):
    a, b = 0, 1
    for _ in range(steps):
        a, b = b, (a + b) % MOD
    total = 0
    for i in range(1, steps // 4):
        x, y = i * 7919, i * 104729 + 3
        while y:
            x, y = y, x % y
        total += x
    return a, total


def gcd_total(steps):
    return sum(math.gcd(i * 7919, i * 104729 + 3) for i in range(1, steps // 4))


def list_swaps(size):
    rng = Lcg(99)
    xs = [rng.next(1000) for _ in range(size)]
    original = xs[:]
    for _ in range(2):                           # reverse twice: the original
        i, j = 0, len(xs) - 1
        while i < j:
            xs[i], xs[j] = xs[j], xs[i]
            i, j = i + 1, j - 1
    same = xs == original
    for _ in range(60):
        for i in range(len(xs) - 1, 0, -1):      # Fisher-Yates
            j = rng.next(i + 1)
            xs[i], xs[j] = xs[j], xs[i]
    shuffled = sorted(xs) == sorted(original)
    for i in range(len(xs) - 1):                 # one bubble pass
        if xs[i] > xs[i + 1]:
            xs[i], xs[i + 1] = xs[i + 1], xs[i]
    h = 0
    for x in xs:
        h = (h * 1000003 + x) % MOD
    return same, shuffled, xs[-1] == max(original), h


def loop_targets(size):
    pairs = [((i, i * 2), (i % 7, i % 11, i % 13)) for i in range(size)]
    acc = 0
    for _ in range(40):
        for (p, q), (r, s, t) in pairs:
            acc += p * r - q * s + t
        for first, *middle, last in ((i, i + 1, i + 2, i + 3) for i in range(size)):
            acc += first - last + len(middle)
        table = dict((i, (i, -i)) for i in range(size))
        for key, (pos, neg) in table.items():
            acc += key + pos + neg
    return acc


def rotate_grid(times):
    a, b, c, d, e, f, g, h, i = range(1, 10)
    for _ in range(times):
        # quarter turn of the 3x3 grid  a b c / d e f / g h i
        a, b, c, d, e, f, g, h, i = g, d, a, h, e, b, i, f, c
    return a, b, c, d, e, f, g, h, i


def run():
    locals_after = shuffle_locals(ROUNDS)
    fib, gcds = fib_and_gcd(FIB_STEPS)
    same, shuffled, bubbled, list_hash = list_swaps(LIST_SIZE)
    return (list(locals_after), fib, gcds, same, shuffled, bubbled, list_hash,
            loop_targets(LIST_SIZE), list(rotate_grid(40001)))


# Facts computed here by other means (the generated body interpreted on a
# list, math.gcd, a quarter turn applied 40001 % 4 == 1 times); the Fibonacci
# number mod 2**61-1, the list hash and the loop-target sum were computed
# once with this file and pinned.
FIB = 2004004254688704315
LIST_HASH = 618456016064834175
LOOP_SUM = -29681160


def check(result):
    assert len(result) == 9, "expected 9 values, got %r" % (result,)
    (locals_after, fib, gcds, same, shuffled, bubbled, list_hash, loops,
     grid) = result
    want = list(expected_locals(ROUNDS))
    assert locals_after == want, "expected locals %r, got %r" % (want, locals_after)
    assert fib == FIB, "expected fib %r, got %r" % (FIB, fib)
    want_gcd = gcd_total(FIB_STEPS)
    assert gcds == want_gcd, "expected gcd total %r, got %r" % (want_gcd, gcds)
    assert same is True, "reversing twice changed the list"
    assert shuffled is True, "the shuffle changed the multiset"
    assert bubbled is True, "the bubble pass did not move the largest last"
    assert list_hash == LIST_HASH, "expected list hash %r, got %r" % (LIST_HASH, list_hash)
    assert loops == LOOP_SUM, "expected loop-target sum %r, got %r" % (LOOP_SUM, loops)
    assert grid == [7, 4, 1, 8, 5, 2, 9, 6, 3], "expected a quarter turn, got %r" % (grid,)
