"""Go: UCT Monte-Carlo tree search choosing moves on a 9x9 board.

A Board object keeps the stones, finds groups and liberties by flood fill,
removes captured groups, refuses suicide and enforces the simple ko rule,
and keeps a Zobrist hash of the position.  Each move of a short game is
chosen by a UCT search: a tree of Node objects grown one node per
iteration, each leaf scored by a random playout (random legal moves, never
filling a side's own eye, to two passes) under area scoring with komi.  All
randomness comes from a private 64-bit LCG, so the game is deterministic.
It exercises method calls, list indexing, small-object allocation and
integer arithmetic.  The result (the moves chosen, counts of playouts, wins
and captured stones, the final hash and a drawing of the final board) is
checked structurally (the playout count, the legality of every move,
that every group on the drawn board has a liberty and that the drawing
matches the hash) and against golden values that were computed once and
pinned.
"""

from math import sqrt

GROUP = "object"

SIZE = 9               # board side
KOMI = 7.5
GAME_MOVES = 6         # moves of the game, each chosen by its own search
PLAYOUTS = 12          # UCT iterations (one playout each) per move
EXPLORE = 0.6          # weight of the exploration term in the UCT score
SEED = 20240611        # seed of the LCG

EMPTY, BLACK, WHITE = 0, 1, 2
PASS = -1
MASK64 = (1 << 64) - 1


