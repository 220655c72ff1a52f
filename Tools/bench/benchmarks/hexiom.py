"""Hexiom: place numbered tiles on a hex grid by propagation and backtracking.

The puzzle: a hexagonal board of cells, a bag of tiles numbered 0-6 (fewer
tiles than cells) and a few tiles locked in place.  Put every tile in a cell
so that each tile's number equals how many of its (up to six) neighbouring
cells hold a tile.  The solver keeps, per cell, a bit mask of what the cell
may still hold (a tile number or "empty"), narrows the masks by the
neighbour-count and tile-count rules until nothing changes, then branches on
the most constrained cell and enumerates every solution.  It exercises
list copying, bit operations, nested loops and recursion.  check() parses
the drawn first solution of each puzzle and verifies it by the rule itself
(tile bag, locked tiles, every tile's neighbour count); the solution counts,
search-node count and a checksum of the drawings were computed once and
pinned.
"""

GROUP = "object"

EMPTY = 7                       # mask bit 7 means "no tile"; bits 0-6 are tile numbers
EMPTY_BIT = 1 << EMPTY
TILE_BITS = EMPTY_BIT - 1
DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1))

# Each puzzle: the board drawn row by row ('.' a free cell, a digit a tile
# locked there) and the bag of the remaining tiles.  Built by filling a
# random set of cells, numbering each tile by its neighbours, then locking
# a few tiles; the solver must rediscover an arrangement (not necessarily
# the original one).
PUZZLES = [
    ("""
       . . . .
      . . . . .
     . . . 3 . .
    . 4 . 4 . 3 .
     3 5 . 5 . .
      . 4 . . .
       . . . .
    """, "11122222333456"),
    ("""
       2 . . .
      . . . . .
     . . . . . .
    . . . . . 3 2
     . 3 . . 3 3
      . . . . .
       2 . 3 1
    """, "1133333444555"),
]


class HexBoard(object):
    """Cells of a hexagon with `side` cells per edge, in drawing order."""

    def __init__(self, side):
        self.side = side
        self.coords = []
        self.rows = []
        k = side - 1
        for r in range(-k, k + 1):
            row = []
            for q in range(max(-k, -k - r), min(k, k - r) + 1):
                row.append(len(self.coords))
                self.coords.append((q, r))
            self.rows.append(row)
        index = dict((c, i) for i, c in enumerate(self.coords))
        self.neighbours = [
            [index[(q + dq, r + dr)] for dq, dr in DIRECTIONS if (q + dq, r + dr) in index]
            for q, r in self.coords]

    def draw(self, values):
        """One line per row, indented to the hexagon, '.' for no tile."""
        widest = 2 * self.side - 1
        lines = []
        for row in self.rows:
            lines.append(" " * (widest - len(row)) + " ".join(
                "." if values[i] == EMPTY else str(values[i]) for i in row))
        return "\n".join(lines)


def parse_drawing(text):
    """Board and per-cell values of a drawing: a tile number, or None for '.'."""
    rows = [line.split() for line in text.strip("\n").split("\n") if line.strip()]
    side = (len(rows) + 1) // 2
    board = HexBoard(side)
    assert [len(r) for r in rows] == [len(r) for r in board.rows], \
        "malformed hex drawing %r" % (text,)
    cells = [tok for row in rows for tok in row]
    assert all(tok == "." or tok in "0123456" and len(tok) == 1 for tok in cells), \
        "bad cell in drawing %r" % (text,)
    return board, [None if tok == "." else int(tok) for tok in cells]


class Puzzle(object):
    def __init__(self, drawing, bag):
        self.board, self.locked = parse_drawing(drawing)
        self.tiles = sorted([int(ch) for ch in bag] +
                            [v for v in self.locked if v is not None])
        self.need = [self.tiles.count(v) for v in range(7)]
        self.need.append(len(self.board.coords) - len(self.tiles))

    def initial_masks(self):
        """Locked cells hold their tile; others anything up to their neighbour count."""
        masks = []
        for cell, value in enumerate(self.locked):
            if value is not None:
                masks.append(1 << value)
            else:
                degree = len(self.board.neighbours[cell])
                masks.append(((1 << (degree + 1)) - 1) | EMPTY_BIT)
        return masks


