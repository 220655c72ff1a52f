"""Exceptions as control flow: custom exception classes, try/except/else/finally in loops, raise from, StopIteration.

Five workloads where exceptions carry the control flow: (1) a tokenizer
and validator for generated records that raises a hierarchy of custom
exceptions (ParseError and its subclasses, with attributes) caught at
different levels, re-raised with `raise ... from`, and counted by type
with except clauses in order; (2) a retry loop whose operation fails
with a custom TransientError a set number of times, with else: and
finally: clauses counting attempts and cleanups; (3) EAFP dictionary and
attribute access (KeyError, AttributeError, IndexError) with fallbacks;
(4) manual iteration with next() until StopIteration, and a generator
that returns a value read from StopIteration.value; (5) a search in a
nested loop that leaves all levels by raising Found.  It exercises
raising, matching except clauses, exception chaining, finally blocks
and frame unwinding.  The result is checked against counts computed
from the generated input without exceptions (how many records are bad
in each way), closed forms for the retries, cleanups and sums, and the
chained causes' types.
"""

from _lcg import Lcg

GROUP = "calls"

RECORDS = 10000
RETRY_JOBS = 4000
LOOKUPS = 25000
SEARCHES = 200
GRID = 40


class ParseError(Exception):
    def __init__(self, line, reason):
        super(ParseError, self).__init__("line %d: %s" % (line, reason))
        self.line = line
        self.reason = reason


class MissingField(ParseError):
    pass


class BadNumber(ParseError):
    pass


class OutOfRange(BadNumber):
    pass


class RecordRejected(Exception):
    pass


class TransientError(Exception):
    pass


class Found(Exception):
    def __init__(self, where):
        super(Found, self).__init__(where)
        self.where = where


def make_records():
    """Records 'name=...;age=...;score=...'; some broken on purpose.
    Also returns what a validator should find: counts per kind of fault."""
    rng = Lcg(404)
    records, faults = [], {"ok": 0, "missing": 0, "number": 0, "range": 0}
    for i in range(RECORDS):
        kind = rng.next(10)
        age = rng.next(90)
        if kind == 0:
            records.append("name=r%d;score=%d" % (i, rng.next(100)))
            faults["missing"] += 1
        elif kind == 1:
            records.append("name=r%d;age=x%d;score=1" % (i, age))
            faults["number"] += 1
        elif kind == 2:
            records.append("name=r%d;age=%d;score=%d" % (i, age, 150 + rng.next(50)))
            faults["range"] += 1
        else:
            records.append("name=r%d;age=%d;score=%d" % (i, age, rng.next(101)))
            faults["ok"] += 1
    return records, faults


def parse_number(text, line, low, high):
    try:
        value = int(text)
    except ValueError as exc:
        raise BadNumber(line, "not a number: %r" % text) from exc
    if not low <= value <= high:
        raise OutOfRange(line, "%d not in %d..%d" % (value, low, high))
    return value


def parse_record(text, line):
    fields = dict(part.split("=", 1) for part in text.split(";"))
    try:
        age = fields["age"]
        score = fields["score"]
    except KeyError as exc:
        raise MissingField(line, "missing %s" % exc.args[0]) from None
    return fields["name"], parse_number(age, line, 0, 130), parse_number(score, line, 0, 100)


def validate(records):
    counts = {"ok": 0, "missing": 0, "number": 0, "range": 0}
    causes = 0
    total = 0
    for line, text in enumerate(records):
        try:
            try:
                name, age, score = parse_record(text, line)
            except OutOfRange:
                counts["range"] += 1
                raise
            except BadNumber as exc:
                counts["number"] += 1
                if isinstance(exc.__cause__, ValueError):
                    causes += 1
                raise RecordRejected(exc.reason) from exc
            except MissingField as exc:
                counts["missing"] += 1
                if exc.__cause__ is None and exc.__suppress_context__:
                    causes += 1
                continue
            else:
                counts["ok"] += 1
                total += age + score
        except RecordRejected as exc:
            if type(exc.__cause__) is BadNumber:
                causes += 1
        except ParseError as exc:
            total -= exc.line % 7
    return counts, causes, total


