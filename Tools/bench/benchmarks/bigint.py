"""Big integers: digits of pi, e and sqrt(2) with Python ints of thousands of digits.

Three computations on arbitrary-precision ints, each written here in
Python: (1) pi to 600 digits by a streaming spigot that keeps a
linear fractional transformation (big ints of up to thousands of digits)
and emits a digit when the next one is certain; (2) pi to 4,000 digits by
Machin's formula, 16 arctan(1/5) - 4 arctan(1/239), summing the arctangent series
in fixed point; (3) e from the series of 1/k! in fixed point and
sqrt(2) by Newton's iteration on big ints.  It exercises int
multiplication, floor division, divmod and comparison on numbers of
hundreds to thousands of digits, and str() of a big int.  The result is
checked: the two pi computations agree on the spigot's 600 digits, the first 50
digits of pi, e and sqrt(2) are the published ones, sqrt(2)'s square
brackets 2 at the precision, and the digit sums of the three numbers are
pinned (computed once).
"""

GROUP = "numeric"

DIGITS = 4000           # digits of pi (Machin), e and sqrt(2)
SPIGOT_DIGITS = 600     # digits of pi from the spigot (its state grows fast)
GUARD = 10


def pi_spigot(count):
    """The first `count` decimal digits of pi (3, 1, 4, ...) as a string."""
    q, r, t, k, n, l = 1, 0, 1, 1, 3, 3
    out = []
    while len(out) < count:
        if 4 * q + r - t < n * t:
            out.append(n)
            q, r, n = 10 * q, 10 * (r - n * t), (10 * (3 * q + r)) // t - 10 * n
        else:
            q, r, t, k, n, l = (q * k, (2 * q + r) * l, t * l, k + 1,
                                (q * (7 * k + 2) + r * l) // (t * l), l + 2)
    return "".join(str(d) for d in out)


def arctan_inverse(x, one):
    """arctan(1/x) * one, summing the series in fixed point."""
    total = term = one // x
    x2 = x * x
    k = 1
    sign = -1
    while term:
        term //= x2
        total += sign * (term // (2 * k + 1))
        sign = -sign
        k += 1
    return total


def pi_machin(count):
    one = 10 ** (count + GUARD)
    pi = 4 * (4 * arctan_inverse(5, one) - arctan_inverse(239, one))
    return str(pi)[:count]


def e_series(count):
    one = 10 ** (count + GUARD)
    total = term = one
    k = 1
    while term:
        term //= k
        total += term
        k += 1
    return str(total)[:count]


def sqrt2(count):
    """floor(sqrt(2) * 10**(count-1)) by Newton's method on integers."""
    n = 2 * 10 ** (2 * (count - 1))
    x = 1 << ((n.bit_length() + 1) // 2)      # above the root
    while True:
        y = (x + n // x) // 2
        if y >= x:
            return x, n
        x = y


def run():
    spigot = pi_spigot(SPIGOT_DIGITS)
    machin = pi_machin(DIGITS)
    e = e_series(DIGITS)
    root, square = sqrt2(DIGITS)
    brackets = root * root <= square < (root + 1) * (root + 1)
    r = str(root)
    return (machin.startswith(spigot), spigot[:50], e[:50], r[:50],
            sum(map(int, machin)), sum(map(int, e)), sum(map(int, r)),
            len(r), brackets)


# Facts: the published first 50 digits of pi, e and sqrt(2).  Golden values,
# computed once with this file and pinned: the digit sums of the 4,000
# digits.
PI50 = "31415926535897932384626433832795028841971693993751"
E50 = "27182818284590452353602874713526624977572470936999"
SQRT2_50 = "14142135623730950488016887242096980785696718753769"
DIGIT_SUMS = (18197, 18154, 18486)


def check(result):
    assert len(result) == 9, "expected 9 values, got %r" % (result,)
    agree, pi, e, root, pi_sum, e_sum, root_sum, root_len, brackets = result
    assert agree is True, "the spigot and Machin's formula disagree"
    assert pi == PI50, "expected pi %s, got %r" % (PI50, pi)
    assert e == E50, "expected e %s, got %r" % (E50, e)
    assert root == SQRT2_50, "expected sqrt(2) %s, got %r" % (SQRT2_50, root)
    assert (pi_sum, e_sum, root_sum) == DIGIT_SUMS, "expected digit sums %r, got %r" % (
        DIGIT_SUMS, (pi_sum, e_sum, root_sum))
    assert root_len == DIGITS, "expected %d digits of sqrt(2), got %r" % (DIGITS, root_len)
    assert brackets is True, "sqrt(2) does not bracket 2"
