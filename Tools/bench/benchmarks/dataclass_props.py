"""Dataclasses: records with properties, generated __eq__ and ordering, sorted by key functions.

An employee directory of @dataclass classes (a frozen, ordered Money
value; a Person with defaults and a default_factory list; an Employee
with an order=True sort key field), built afresh every iteration from
the shared LCG.  Properties compute derived values (full name, monthly
pay, seniority band), setters validate; dataclasses.replace() gives
raises, frozen instances go into sets and dict keys, and the directory
is sorted several ways: by the generated ordering (__lt__ on the
field tuple), by key functions (operator.attrgetter, lambdas reading
properties) and with reverse=True, then grouped.  It exercises the
__init__, __eq__, __lt__ and __hash__ that dataclasses generates,
property calls and sorting with Python key functions.  The result is
checked: every sorted list is in order by its key (checked pairwise
outside the timing), equal records compare equal and hash alike, the
number of distinct Money values equals len(set()) of their tuples, and
an order-sensitive checksum of the orders (computed once and pinned).
"""

import dataclasses
from dataclasses import dataclass, field
from operator import attrgetter

from _lcg import Lcg

GROUP = "object"

PEOPLE = 4000
FIRST = ["Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "Guido",
         "Ken", "Margaret", "Niklaus", "Radia", "Tim"]
LAST = ["Lovelace", "Hopper", "Turing", "Liskov", "Dijkstra", "Allen",
        "van Rossum", "Thompson", "Hamilton", "Wirth", "Perlman", "Peters"]
TEAMS = ["compiler", "runtime", "stdlib", "docs", "infra"]
MOD = (1 << 61) - 1


@dataclass(frozen=True, order=True)
class Money:
    cents: int
    currency: str = "EUR"

    def __add__(self, other):
        if self.currency != other.currency:
            raise ValueError("currency mismatch")
        return Money(self.cents + other.cents, self.currency)

    @property
    def units(self):
        return self.cents // 100


@dataclass
class Person:
    first: str
    last: str
    born: int
    skills: list = field(default_factory=list)

    @property
    def full_name(self):
        return "%s %s" % (self.first, self.last)

    @property
    def initials(self):
        return self.first[0] + self.last[0]


@dataclass(order=True)
class Employee:
    sort_key: tuple = field(init=False, repr=False)
    person: Person = field(compare=False)
    team: str
    salary: Money
    hired: int
    _level: int = field(default=1, compare=False)

    def __post_init__(self):
        self.sort_key = (self.team, -self.salary.cents, self.person.last)

    @property
    def level(self):
        return self._level

    @level.setter
    def level(self, value):
        if not 1 <= value <= 9:
            raise ValueError("level out of range: %r" % (value,))
        self._level = value

    @property
    def monthly(self):
        return Money(self.salary.cents // 12, self.salary.currency)

    @property
    def seniority(self):
        years = 2024 - self.hired
        return "senior" if years >= 10 else "mid" if years >= 4 else "junior"


def build(rng):
    staff = []
    for i in range(PEOPLE):
        person = Person(FIRST[rng.next(len(FIRST))], LAST[rng.next(len(LAST))],
                        1960 + rng.next(40),
                        [TEAMS[rng.next(len(TEAMS))] for _ in range(rng.next(3))])
        emp = Employee(person, TEAMS[rng.next(len(TEAMS))],
                       Money(3000000 + rng.next(200) * 25000,
                             "EUR" if rng.next(4) else "CHF"),
                       1995 + rng.next(29))
        emp.level = 1 + rng.next(9)
        staff.append(emp)
    return staff


def digest(items, key):
    h = 0
    for item in items:
        h = (h * 1000003 + key(item)) % MOD
    return h


def run():
    rng = Lcg(4711)
    staff = build(rng)
    # Raises through dataclasses.replace (a new frozen Money each time).
    for emp in staff[::3]:
        emp.salary = dataclasses.replace(emp.salary,
                                         cents=emp.salary.cents + emp.level * 10000)
        emp.sort_key = (emp.team, -emp.salary.cents, emp.person.last)
    by_order = sorted(staff)
    by_name = sorted(staff, key=lambda e: (e.person.full_name, e.hired))
    by_pay = sorted(staff, key=attrgetter("salary"), reverse=True)
    by_monthly = sorted(staff, key=lambda e: (e.monthly.units, e.seniority, e.level))
    salaries = [e.salary for e in staff]
    distinct = len(set(salaries))
    totals = {}
    for e in staff:
        key = (e.team, e.salary.currency)
        totals[key] = totals.get(key, Money(0, e.salary.currency)) + e.salary
    bands = {}
    for e in by_monthly:
        bands.setdefault(e.seniority, []).append(e.person.initials)
    clones = [dataclasses.replace(e) for e in staff[:200]]
    equal = sum(1 for a, b in zip(clones, staff) if a == b and not a < b and not b < a)
    ident = dict((id(e), i) for i, e in enumerate(staff))
    return ([ident[id(e)] for e in by_order], [ident[id(e)] for e in by_name],
            [ident[id(e)] for e in by_pay], [ident[id(e)] for e in by_monthly],
            distinct, equal,
            sorted((t, c, m.cents) for (t, c), m in totals.items()),
            sorted((k, len(v), "".join(v[:5])) for k, v in bands.items()))


def in_order(indices, key, staff, reverse=False):
    keys = [key(staff[i]) for i in indices]
    if reverse:
        keys.reverse()
    return all(a <= b for a, b in zip(keys, keys[1:])) and sorted(indices) == list(range(PEOPLE))


# Golden value: an order-sensitive checksum of the four sorted orders and
# the team totals, computed once with this file and pinned.
CHECKSUM = 555248146492882421


def check(result):
    assert len(result) == 8, "expected 8 values, got %r" % (result,)
    orders, distinct, equal, totals, bands = result[:4], result[4], result[5], result[6], result[7]
    staff = build(Lcg(4711))
    for emp in staff[::3]:
        emp.salary = Money(emp.salary.cents + emp.level * 10000, emp.salary.currency)
        emp.sort_key = (emp.team, -emp.salary.cents, emp.person.last)
    keys = [lambda e: e.sort_key, lambda e: (e.person.full_name, e.hired),
            lambda e: (e.salary.cents, e.salary.currency),
            lambda e: (e.salary.cents // 12 // 100, e.seniority, e.level)]
    for n, (order, key) in enumerate(zip(orders, keys)):
        assert in_order(order, key, staff, reverse=(n == 2)), "sorted order %d is wrong" % n
    want = len(set((e.salary.cents, e.salary.currency) for e in staff))
    assert distinct == want, "expected %d distinct salaries, got %r" % (want, distinct)
    assert equal == 200, "expected 200 equal clones, got %r" % (equal,)
    total = sum(e.salary.cents for e in staff)
    assert sum(t[2] for t in totals) == total, "team totals do not add up to %d" % total
    assert sum(b[1] for b in bands) == PEOPLE, "bands do not add up to %d" % PEOPLE
    h = 0
    for order in orders:
        h = digest(order, int) * 31 + h
    h = (h + digest(totals, lambda t: t[2] + sum(map(ord, t[0] + t[1]))) +
         digest(bands, lambda b: b[1] * 7 + sum(map(ord, b[0] + b[2])))) % MOD
    assert h == CHECKSUM, "expected checksum %r, got %r" % (CHECKSUM, h)
