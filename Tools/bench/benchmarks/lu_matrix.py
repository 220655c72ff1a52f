"""LU decomposition: Gaussian elimination with partial pivoting on dense matrices in lists of lists of floats.

A dense 150x150 matrix of floats is built once with the shared LCG:
diagonally dominant (so well conditioned), with its rows shuffled so that
partial pivoting must swap them back.  Each iteration
copies it, factors it in place as P A = L U with partial pivoting (row
swaps of list references, an inner loop of float multiply-subtract over
row slices), solves A x = b by forward and back substitution for two
right-hand sides whose exact solutions are integer vectors, and
computes the residual of one solution.  It exercises float arithmetic,
indexing into lists of lists and nested loops.  The result is checked
against facts: every solution component rounds to the exact integer and
is within 1e-6 of it, the residual is below 1e-8 (relative), and the
parity of the row swaps is that of the shuffle (pivoting undoes it: the
unshuffled matrix is diagonally dominant, so it needs no swap); and the
determinant agrees to a relative 1e-9 with the value computed once with
this file and pinned.
"""

from _lcg import Lcg

GROUP = "numeric"

N = 150


def make_system(n):
    """(A, sign, xs): a dense, well-conditioned matrix (diagonally dominant
    before its rows are shuffled), the sign of its row shuffle and two
    integer vectors to use as exact solutions."""
    rng = Lcg(31)
    rows = []
    for i in range(n):
        row = [(rng.next(2001) - 1000) / 1000.0 for _ in range(n)]
        row[i] = 0.0
        dominant = sum(abs(v) for v in row) + 1.0 + rng.next(100) / 10.0
        row[i] = dominant if rng.next(2) else -dominant
        rows.append(row)
    perm = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next(i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    matrix = [rows[p] for p in perm]
    xs = [[rng.next(21) - 10 for _ in range(n)] for _ in range(2)]
    return matrix, permutation_sign(perm), xs


def permutation_sign(perm):
    seen = [False] * len(perm)
    sign = 1
    for start in range(len(perm)):
        if seen[start]:
            continue
        length, i = 0, start
        while not seen[i]:
            seen[i] = True
            i = perm[i]
            length += 1
        if length % 2 == 0:
            sign = -sign
    return sign


def lu_factor(a):
    """Factor a (n x n, modified in place) as P a = L U; return (pivots, swaps)."""
    n = len(a)
    pivots = list(range(n))
    swaps = 0
    for k in range(n):
        best, p = abs(a[k][k]), k
        for i in range(k + 1, n):
            v = abs(a[i][k])
            if v > best:
                best, p = v, i
        if best == 0.0:
            raise ZeroDivisionError("singular matrix")
        if p != k:
            a[k], a[p] = a[p], a[k]
            pivots[k], pivots[p] = pivots[p], pivots[k]
            swaps += 1
        row_k = a[k]
        inv = 1.0 / row_k[k]
        for i in range(k + 1, n):
            row_i = a[i]
            f = row_i[k] * inv
            row_i[k] = f
            if f != 0.0:
                for j in range(k + 1, n):
                    row_i[j] -= f * row_k[j]
    return pivots, swaps


def lu_solve(lu, pivots, b):
    n = len(lu)
    y = [b[p] for p in pivots]
    for i in range(n):
        row = lu[i]
        s = y[i]
        for j in range(i):
            s -= row[j] * y[j]
        y[i] = s
    for i in range(n - 1, -1, -1):
        row = lu[i]
        s = y[i]
        for j in range(i + 1, n):
            s -= row[j] * y[j]
        y[i] = s / row[i]
    return y


def mat_vec(a, x):
    return [sum(v * w for v, w in zip(row, x)) for row in a]


_system = None


def run():
    global _system
    if _system is None:
        _system = make_system(N)
    matrix, _, xs = _system
    lu = [row[:] for row in matrix]
    pivots, swaps = lu_factor(lu)
    det = -1.0 if swaps % 2 else 1.0
    for i in range(N):
        det *= lu[i][i]
    results = []
    worst = 0.0
    for x in xs:
        b = mat_vec(matrix, [float(v) for v in x])
        solution = lu_solve(lu, pivots, b)
        results.append([int(round(v)) for v in solution])
        worst = max(worst, max(abs(v - w) for v, w in zip(solution, x)))
    residual = max(abs(v - w) for v, w in zip(mat_vec(matrix, solution), b))
    scale = max(abs(v) for v in b)
    return (N, det, results[0], results[1], worst < 1e-6,
            residual <= 1e-8 * scale, -1 if swaps % 2 else 1)


# Golden value: the determinant, computed once with this file and pinned.
DET = 6.620970917946637e+285


def check(result):
    assert len(result) == 7, "expected 7 values, got %r" % (result,)
    n, det, x0, x1, close, small, sign = result
    _, want_sign, xs = _system or make_system(N)
    assert n == N, "expected n=%d, got %r" % (N, n)
    assert abs(det - DET) <= 1e-9 * abs(DET), (
        "expected determinant %r, got %r" % (DET, det))
    assert x0 == xs[0], "expected first solution %r, got %r" % (xs[0], x0)
    assert x1 == xs[1], "expected second solution %r, got %r" % (xs[1], x1)
    assert close is True, "a solution is off by more than 1e-6"
    assert small is True, "the residual is above 1e-8 (relative)"
    assert sign == want_sign, "expected the row swaps' sign %r, got %r" % (want_sign, sign)