class Lcg(object):
    """64-bit linear congruential generator (Knuth's MMIX constants)."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK64
        return self.state >> 16

    def below(self, n):
        return self.next() % n


class Geometry(object):
    """Tables shared by every board of one size: neighbours, diagonals, Zobrist keys."""

    def __init__(self, size, rng):
        self.size = size
        self.points = size * size
        self.neighbours = []
        self.diagonals = []
        for pos in range(self.points):
            y, x = divmod(pos, size)
            self.neighbours.append([
                (y + dy) * size + (x + dx)
                for dy, dx in ((-1, 0), (0, -1), (0, 1), (1, 0))
                if 0 <= y + dy < size and 0 <= x + dx < size])
            self.diagonals.append([
                (y + dy) * size + (x + dx)
                for dy, dx in ((-1, -1), (-1, 1), (1, -1), (1, 1))
                if 0 <= y + dy < size and 0 <= x + dx < size])
        # zobrist[colour][pos]; colour EMPTY has no key
        self.zobrist = [[0] * self.points] + [
            [rng.next() for _ in range(self.points)] for _ in (BLACK, WHITE)]


class Board(object):
    def __init__(self, geometry):
        self.geo = geometry
        self.colour = [EMPTY] * geometry.points
        self.to_move = BLACK
        self.ko = PASS          # point the side to move may not play, or PASS
        self.passes = 0         # consecutive passes
        self.hash = 0
        self.captured = 0       # stones captured on this board so far
        self.mark = [0] * geometry.points
        self.stamp = 0

    def copy(self):
        other = Board.__new__(Board)
        other.geo = self.geo
        other.colour = self.colour[:]
        other.to_move = self.to_move
        other.ko = self.ko
        other.passes = self.passes
        other.hash = self.hash
        other.captured = 0
        other.mark = [0] * self.geo.points
        other.stamp = 0
        return other

    def has_liberty(self, pos):
        """True if the group holding pos touches an empty point (stops early)."""
        colour = self.colour
        neighbours = self.geo.neighbours
        mark = self.mark
        self.stamp += 1
        stamp = self.stamp
        mark[pos] = stamp
        stack = [pos]
        own = colour[pos]
        while stack:
            p = stack.pop()
            for q in neighbours[p]:
                c = colour[q]
                if c == EMPTY:
                    return True
                if c == own and mark[q] != stamp:
                    mark[q] = stamp
                    stack.append(q)
        return False

    def group(self, pos):
        """Stones of the group holding pos, and its number of liberties."""
        colour = self.colour
        neighbours = self.geo.neighbours
        mark = self.mark
        self.stamp += 1
        stamp = self.stamp
        mark[pos] = stamp
        stones = [pos]
        liberties = 0
        own = colour[pos]
        i = 0
        while i < len(stones):
            for q in neighbours[stones[i]]:
                if mark[q] != stamp:
                    c = colour[q]
                    if c == EMPTY:
                        mark[q] = stamp
                        liberties += 1
                    elif c == own:
                        mark[q] = stamp
                        stones.append(q)
            i += 1
        return stones, liberties

    def is_own_eye(self, pos, who):
        """A point surrounded by who's stones whose diagonals are mostly who's too."""
        colour = self.colour
        geo = self.geo
        for q in geo.neighbours[pos]:
            if colour[q] != who:
                return False
        diagonals = geo.diagonals[pos]
        enemy = 0
        for q in diagonals:
            if colour[q] == 3 - who:
                enemy += 1
        return enemy == 0 if len(diagonals) < 4 else enemy <= 1

    def play(self, pos):
        """Play pos (or PASS) for the side to move; False (board unchanged) if illegal."""
        who = self.to_move
        opponent = 3 - who
        if pos == PASS:
            self.passes += 1
            self.ko = PASS
            self.to_move = opponent
            return True
        colour = self.colour
        if colour[pos] != EMPTY or pos == self.ko:
            return False
        colour[pos] = who
        zobrist = self.geo.zobrist
        removed = []
        for q in self.geo.neighbours[pos]:
            if colour[q] == opponent and not self.has_liberty(q):
                stones, _ = self.group(q)
                for s in stones:
                    colour[s] = EMPTY
                    self.hash ^= zobrist[opponent][s]
                removed.extend(stones)
        if not removed and not self.has_liberty(pos):
            colour[pos] = EMPTY          # suicide
            return False
        self.hash ^= zobrist[who][pos]
        self.ko = PASS
        if len(removed) == 1:
            stones, liberties = self.group(pos)
            if len(stones) == 1 and liberties == 1:
                self.ko = removed[0]
        self.captured += len(removed)
        self.passes = 0
        self.to_move = opponent
        return True

    def candidate_moves(self):
        """Empty points that are not the mover's own eye (legality not yet tested)."""
        colour = self.colour
        who = self.to_move
        return [p for p in range(self.geo.points)
                if colour[p] == EMPTY and not self.is_own_eye(p, who)]

    def play_random(self, rng):
        """Play a random legal non-eye move, or pass if there is none."""
        moves = self.candidate_moves()
        while moves:
            i = rng.below(len(moves))
            if self.play(moves[i]):
                return moves[i]
            moves[i] = moves[-1]
            moves.pop()
        self.play(PASS)
        return PASS

    def score(self):
        """Black's area score minus White's, komi included."""
        colour = self.colour
        neighbours = self.geo.neighbours
        total = -KOMI
        for p in range(self.geo.points):
            c = colour[p]
            if c == EMPTY:
                seen = 0
                for q in neighbours[p]:
                    seen |= 1 << colour[q]
                if seen == 1 << BLACK:
                    total += 1
                elif seen == 1 << WHITE:
                    total -= 1
            elif c == BLACK:
                total += 1
            else:
                total -= 1
        return total

    def drawing(self):
        """Rows of '.', 'X' (black) and 'O' (white) joined by '/'."""
        chars = ".XO"
        size = self.geo.size
        return "/".join(
            "".join(chars[c] for c in self.colour[row * size:(row + 1) * size])
            for row in range(size))


class Node(object):
    """A UCT tree node: the position after `move` was played by `player`."""

    def __init__(self, move, player, parent, untried):
        self.move = move
        self.player = player
        self.parent = parent
        self.untried = untried
        self.children = []
        self.wins = 0
        self.visits = 0

    def best_child(self):
        """Child with the highest UCT score (exploration uses sqrt only, no log)."""
        explore = EXPLORE * sqrt(self.visits)
        best, best_score = None, -1.0
        for child in self.children:
            score = child.wins / child.visits + explore / child.visits
            if score > best_score:
                best, best_score = child, score
        return best


