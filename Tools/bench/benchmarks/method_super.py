"""Method calls down a five-level class hierarchy with zero-argument super().

Level0..Level4 each subclass the previous one.  step(x) is overridden at
every level and each override calls super().step(x) and then adjusts the
value, reading a property (weight, itself overridden at level 4 through
super()), a classmethod (level(), which sees the instance's own class) and
a staticmethod (twice()); score(x) is a template method on the base class
that calls the overridable step() and bonus() hooks; __init__ chains
through super() at every level.  Three instances of every level, with
different k, are driven for ROUNDS values of x.  It exercises method
lookup through the MRO, bound-method calls, zero-argument super(),
property getters and class/static method dispatch.  The result is the
totals of step(), score() and weight over all calls plus the instance
count and the number of __init__ bodies run; each is checked against a
closed form built from the per-level formulas worked out by hand (for
example Level4.step(x) = 2x - 2).
"""

GROUP = "calls"

ROUNDS = 6000          # values of x fed to every instance
KS = (1, 2, 3)         # the k of the instances made at each level


class Level0(object):
    LEVEL = 0

    def __init__(self, k):
        self.k = k
        self.inits = 1

    @property
    def weight(self):
        return self.k + self.LEVEL

    @classmethod
    def level(cls):
        return cls.LEVEL

    @staticmethod
    def twice(value):
        return value + value

    def step(self, x):
        return x + self.k

    def bonus(self):
        return 0

    def score(self, x):
        return self.step(x) + self.bonus()


class Level1(Level0):
    LEVEL = 1

    def __init__(self, k):
        super().__init__(k)
        self.inits += 1

    def step(self, x):
        return super().step(x) + 1

    def bonus(self):
        return super().bonus() + self.level()


class Level2(Level1):
    LEVEL = 2

    def __init__(self, k):
        super().__init__(k)
        self.inits += 1

    def step(self, x):
        return self.twice(super().step(x))


class Level3(Level2):
    LEVEL = 3

    def __init__(self, k):
        super().__init__(k)
        self.inits += 1

    def step(self, x):
        return super().step(x) - self.weight

    def bonus(self):
        return super().bonus() + 10


class Level4(Level3):
    LEVEL = 4

    def __init__(self, k):
        super().__init__(k)
        self.inits += 1

    @property
    def weight(self):
        return super().weight * 2

    def step(self, x):
        return super().step(x) + self.level()


CLASSES = (Level0, Level1, Level2, Level3, Level4)


def run():
    objects = [cls(k) for cls in CLASSES for k in KS]
    step_total = score_total = weight_total = 0
    for x in range(ROUNDS):
        for obj in objects:
            step_total += obj.step(x)
            score_total += obj.score(x)
            weight_total += obj.weight
    inits = sum(obj.inits for obj in objects)
    return (len(objects), inits, step_total, score_total, weight_total)


# Per level L, for an instance with parameter k (worked out by hand):
#   step(x) = a*x + b*k + c, bonus() = d, weight = w1*k + w0
#   L0: x + k                                   bonus 0            weight k
#   L1: x + k + 1                               bonus 1            weight k + 1
#   L2: 2(x + k + 1)                            bonus 2            weight k + 2
#   L3: 2(x + k + 1) - (k + 3)     = 2x + k - 1   bonus 3 + 10       weight k + 3
#   L4: 2(x + k + 1) - 2(k + 4) + 4 = 2x - 2      bonus 4 + 10       weight 2(k + 4)
FORMULAS = (
    # a, b, c, d, w1, w0
    (1, 1, 0, 0, 1, 0),
    (1, 1, 1, 1, 1, 1),
    (2, 2, 2, 2, 1, 2),
    (2, 1, -1, 13, 1, 3),
    (2, 0, -2, 14, 2, 8),
)


def expected(rounds):
    s1 = rounds * (rounds - 1) // 2      # sum of x over the rounds
    step_total = score_total = weight_total = inits = 0
    for level, (a, b, c, d, w1, w0) in enumerate(FORMULAS):
        for k in KS:
            step_sum = a * s1 + (b * k + c) * rounds
            step_total += step_sum
            score_total += step_sum + d * rounds
            weight_total += (w1 * k + w0) * rounds
            inits += level + 1
    return (len(CLASSES) * len(KS), inits, step_total, score_total, weight_total)


LABELS = ("instances", "__init__ bodies run", "step total", "score total", "weight total")


def check(result):
    want = expected(ROUNDS)
    assert len(result) == len(want), "expected %d values, got %r" % (len(want), result)
    for label, w, got in zip(LABELS, want, result):
        assert got == w, "expected %s = %r, got %r" % (label, w, got)