class Solver(object):
    def __init__(self, puzzle):
        self.puzzle = puzzle
        self.neighbours = puzzle.board.neighbours
        self.need = puzzle.need
        self.nodes = 0
        self.solutions = []

    def narrow_by_neighbours(self, masks):
        """Apply the neighbour-count rule to every cell; None on contradiction."""
        changed = False
        for cell, mask in enumerate(masks):
            if not mask & TILE_BITS:
                continue
            occupied = possible = 0
            for n in self.neighbours[cell]:
                m = masks[n]
                if m & TILE_BITS:
                    possible += 1
                    if not m & EMPTY_BIT:
                        occupied += 1
            # a tile here must number between occupied and possible
            window = ((1 << (possible + 1)) - (1 << occupied)) | EMPTY_BIT
            narrowed = mask & window
            if not narrowed:
                return None
            if narrowed != mask:
                masks[cell] = mask = narrowed
                changed = True
            if mask & EMPTY_BIT or mask & (mask - 1) or occupied == possible:
                continue
            # a fixed tile at a bound decides its undecided neighbours
            # (occupied < possible, so some neighbour is still undecided)
            if mask == 1 << occupied:
                for n in self.neighbours[cell]:
                    m = masks[n]
                    if m & EMPTY_BIT and m & TILE_BITS:
                        masks[n] = EMPTY_BIT
                changed = True
            elif mask == 1 << possible:
                for n in self.neighbours[cell]:
                    m = masks[n]
                    if m & EMPTY_BIT and m & TILE_BITS:
                        masks[n] = m & TILE_BITS
                changed = True
        return changed

    def narrow_by_counts(self, masks):
        """Apply the tile-bag rule for every value; None on contradiction."""
        changed = False
        for value in range(8):
            bit = 1 << value
            fixed = undecided = 0
            for mask in masks:
                if mask == bit:
                    fixed += 1
                elif mask & bit:
                    undecided += 1
            need = self.need[value]
            if fixed > need or fixed + undecided < need:
                return None
            if undecided and fixed == need:
                for cell, mask in enumerate(masks):
                    if mask != bit and mask & bit:
                        masks[cell] = mask & ~bit
                changed = True
            elif undecided and fixed + undecided == need:
                for cell, mask in enumerate(masks):
                    if mask & bit:
                        masks[cell] = bit
                changed = True
        return changed

    def propagate(self, masks):
        """Narrow until stable; False if the masks admit no solution."""
        while True:
            a = self.narrow_by_neighbours(masks)
            if a is None:
                return False
            b = self.narrow_by_counts(masks)
            if b is None:
                return False
            if not (a or b):
                return True

    def search(self, masks):
        self.nodes += 1
        if not self.propagate(masks):
            return
        best, best_options = -1, 9
        for cell, mask in enumerate(masks):
            if mask & (mask - 1):
                options = POPCOUNT[mask]
                if options < best_options:
                    best, best_options = cell, options
        if best < 0:
            self.solutions.append([m.bit_length() - 1 for m in masks])
            return
        mask = masks[best]
        for value in range(8):
            if mask >> value & 1:
                child = masks[:]
                child[best] = 1 << value
                self.search(child)

    def solve(self):
        self.search(self.puzzle.initial_masks())
        return self.solutions


POPCOUNT = [bin(m).count("1") for m in range(256)]


def drawing_checksum(text):
    """FNV-1a (32-bit) over the drawing's characters."""
    h = 2166136261
    for ch in text:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h


def run():
    counts, drawings, nodes = [], [], 0
    for drawing, bag in PUZZLES:
        puzzle = Puzzle(drawing, bag)
        solver = Solver(puzzle)
        solutions = solver.solve()
        counts.append(len(solutions))
        nodes += solver.nodes
        drawings.append(puzzle.board.draw(solutions[0]) if solutions else "")
    checksum = 0
    for text in drawings:
        checksum = checksum * 31 + drawing_checksum(text)
    return (counts, nodes, drawings, checksum)


def verify_solution(puzzle_index, text):
    """Check a drawn solution against its puzzle by the Hexiom rule."""
    puzzle = Puzzle(*PUZZLES[puzzle_index])
    board, values = parse_drawing(text)
    assert board.coords == puzzle.board.coords, "solution %d has the wrong board" % (
        puzzle_index,)
    values = [EMPTY if v is None else v for v in values]
    placed = sorted(v for v in values if v != EMPTY)
    assert placed == puzzle.tiles, "solution %d uses tiles %r, expected %r" % (
        puzzle_index, placed, puzzle.tiles)
    for cell, locked in enumerate(puzzle.locked):
        assert locked is None or values[cell] == locked, \
            "solution %d moved the locked tile at cell %d" % (puzzle_index, cell)
    for cell, v in enumerate(values):
        if v != EMPTY:
            around = sum(1 for n in board.neighbours[cell] if values[n] != EMPTY)
            assert around == v, "solution %d: tile %d at cell %d has %d neighbours" % (
                puzzle_index, v, cell, around)


# Golden values computed once with this file and pinned.
EXPECTED_COUNTS = [11, 15]
EXPECTED_NODES = 2275
EXPECTED_CHECKSUM = 1907818596


def check(result):
    assert len(result) == 4, "expected a 4-tuple, got %r" % (result,)
    counts, nodes, drawings, checksum = result
    assert len(drawings) == len(PUZZLES), "expected %d drawings, got %r" % (
        len(PUZZLES), drawings)
    for i, text in enumerate(drawings):
        verify_solution(i, text)
    assert counts == EXPECTED_COUNTS, "expected solution counts %r, got %r" % (
        EXPECTED_COUNTS, counts)
    assert nodes == EXPECTED_NODES, "expected %d search nodes, got %r" % (
        EXPECTED_NODES, nodes)
    expected = 0
    for text in drawings:
        expected = expected * 31 + drawing_checksum(text)
    assert checksum == expected, "checksum %r does not match the drawings" % (checksum,)
    assert checksum == EXPECTED_CHECKSUM, "expected checksum %d, got %r" % (
        EXPECTED_CHECKSUM, checksum)
