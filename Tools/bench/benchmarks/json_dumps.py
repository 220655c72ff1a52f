"""JSON encoding: json.dumps of an API-response-like document (3000 users).

The document is a dict holding paging fields and a list of user records,
each a dict of ints, floats, bools, None, strings (names and cities in
several scripts, including characters outside the BMP, and descriptions
with quotes, backslashes and newlines to escape), a nested address dict
with a [lat, lon] list, a list of tags and a list of small friend dicts.  It
is generated once, with a fixed LCG, and cached.  Each iteration encodes it
three ways with sort_keys=True: compact with ensure_ascii (the default),
compact with ensure_ascii=False, and a 200-record slice with indent=2
(which takes the encoder's pure-Python path on CPython).  It exercises the
JSON encoder: string escaping, float repr, dict key sorting.  The result is
the length and zlib.crc32 of each output, computed once and pinned.
"""

import json
import zlib

GROUP = "stdlib"

USERS = 3000            # records in the document
INDENTED = 200          # records in the slice dumped with indent=2

FIRST_NAMES = ["Ana", "Zoë", "José", "Søren", "Łukasz", "Ming", "Дмитрий",
               "Aoife", "Ngozi", "Hiroshi", "Öykü", "Priya", "Émile", "Sven"]
LAST_NAMES = ["García", "Müller", "O'Brien", "Nakamura", "Kowalski", "Ølberg",
              "Иванова", "李", "Smith", "Nguyễn", "Dubois", "Brontë"]
CITIES = ["São Paulo", "Zürich", "Kraków", "Reykjavík", "東京", "Москва",
          "Montréal", "Lisboa", "Oslo", "Cork", "Αθήνα", "Ḩalab"]
TAGS = ["admin", "beta", "vip", "trial", "mobile", "emoji\U0001F642",
        "legacy", "eu", "us", "apac", "newsletter", "2fa"]
WORDS = ["lorem", "ipsum", "\"quoted\"", "back\\slash", "tab\there",
         "line\nbreak", "naïve", "café", "€uro", "ok", "ça", "x<y>&z"]


class Lcg(object):
    """A 64-bit linear congruential generator (same on every Python)."""

    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        """An int in range(bound), from the high bits of the state."""
        self.state = (self.state * 6364136223846793005 +
                      1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.state >> 33) % bound

    def pick(self, seq):
        return seq[self.next(len(seq))]


def make_user(rng, uid):
    first, last = rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)
    login = None if rng.next(4) == 0 else "2024-%02d-%02dT%02d:%02d:%02dZ" % (
        1 + rng.next(12), 1 + rng.next(28), rng.next(24), rng.next(60),
        rng.next(60))
    return {
        "id": uid,
        "uuid": "%08x-%04x-%04x" % (rng.next(1 << 32), rng.next(1 << 16),
                                    rng.next(1 << 16)),
        "name": first + " " + last,
        "email": "user%d@example.com" % uid,
        "active": rng.next(3) != 0,
        "verified": rng.next(2) == 1,
        "age": 18 + rng.next(70),
        "balance": rng.next(10000000) / 100.0,
        "score": rng.next(1000003) / 7.0,
        "ratio": rng.next(1000) * 1e-6,
        "big": rng.next(1 << 31) * 1000003,
        "last_login": login,
        "tags": [rng.pick(TAGS) for _ in range(rng.next(5))],
        "address": {
            "street": "%d %s Street" % (1 + rng.next(999), rng.pick(LAST_NAMES)),
            "city": rng.pick(CITIES),
            "zip": "%05d" % rng.next(100000),
            "geo": [rng.next(180000) / 1000.0 - 90.0,
                    rng.next(360000) / 1000.0 - 180.0],
        },
        "friends": [{"id": rng.next(USERS), "name": rng.pick(FIRST_NAMES),
                     "since": 2000 + rng.next(24)}
                    for _ in range(rng.next(4))],
        "description": " ".join(rng.pick(WORDS) for _ in range(3 + rng.next(8))),
        "matrix": [[rng.next(10) for _ in range(3)] for _ in range(rng.next(3))],
    }


def make_document():
    rng = Lcg(20240611)
    return {
        "status": "ok",
        "page": 1,
        "per_page": USERS,
        "total": USERS,
        "next": None,
        "elapsed_ms": 12.5,
        "items": [make_user(rng, uid) for uid in range(USERS)],
    }


_document = None


def document():
    """The document, built on first use and then reused."""
    global _document
    if _document is None:
        _document = make_document()
    return _document


def run():
    doc = document()
    ascii_text = json.dumps(doc, sort_keys=True)
    unicode_text = json.dumps(doc, sort_keys=True, ensure_ascii=False,
                              separators=(",", ":"))
    indented = json.dumps(doc["items"][:INDENTED], sort_keys=True, indent=2)
    result = []
    for text in (ascii_text, unicode_text, indented):
        result.append(len(text))
        result.append(zlib.crc32(text.encode("utf-8")))
    return tuple(result)


# Golden values: (length, crc32 of the UTF-8 bytes) of each output, computed
# once with this file and pinned.
EXPECTED = (1890447, 47230170, 1598815, 708746002, 175222, 4107681907)
NAMES = ("ascii length", "ascii crc32", "unicode length", "unicode crc32",
         "indented length", "indented crc32")


def check(result):
    assert len(result) == len(EXPECTED), "expected %d values, got %r" % (
        len(EXPECTED), result)
    for name, want, got in zip(NAMES, EXPECTED, result):
        assert got == want, "expected %s %r, got %r" % (name, want, got)
