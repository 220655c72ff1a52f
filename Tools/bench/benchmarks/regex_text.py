"""Regular expressions: match, search, findall and sub over a generated log.

The text is a web-service log of LINES lines (timestamp, level, component,
message: HTTP requests, logins, database queries, mails, a few with
non-ASCII user names), generated once with a fixed LCG and cached.  The
patterns are compiled once at import.  Each iteration counts severity words
(alternation with word boundaries), tallies HTTP requests by status class
and sums their sizes (named groups, an optional group), sums the durations
of queries on two tables (lookahead), counts logins by users other than
admin (negative lookahead), counts timeout lines (IGNORECASE | MULTILINE),
matches every line's timestamp and searches it for a failed login in a
Python loop (match and search on each line), and rewrites the text: IP
addresses masked (sub with a template), e-mail addresses masked (sub with
a function) and user names replaced (a VERBOSE pattern).  It exercises
the regex engine and match objects.  The result is the counts, sums and
the length and zlib.crc32 of the rewritten text; they were computed once
and pinned.
"""

import re
import zlib

from _lcg import Lcg

GROUP = "stdlib"

LINES = 6000

LEVEL_RE = re.compile(r"\b(?:ERROR|CRITICAL|WARN(?:ING)?)\b")
REQUEST_RE = re.compile(
    r"(?P<method>GET|POST|PUT|DELETE) (?P<path>/[\w/.-]*)"
    r"(?:\?(?P<query>\S+))? status=(?P<status>\d{3}) bytes=(?P<size>\d+)")
SLOW_QUERY_RE = re.compile(r"\b(\d+)ms\b(?=.*\btable=(?:orders|users)\b)")
NON_ADMIN_RE = re.compile(r"\blogin user=(?!admin\b)(\w+)")
TIMEOUT_LINE_RE = re.compile(r"^.*\btime[- ]?out\b.*$",
                             re.IGNORECASE | re.MULTILINE)
FAILED_RE = re.compile(r"login failed user=(\w+)")
TIMESTAMP_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) ")
IP_RE = re.compile(r"\b(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}\b")
EMAIL_RE = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
USER_RE = re.compile(r"""
    (?<= user= )        # only after the user= key
    (?P<name> [^\W\d]+ ) # letters of the name, any script
    (?P<num> \d* )       # optional digits
    """, re.VERBOSE)

LEVELS = ["INFO"] * 12 + ["DEBUG"] * 4 + ["WARNING", "WARN", "ERROR",
                                          "CRITICAL"]
COMPONENTS = ["http", "auth", "db.pool", "mailer", "worker-1", "worker-2"]
USERS = ["alice", "bob", "carol7", "admin", "dave42", "José", "Zoë",
         "Łukasz", "admin2", "mallory"]
TABLES = ["orders", "users", "items", "audit"]
METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]
STATUSES = [200, 200, 200, 201, 204, 301, 304, 400, 403, 404, 500, 503]
DOMAINS = ["example.com", "mail.example.org", "corp.internal"]


def ip(rng):
    return "%d.%d.%d.%d" % (rng.pick([10, 172, 192, 203]), rng.next(256),
                            rng.next(256), 1 + rng.next(254))


def message(rng, component):
    """One log message for the given component."""
    if component == "http":
        query = "?page=%d&sort=name" % rng.next(9) if rng.next(3) == 0 else ""
        return "%s /api/v%d/items/%d%s status=%d bytes=%d time=%dms ip=%s" % (
            rng.pick(METHODS), 1 + rng.next(2), rng.next(5000), query,
            rng.pick(STATUSES), rng.next(100000), rng.next(900), ip(rng))
    if component == "auth":
        user = rng.pick(USERS)
        if rng.next(4) == 0:
            return "login failed user=%s from %s reason=bad_password" % (
                user, ip(rng))
        return "login user=%s from %s ok" % (user, ip(rng))
    if component == "db.pool":
        if rng.next(10) == 0:
            return "Time-out after %dms waiting for connection table=%s" % (
                1000 * (1 + rng.next(5)), rng.pick(TABLES))
        return "query took %dms rows=%d table=%s" % (
            rng.next(2000), rng.next(500), rng.pick(TABLES))
    if component == "mailer":
        return "sent mail to %s.%d@%s subject=\"Invoice #%d\"" % (
            rng.pick(USERS).lower(), rng.next(100), rng.pick(DOMAINS),
            rng.next(100000))
    if rng.next(8) == 0:
        return "job %d hit a TIMEOUT, retrying (user=%s)" % (
            rng.next(10000), rng.pick(USERS))
    return "job %d done in %dms for user=%s" % (
        rng.next(10000), rng.next(5000), rng.pick(USERS))


