"""Collections: deque, Counter, defaultdict, namedtuple and heapq in a routing and text workload.

On a 60x60 grid with walls (generated once with the shared LCG), a
breadth-first search from a corner with a deque gives every reachable
square's distance; Dijkstra's algorithm with a heapq priority queue
over the same grid with unit costs must give the same distances, and
then runs again with per-square costs.  Points are namedtuples.  A text
of generated words is counted with Counter (most_common, arithmetic of
two counters), grouped into a defaultdict(list) by first letter and
length, and a sliding window over it is kept in a deque(maxlen=...);
heapq.merge combines sorted runs and heapq.nlargest picks the top
scores.  It exercises the C types of collections and heapq driven from
Python code.  The result is checked against facts (BFS and unit-cost
Dijkstra agree on every square, the merge is sorted and as long as its
inputs, the Counter totals equal the word count, nlargest equals the
top of a full sort) and checksums of the distances and counts, computed
once and pinned.
"""

import heapq
from collections import Counter, defaultdict, deque, namedtuple

from _lcg import Lcg

GROUP = "stdlib"

SIDE = 60
WORDS = 12000
WINDOW = 50
MOD = (1 << 61) - 1

Point = namedtuple("Point", "x y")
Scored = namedtuple("Scored", "score word index")


def make_world():
    rng = Lcg(606)
    walls = set()
    for _ in range(SIDE * SIDE // 4):
        p = Point(rng.next(SIDE), rng.next(SIDE))
        if p != (0, 0):
            walls.add(p)
    costs = dict((Point(x, y), 1 + rng.next(9)) for x in range(SIDE) for y in range(SIDE))
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "qu"]
    words = ["".join(syllables[rng.next(len(syllables))] for _ in range(1 + rng.next(3)))
             for _ in range(WORDS)]
    return walls, costs, words


def neighbours(p, walls):
    x, y = p
    for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
        if 0 <= nx < SIDE and 0 <= ny < SIDE:
            q = Point(nx, ny)
            if q not in walls:
                yield q


def bfs(start, walls):
    dist = {start: 0}
    queue = deque([start])
    while queue:
        p = queue.popleft()
        d = dist[p] + 1
        for q in neighbours(p, walls):
            if q not in dist:
                dist[q] = d
                queue.append(q)
    return dist


def dijkstra(start, walls, cost):
    dist = {start: 0}
    heap = [(0, start)]
    done = set()
    while heap:
        d, p = heapq.heappop(heap)
        if p in done:
            continue
        done.add(p)
        for q in neighbours(p, walls):
            nd = d + cost(q)
            if nd < dist.get(q, nd + 1):
                dist[q] = nd
                heapq.heappush(heap, (nd, q))
    return dist


def text_work(words):
    counts = Counter(words)
    first_half = Counter(words[:len(words) // 2])
    second_half = Counter(words[len(words) // 2:])
    diff = first_half - second_half
    both = first_half & second_half
    groups = defaultdict(list)
    for i, w in enumerate(words):
        groups[(w[0], len(w))].append(i)
    window = deque(maxlen=WINDOW)
    window_best = 0
    running = 0
    for w in words:
        if len(window) == WINDOW:
            running -= len(window[0])
        window.append(w)
        running += len(w)
        if running > window_best:
            window_best = running
    runs = [sorted(len(w) * 31 + ord(w[-1]) for w in words[i::7]) for i in range(7)]
    merged = list(heapq.merge(*runs))
    scored = [Scored(len(w) * 1000 + counts[w], w, i) for i, w in enumerate(words)]
    top = heapq.nlargest(20, scored)
    return counts, diff, both, groups, window_best, runs, merged, scored, top


def digest(values):
    h = 0
    for v in values:
        h = (h * 1000003 + v) % MOD
    return h


_world = None


def run():
    global _world
    if _world is None:
        _world = make_world()
    walls, costs, words = _world
    start = Point(0, 0)
    plain = bfs(start, walls)
    unit = dijkstra(start, walls, lambda q: 1)
    weighted = dijkstra(start, walls, costs.__getitem__)
    counts, diff, both, groups, window_best, runs, merged, scored, top = text_work(words)
    squares = sorted(plain)
    return (len(plain), unit == plain, sorted(weighted) == squares,
            digest(plain[p] for p in squares), digest(weighted[p] for p in squares),
            sum(counts.values()), len(counts),
            [w for w, _ in counts.most_common(3)], sum(diff.values()),
            sum(both.values()), len(groups), window_best,
            len(merged) == sum(map(len, runs)),
            all(a <= b for a, b in zip(merged, merged[1:])),
            [s.index for s in top] == [s.index for s in sorted(scored, reverse=True)[:20]],
            digest(s.index for s in top))


# Golden values, computed once with this file and pinned.
PINNED = (2779, 1718491412415781279, 1584447216025990414, 1091, ['vi', 'ze', 'ne'], 1092, 4908, 30, 238, 828371616884192939)


def check(result):
    assert len(result) == 16, "expected 16 values, got %r" % (result,)
    facts = (result[1], result[2], result[5], result[12], result[13], result[14])
    assert facts == (True, True, WORDS, True, True, True), (
        "expected BFS = Dijkstra, same squares, %d words counted, merge complete "
        "and sorted, nlargest = sorted top; got %r" % (WORDS, facts))
    pinned = result[:1] + result[3:5] + result[6:12] + result[15:]
    assert pinned == PINNED, "expected %r, got %r" % (PINNED, pinned)