class Flaky(object):
    """An operation that fails job % 4 times before it succeeds."""

    def __init__(self):
        self.calls = 0

    def attempt(self, job, tries):
        self.calls += 1
        if tries < job % 4:
            raise TransientError(job)
        return job * 2


def retries(jobs):
    op = Flaky()
    done = cleanups = failures = result = 0
    for job in range(jobs):
        tries = 0
        while True:
            try:
                value = op.attempt(job, tries)
            except TransientError:
                tries += 1
                failures += 1
                continue
            else:
                result += value
                done += 1
                break
            finally:
                cleanups += 1
    return done, failures, cleanups, op.calls, result


class Config(object):
    def __init__(self):
        self.debug = True


def lookups(n):
    table = dict(("k%d" % i, i) for i in range(0, n, 3))
    items = list(range(0, n, 2))
    config = Config()
    missing = attr_missing = index_missing = total = 0
    for i in range(n):
        try:
            total += table["k%d" % i]
        except KeyError:
            missing += 1
        try:
            total += items[i]
        except IndexError:
            index_missing += 1
        try:
            if getattr(config, "verbose") if i % 5 == 0 else config.debug:
                total += 1
        except AttributeError:
            attr_missing += 1
    return missing, index_missing, attr_missing, total


def counted(n):
    for i in range(n):
        yield i
    return n * 10


def iteration(n):
    it = iter(range(n))
    total = 0
    while True:
        try:
            total += next(it)
        except StopIteration:
            break
    gen = counted(n)
    while True:
        try:
            total += next(gen)
        except StopIteration as stop:
            total += stop.value
            break
    return total


def search(target, grid):
    try:
        for r in range(grid):
            for c in range(grid):
                if (r * grid + c) * 7 % (grid * grid) == target:
                    raise Found((r, c))
    except Found as found:
        return found.where
    return None


def searches(count):
    total = 0
    for t in range(count):
        r, c = search((t * 37) % (GRID * GRID), GRID)
        total += r * GRID + c
    return total


_records = None


def run():
    global _records
    if _records is None:
        _records = make_records()
    counts, causes, total = validate(_records[0])
    return ([counts["ok"], counts["missing"], counts["number"], counts["range"]],
            causes, total, retries(RETRY_JOBS), lookups(LOOKUPS),
            iteration(LOOKUPS), searches(SEARCHES))


def expected():
    records, faults = _records or make_records()
    want_total = 0
    for line, text in enumerate(records):
        fields = dict(part.split("=", 1) for part in text.split(";"))
        if "age" not in fields:
            continue
        if not fields["age"].isdigit():
            continue                      # rejected, not a ParseError
        age, score = int(fields["age"]), int(fields["score"])
        if 0 <= score <= 100:
            want_total += age + score
        else:
            want_total -= line % 7
    counts = [faults["ok"], faults["missing"], faults["number"], faults["range"]]
    causes = faults["missing"] + 2 * faults["number"]
    j = RETRY_JOBS
    fails = sum(k % 4 for k in range(j))
    retry = (j, fails, j + fails, j + fails, j * (j - 1))
    n = LOOKUPS
    keys = (n + 2) // 3
    items = (n + 1) // 2
    fifth = (n + 4) // 5
    look = (n - keys, n - items, fifth,
            sum(range(0, n, 3)) + sum(range(0, n, 2)) + (n - fifth))
    it = n * (n - 1) + n * 10
    # (r*G + c) * 7 == t (mod G*G): 7 is invertible mod 1600.
    inv = pow(7, -1, GRID * GRID)
    found = sum((t * 37) % (GRID * GRID) * inv % (GRID * GRID) for t in range(SEARCHES))
    return (counts, causes, want_total, retry, look, it, found)


def check(result):
    want = expected()
    assert len(result) == len(want), "expected %d values, got %r" % (len(want), result)
    names = ("fault counts", "chained causes", "total", "retries", "lookups",
             "iteration total", "search total")
    for name, w, got in zip(names, want, result):
        if isinstance(w, tuple):
            got = tuple(got) if isinstance(got, (tuple, list)) else got
        assert got == w, "expected %s %r, got %r" % (name, w, got)