class Searcher(object):
    def __init__(self, rng):
        self.rng = rng
        self.playouts = 0
        self.captured = 0
        self.black_wins = 0

    def playout(self, board):
        """Random game to the end; returns the winner."""
        limit = 3 * board.geo.points
        moves = 0
        while board.passes < 2 and moves < limit:
            board.play_random(self.rng)
            moves += 1
        self.playouts += 1
        self.captured += board.captured
        winner = BLACK if board.score() > 0 else WHITE
        if winner == BLACK:
            self.black_wins += 1
        return winner

    def expand(self, node, board):
        """Play one untried move of node (dropping illegal ones); the new child or None."""
        while node.untried:
            i = self.rng.below(len(node.untried))
            move = node.untried[i]
            node.untried[i] = node.untried[-1]
            node.untried.pop()
            player = board.to_move
            if board.play(move):
                child = Node(move, player, node, board.candidate_moves())
                node.children.append(child)
                return child
        return None

    def choose(self, root_board, iterations):
        root = Node(PASS, 3 - root_board.to_move, None, root_board.candidate_moves())
        for _ in range(iterations):
            board = root_board.copy()
            node = root
            while not node.untried and node.children:
                node = node.best_child()
                board.play(node.move)
            child = self.expand(node, board)
            if child is not None:
                node = child
            winner = self.playout(board)
            while node is not None:
                node.visits += 1
                if node.player == winner:
                    node.wins += 1
                node = node.parent
        best, best_visits = PASS, 0
        for child in root.children:
            if child.visits > best_visits:
                best, best_visits = child.move, child.visits
        return best


def run():
    rng = Lcg(SEED)
    geometry = Geometry(SIZE, rng)
    board = Board(geometry)
    searcher = Searcher(rng)
    moves = []
    for _ in range(GAME_MOVES):
        move = searcher.choose(board, PLAYOUTS)
        if not board.play(move):
            raise RuntimeError("search chose an illegal move %r" % (move,))
        moves.append(move)
    return (moves, searcher.playouts, searcher.captured, searcher.black_wins,
            board.hash, board.drawing())


def drawing_is_legal(drawing):
    """Every group on the drawn board has at least one liberty."""
    rows = drawing.split("/")
    assert len(rows) == SIZE and all(len(r) == SIZE for r in rows), \
        "expected a %dx%d drawing, got %r" % (SIZE, SIZE, drawing)
    board = Board(Geometry(SIZE, Lcg(0)))
    board.colour = [".XO".index(ch) for row in rows for ch in row]
    return all(board.has_liberty(p) for p in range(SIZE * SIZE)
               if board.colour[p] != EMPTY)


def drawing_hash(drawing):
    """The Zobrist hash of a drawn position, from the run's own key table."""
    geometry = Geometry(SIZE, Lcg(SEED))
    h = 0
    for pos, ch in enumerate(drawing.replace("/", "")):
        h ^= geometry.zobrist[".XO".index(ch)][pos]
    return h


# Golden values computed once with this file and pinned.
EXPECTED_MOVES = [24, 68, 46, 37, 42, 58]
EXPECTED_CAPTURED = 2743
EXPECTED_BLACK_WINS = 29
EXPECTED_HASH = 103256549364594
EXPECTED_DRAWING = ("........./........./......X../........./.O....X../"
                    ".X......./....O..../.....O.../.........")


def check(result):
    assert len(result) == 6, "expected a 6-tuple, got %r" % (result,)
    moves, playouts, captured, black_wins, board_hash, drawing = result
    # structural facts
    assert len(moves) == GAME_MOVES, "expected %d moves, got %r" % (GAME_MOVES, moves)
    assert all(m == PASS or 0 <= m < SIZE * SIZE for m in moves), \
        "move out of range in %r" % (moves,)
    assert playouts == GAME_MOVES * PLAYOUTS, "expected %d playouts, got %r" % (
        GAME_MOVES * PLAYOUTS, playouts)
    assert 0 <= black_wins <= playouts, "black wins %r out of range" % (black_wins,)
    assert captured >= 0, "captured %r out of range" % (captured,)
    assert drawing_is_legal(drawing), "a group without liberties in %r" % (drawing,)
    assert drawing_hash(drawing) == board_hash, \
        "hash %r does not match the drawing %r" % (board_hash, drawing)
    # pinned golden values
    assert moves == EXPECTED_MOVES, "expected moves %r, got %r" % (EXPECTED_MOVES, moves)
    assert captured == EXPECTED_CAPTURED, "expected %d captured, got %r" % (
        EXPECTED_CAPTURED, captured)
    assert black_wins == EXPECTED_BLACK_WINS, "expected %d black wins, got %r" % (
        EXPECTED_BLACK_WINS, black_wins)
    assert board_hash == EXPECTED_HASH, "expected hash %d, got %r" % (
        EXPECTED_HASH, board_hash)
    assert drawing == EXPECTED_DRAWING, "expected drawing %r, got %r" % (
        EXPECTED_DRAWING, drawing)
