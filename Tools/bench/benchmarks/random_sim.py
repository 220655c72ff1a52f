"""Random simulation: a market town of agents driven by random.Random(seed).

A seeded random.Random drives everything: agents walk a 30x30 torus
(random.choice of a direction), trade goods with another agent on the
same square (randint amounts, a random() price wobble), eat and starve,
and breed (a new agent with a random gene); each round the order in
which agents act is shuffled.  Beside it a card room deals poker hands
from a shuffled deck and classifies them, and a dice table rolls
randint pairs.  It exercises the random module's Python-level methods
(randint, randrange, choice, shuffle, sample) over the C generator, and
dict and list work on small objects.  The result is checked: agents born
minus agents starved equals the population change, goods are conserved
by trades (only eating destroys them, and the amount eaten is counted
separately), the dealt hands and dice counts add up to what was dealt
and rolled, and the whole run is replayed from the same seed in the
check and must give the same state; the final population, a checksum of
the agents and the hand counts, computed once and pinned, catch a wrong
simulation that repeats itself.
"""

import random

GROUP = "stdlib"

SEED = 20240229
SIZE = 30
START_AGENTS = 300
ROUNDS = 60
HANDS = 3000
ROLLS = 10000
MOVES = ((0, 1), (1, 0), (0, -1), (-1, 0), (0, 0))
MOD = (1 << 61) - 1


class Agent(object):
    __slots__ = ("ident", "x", "y", "food", "gold", "gene", "age")

    def __init__(self, ident, x, y, food, gold, gene):
        self.ident = ident
        self.x = x
        self.y = y
        self.food = food
        self.gold = gold
        self.gene = gene
        self.age = 0


def market(rng):
    agents = [Agent(i, rng.randrange(SIZE), rng.randrange(SIZE),
                    rng.randint(5, 20), rng.randint(0, 50), rng.random())
              for i in range(START_AGENTS)]
    next_id = START_AGENTS
    born = starved = eaten = trades = produced = gold_lost = 0
    start_food = sum(a.food for a in agents)
    start_gold = sum(a.gold for a in agents)
    for _ in range(ROUNDS):
        rng.shuffle(agents)
        squares = {}
        for a in agents:
            dx, dy = rng.choice(MOVES)
            a.x = (a.x + dx) % SIZE
            a.y = (a.y + dy) % SIZE
            squares.setdefault((a.x, a.y), []).append(a)
        for here in squares.values():
            for a in here:                   # forage: crowded squares give less
                if rng.random() < 0.45 + a.gene / 4 - len(here) / 20:
                    gain = rng.randint(1, 3)
                    a.food += gain
                    produced += gain
            if len(here) < 2:
                continue
            for a in here:
                b = rng.choice(here)
                if b is a:
                    continue
                amount = rng.randint(1, 3)
                price = max(1, int(amount * (1.5 + rng.random() + a.gene - b.gene)))
                if b.food >= amount and a.gold >= price:
                    b.food -= amount
                    a.food += amount
                    a.gold -= price
                    b.gold += price
                    trades += 1
        survivors, babies = [], []
        for a in agents:
            a.age += 1
            a.food -= 1
            eaten += 1
            if a.food < 0:
                starved += 1
                eaten -= 1                   # it had nothing left to eat
                gold_lost += a.gold          # its gold leaves with it
                continue
            survivors.append(a)
            if a.food > 12 and rng.random() < 0.3:
                gift = a.food // 3
                a.food -= gift
                babies.append(Agent(next_id, a.x, a.y, gift, 0,
                                    min(1.0, max(0.0, a.gene + rng.uniform(-0.1, 0.1)))))
                next_id += 1
                born += 1
        agents = survivors + babies
    food = sum(a.food for a in agents)
    gold = sum(a.gold for a in agents)
    agents.sort(key=lambda a: a.ident)
    h = 0
    for a in agents:
        h = (h * 1000003 + a.ident * 7 + a.x * 31 + a.y * 17 + a.food + a.gold * 3 +
             int(a.gene * 1000)) % MOD
    return (len(agents), born, starved, trades, start_food + produced - eaten - food,
            start_gold - gold_lost - gold, h)


