"""The API-response-like document that json_dumps and json_loads use.

make_document(users) builds, with a fixed LCG, a dict of paging fields and
a list of `users` user records: ints, floats, bools, None, strings in
several scripts (characters outside the BMP, quotes, backslashes and
newlines to escape), a nested address dict, tags and friend lists.  The
same count gives the same document on every Python.
"""

from _lcg import Lcg

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


def make_user(rng, uid, users):
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
        "friends": [{"id": rng.next(users), "name": rng.pick(FIRST_NAMES),
                     "since": 2000 + rng.next(24)}
                    for _ in range(rng.next(4))],
        "description": " ".join(rng.pick(WORDS) for _ in range(3 + rng.next(8))),
        "matrix": [[rng.next(10) for _ in range(3)] for _ in range(rng.next(3))],
    }


def make_document(users):
    rng = Lcg(20240611)
    return {
        "status": "ok",
        "page": 1,
        "per_page": users,
        "total": users,
        "next": None,
        "elapsed_ms": 12.5,
        "items": [make_user(rng, uid, users) for uid in range(users)],
    }
