"""N-queens: enumerate every solution for n=8 by filtering permutations.

Each candidate board is a permutation of the columns (one queen per row and
per column), produced by itertools.permutations and filtered through a
generator expression that rejects any permutation with two queens on one
diagonal (set sizes of row+col and row-col).  The small boards 6 and 7 are
solved the same way.  A second solver, recursive generators that extend a
safe placement row by row with bit masks of attacked lines, enumerates n=8
again to cross-check the first and counts the n=10 solutions; the 8-queens
solutions are also grouped into classes under the board's 8 symmetries.
It exercises generators, tuples, sets and small-integer arithmetic.  The
result is checked against the known solution counts (4, 40, 92, 724), the
known number of 8-queens solutions up to symmetry (12), the known
lexicographically first 8-queens solution, and a checksum over all 92
solutions in sorted order that was computed once and pinned.
"""

from itertools import permutations

GROUP = "object"

SIZES = (6, 7, 8)          # boards solved by permutations; the last is the main one
BIG = 10                   # board only counted, by the backtracking solver
CHECK_MOD = (1 << 61) - 1  # modulus of the solution checksum


def diagonals_free(cols):
    """True when no two queens share a diagonal (rows are 0..n-1 in order)."""
    n = len(cols)
    return (len(set(col + row for row, col in enumerate(cols))) == n and
            len(set(col - row for row, col in enumerate(cols))) == n)


def solve_by_permutations(n):
    """Yield every solution as a tuple: entry r is the column of row r's queen."""
    return (cols for cols in permutations(range(n)) if diagonals_free(cols))


def solve_by_backtracking(n, placed=(), cols=0, up=0, down=0):
    """Yield every solution by extending a safe partial placement row by row.

    cols, up and down are bit masks of the columns and of the two diagonal
    directions (col+row, col-row+n) already attacked by the placed queens.
    """
    row = len(placed)
    if row == n:
        yield placed
        return
    for col in range(n):
        c, u, d = 1 << col, 1 << (col + row), 1 << (col - row + n)
        if not (cols & c or up & u or down & d):
            yield from solve_by_backtracking(n, placed + (col,),
                                             cols | c, up | u, down | d)


def symmetric_images(cols):
    """The solution under the 8 rotations and reflections of the board."""
    n = len(cols)
    images = []
    for _ in range(4):
        images.append(cols)
        images.append(tuple(n - 1 - c for c in cols))       # mirror left-right
        rotated = [0] * n                                    # quarter turn
        for row, col in enumerate(cols):
            rotated[col] = n - 1 - row
        cols = tuple(rotated)
    return images


def count_distinct(solutions):
    """Number of solutions that differ other than by a symmetry of the board."""
    return len(set(min(symmetric_images(cols)) for cols in solutions))


def checksum(solutions):
    """Order-sensitive hash of a sequence of solutions (column tuples)."""
    h = 0
    for cols in solutions:
        for col in cols:
            h = (h * 31 + col + 1) % CHECK_MOD
        h = (h * 1000003 + 7) % CHECK_MOD
    return h


def run():
    counts = [sum(1 for _ in solve_by_permutations(n)) for n in SIZES[:-1]]
    n = SIZES[-1]
    solutions = sorted(solve_by_permutations(n))
    counts.append(len(solutions))
    again = list(solve_by_backtracking(n))
    agree = again == solutions   # backtracking yields in lexicographic order
    counts.append(sum(1 for _ in solve_by_backtracking(BIG)))
    distinct = count_distinct(solutions)
    return (n, counts, len(solutions), distinct, list(solutions[0]),
            checksum(solutions), agree)


# Known facts: the number of n-queens solutions (OEIS A000170), of distinct
# solutions up to symmetry (A002562), and the first 8-queens solution in
# lexicographic order.
KNOWN_COUNTS = [4, 40, 92, 724]
FIRST_SOLUTION_8 = [0, 4, 7, 5, 2, 6, 1, 3]
# Golden value computed once with this file's checksum() and pinned.
CHECKSUM_8 = 1711115179005166316


def check(result):
    assert len(result) == 7, "expected a 7-tuple, got %r" % (result,)
    n, counts, total, distinct, first, digest, agree = result
    assert n == 8, "expected n=8, got %r" % (n,)
    assert counts == KNOWN_COUNTS, "expected counts %r, got %r" % (KNOWN_COUNTS, counts)
    assert total == 92, "expected 92 solutions, got %r" % (total,)
    assert distinct == 12, "expected 12 distinct solutions, got %r" % (distinct,)
    assert first == FIRST_SOLUTION_8, "expected first solution %r, got %r" % (
        FIRST_SOLUTION_8, first)
    assert digest == CHECKSUM_8, "expected checksum %r, got %r" % (CHECKSUM_8, digest)
    assert agree is True, "expected the two solvers to agree, got %r" % (agree,)