RANKS = "23456789TJQKA"
SUITS = "cdhs"


def classify(hand):
    ranks = sorted((RANKS.index(card[0]) for card in hand), reverse=True)
    counts = sorted((ranks.count(r) for r in set(ranks)), reverse=True)
    flush = len(set(card[1] for card in hand)) == 1
    straight = len(set(ranks)) == 5 and ranks[0] - ranks[4] == 4
    if straight and flush:
        return "straight flush"
    if counts[0] == 4:
        return "four"
    if counts == [3, 2]:
        return "full house"
    if flush:
        return "flush"
    if straight:
        return "straight"
    if counts[0] == 3:
        return "three"
    if counts == [2, 2, 1]:
        return "two pair"
    if counts[0] == 2:
        return "pair"
    return "high card"


KINDS = ["high card", "pair", "two pair", "three", "straight", "flush",
         "full house", "four", "straight flush"]


def card_room(rng):
    deck = [r + s for r in RANKS for s in SUITS]
    tally = dict((k, 0) for k in KINDS)
    dealt = 0
    for i in range(HANDS // 10):
        rng.shuffle(deck)
        for j in range(10):
            hand = deck[5 * j:5 * j + 5]
            tally[classify(hand)] += 1
            dealt += 1
    for _ in range(HANDS // 10):
        tally[classify(rng.sample(deck, 5))] += 1
        dealt += 1
    return dealt, [tally[k] for k in KINDS]


def dice(rng):
    sums = [0] * 13
    for _ in range(ROLLS):
        sums[rng.randint(1, 6) + rng.randint(1, 6)] += 1
    return sums[2:]


def simulate(seed):
    rng = random.Random(seed)
    town = market(rng)
    dealt, hands = card_room(rng)
    rolls = dice(rng)
    return town + (dealt, hands, rolls, rng.getrandbits(32))


def run():
    return simulate(SEED)


# Golden values, computed once with this file and pinned (CPython and PyPy
# give the same numbers from the same seed): the final population, the
# agent checksum and the hand tallies.
POPULATION = 665
AGENT_HASH = 126311796468741844
HAND_TALLY = [1647, 1414, 151, 67, 12, 3, 5, 1, 0]


def check(result):
    assert len(result) == 11, "expected 11 values, got %r" % (result,)
    (population, born, starved, trades, food_gap, gold_gap, h, dealt, hands,
     rolls, last) = result
    assert population == START_AGENTS + born - starved, (
        "population %r is not %d + %r born - %r starved" % (
            population, START_AGENTS, born, starved))
    assert population == POPULATION, "expected population %r, got %r" % (POPULATION, population)
    assert h == AGENT_HASH, "expected agent checksum %r, got %r" % (AGENT_HASH, h)
    assert trades > 0 and born > 0 and starved > 0, "a quiet town: %r" % (result,)
    assert food_gap == 0, "food is not conserved: %r unaccounted for" % (food_gap,)
    assert gold_gap == 0, "gold is not conserved: %r unaccounted for" % (gold_gap,)
    assert dealt == HANDS + HANDS // 10, "expected %d hands, got %r" % (HANDS + HANDS // 10, dealt)
    assert sum(hands) == dealt, "hand tally %r does not add up to %r" % (hands, dealt)
    assert hands == HAND_TALLY, "expected hand tally %r, got %r" % (HAND_TALLY, hands)
    assert sum(rolls) == ROLLS, "dice counts %r do not add up to %d" % (rolls, ROLLS)
    replay = simulate(SEED)
    assert result == replay, "the replay from the same seed differs: %r" % (replay,)
