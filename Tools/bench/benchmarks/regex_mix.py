"""Regex mix: many compiled patterns over generated log text, sub() with callbacks, findall and finditer.

A web-server-like log of 1,800 lines is generated once with the shared
LCG: timestamps, IPv4 addresses, e-mail addresses, request paths with
query strings, status codes, durations, user agents and free text.  Each
iteration runs a dozen compiled patterns over it: findall of addresses,
e-mails and hex ids, finditer with named groups to parse each line,
sub() with Python callbacks that rewrite dates to another format, mask
e-mail users, round durations and title-case words, split on several
separators, and fullmatch validation of tokens.  It exercises the re
module's matcher, match objects and the calls from sub() back into
Python.  The result is checked against facts from the generator (the
number of lines, addresses, e-mails, ids and errors it wrote, the sum of
the status codes) and the length and zlib.crc32 of the rewritten text
(computed once and pinned).
"""

import re
import zlib

from _lcg import Lcg

GROUP = "stdlib"

LINES = 1800

LINE = re.compile(
    r"^(?P<date>\d{4}-\d\d-\d\d)T(?P<time>\d\d:\d\d:\d\d) "
    r"(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) (?P<method>GET|POST|PUT|DELETE) "
    r"(?P<path>/\S*) (?P<status>\d{3}) (?P<ms>\d+\.\d+)ms", re.M)
IPV4 = re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")
EMAIL = re.compile(r"\b([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,})\b")
HEXID = re.compile(r"\bid=([0-9a-f]{8})\b")
DATE = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)T")
DURATION = re.compile(r"(\d+)\.(\d+)ms")
WORD = re.compile(r"\b[a-z]{5,}\b")
ERROR = re.compile(r"\b(?:ERROR|FATAL)\b:\s*(.*)$", re.M)
QUERY = re.compile(r"[?&]([a-z_]+)=([^&\s]*)")
SPLIT = re.compile(r"[\s,;|]+")
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?")

USERS = ["ana", "bo.li", "carl+news", "dora_k", "ed", "zoe.m"]
HOSTS = ["example.com", "mail.ember.dev", "uni-x.ac.uk", "shop.io"]
PATHS = ["/", "/api/items", "/api/users/42", "/static/app.js", "/search",
         "/cart/checkout"]
WORDS = ["request", "served", "cache", "miss", "upstream", "timeout", "user",
         "login", "accepted", "queue", "worker", "slow", "retry", "ok"]
METHODS = ["GET", "POST", "PUT", "DELETE"]
STATUSES = [200, 200, 200, 201, 204, 301, 304, 400, 404, 500, 503]


def make_log():
    rng = Lcg(8080)
    lines = []
    facts = {"ips": 0, "emails": 0, "ids": 0, "errors": 0, "status": 0,
             "queries": 0}
    for i in range(LINES):
        ip = "%d.%d.%d.%d" % (1 + rng.next(254), rng.next(256), rng.next(256),
                              1 + rng.next(254))
        path = PATHS[rng.next(len(PATHS))]
        if rng.next(3) == 0:
            path += "?q=%s&page=%d" % (WORDS[rng.next(len(WORDS))], rng.next(9))
            facts["queries"] += 2
        status = STATUSES[rng.next(len(STATUSES))]
        facts["status"] += status
        line = "2023-%02d-%02dT%02d:%02d:%02d %s %s %s %d %d.%03dms" % (
            1 + rng.next(12), 1 + rng.next(28), rng.next(24), rng.next(60),
            rng.next(60), ip, METHODS[rng.next(4)], path, status,
            rng.next(2000), rng.next(1000))
        facts["ips"] += 1
        words = [WORDS[rng.next(len(WORDS))] for _ in range(3 + rng.next(6))]
        if rng.next(4) == 0:
            words.append("%s@%s" % (USERS[rng.next(len(USERS))],
                                    HOSTS[rng.next(len(HOSTS))]))
            facts["emails"] += 1
        if rng.next(3) == 0:
            words.append("id=%08x" % rng.next(1 << 32))
            facts["ids"] += 1
        if status >= 500:
            words.insert(0, "ERROR:")
            facts["errors"] += 1
        lines.append(line + " " + " ".join(words))
    return "\n".join(lines) + "\n", facts


def rewrite_date(m):
    year, month, day = m.groups()
    return "%s/%s/%s " % (day, month, year)


def mask_email(m):
    user, host = m.groups()
    return "%s***@%s" % (user[0], host.upper())


def round_duration(m):
    whole, frac = m.groups()
    return "%dms" % (int(whole) + (1 if int(frac[0]) >= 5 else 0))


def title_word(m):
    word = m.group(0)
    return word.title() if len(word) % 2 else word.upper()


_log = None


def run():
    global _log
    if _log is None:
        _log = make_log()
    text, _ = _log
    ips = IPV4.findall(text)
    emails = EMAIL.findall(text)
    ids = HEXID.findall(text)
    errors = ERROR.findall(text)
    queries = QUERY.findall(text)
    parsed = status_sum = slow = 0
    methods = {}
    for m in LINE.finditer(text):
        parsed += 1
        status_sum += int(m.group("status"))
        if float(m.group("ms")) > 1000.0:
            slow += 1
        method = m.group("method")
        methods[method] = methods.get(method, 0) + 1
    out = DATE.sub(rewrite_date, text)
    out = EMAIL.sub(mask_email, out)
    out = DURATION.sub(round_duration, out)
    out = WORD.sub(title_word, out)
    pieces = SPLIT.split(out)
    valid = sum(1 for p in pieces if TOKEN.fullmatch(p))
    return (parsed, len(ips), len(emails), len(ids), len(errors), len(queries),
            status_sum, slow, sum(methods.values()), len(pieces), valid,
            len(out), zlib.crc32(out.encode("utf-8")))


# Golden values, computed once with this file and pinned: the slow-request
# count, the split piece counts and the rewritten text's length and crc32.
PINNED = (894, 23689, 13369, 197528, 4171513404)


def check(result):
    assert len(result) == 13, "expected 13 values, got %r" % (result,)
    facts = (_log or make_log())[1]
    want = (LINES, facts["ips"], facts["emails"], facts["ids"], facts["errors"],
            facts["queries"], facts["status"])
    assert result[:7] == want, "expected lines, addresses, e-mails, ids, errors, " \
        "query pairs and status sum %r, got %r" % (want, result[:7])
    slow, parsed_methods = result[7], result[8]
    assert parsed_methods == LINES, "expected %d methods, got %r" % (LINES, parsed_methods)
    got = (slow,) + result[9:]
    assert got == PINNED, "expected slow, pieces, tokens, length, crc32 %r, got %r" % (
        PINNED, got)