def make_text():
    rng = Lcg(1337)
    lines = []
    for _ in range(LINES):
        component = rng.pick(COMPONENTS)
        stamp = "2024-03-%02d %02d:%02d:%02d.%03d" % (
            1 + rng.next(28), rng.next(24), rng.next(60), rng.next(60),
            rng.next(1000))
        lines.append("%s %-8s [%s] %s" % (stamp, rng.pick(LEVELS), component,
                                          message(rng, component)))
    return "\n".join(lines) + "\n"


_text = None


def text():
    """The log text, built on first use and then reused."""
    global _text
    if _text is None:
        _text = make_text()
    return _text


def severity_counts(log):
    counts = {"WARN": 0, "WARNING": 0, "ERROR": 0, "CRITICAL": 0}
    for word in LEVEL_RE.findall(log):
        counts[word] += 1
    return [counts[k] for k in ("WARN", "WARNING", "ERROR", "CRITICAL")]


def request_stats(log):
    """[requests per status class 2xx..5xx], total bytes, requests with query."""
    classes = [0, 0, 0, 0]
    size = with_query = 0
    for m in REQUEST_RE.finditer(log):
        classes[int(m.group("status")) // 100 - 2] += 1
        size += int(m.group("size"))
        if m.group("query") is not None:
            with_query += 1
    return classes, size, with_query


def mask_email(m):
    return m.group(1)[:1] + "***@" + m.group(2)


def rename_user(m):
    return "u%d%s" % (len(m.group("name")), m.group("num"))


def run():
    log = text()
    levels = severity_counts(log)
    classes, size, with_query = request_stats(log)
    slow = sum(int(ms) for ms in SLOW_QUERY_RE.findall(log))
    non_admin = len(NON_ADMIN_RE.findall(log))
    timeouts = len(TIMEOUT_LINE_RE.findall(log))
    seconds = failed = 0
    for line in log.splitlines():
        m = TIMESTAMP_RE.match(line)
        seconds += (int(m.group(4)) * 60 + int(m.group(5))) * 60 + int(m.group(6))
        if FAILED_RE.search(line):
            failed += 1
    masked = IP_RE.sub(r"\1.\2.x.x", log)
    masked = EMAIL_RE.sub(mask_email, masked)
    masked, renamed = USER_RE.subn(rename_user, masked)
    return (levels, classes, size, with_query, slow, non_admin, timeouts,
            seconds, failed, renamed, len(masked), zlib.crc32(masked.encode("utf-8")))


# Golden values: computed once with this file (its text generator and
# patterns) and pinned.
EXPECTED = ([301, 303, 284, 329], [443, 157, 248, 183], 51155818, 337, 595478,
            669, 345, 260392899, 272, 3032, 541513, 3020759658)
NAMES = ("severity words [WARN, WARNING, ERROR, CRITICAL]",
         "requests by status class [2xx, 3xx, 4xx, 5xx]", "request bytes",
         "requests with a query", "slow-query milliseconds",
         "non-admin logins", "timeout lines", "timestamp seconds",
         "failed logins",
         "renamed users", "rewritten length", "rewritten crc32")


def check(result):
    assert len(result) == len(EXPECTED), "expected %d values, got %r" % (
        len(EXPECTED), result)
    for name, want, got in zip(NAMES, EXPECTED, result):
        assert type(got) is type(want) and got == want, (
            "expected %s %r, got %r" % (name, want, got))
