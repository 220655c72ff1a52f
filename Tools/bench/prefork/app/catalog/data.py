"""The catalogue's fixed data set, made by a seeded generator so that every
run serves the same pages."""

import datetime
import random

GENRES = ["fantasy", "history", "poetry", "science", "travel", "cooking",
          "mystery", "children"]
N_AUTHORS = 40
N_BOOKS = 2000                    # 250 per genre
ROWS = 50                         # rows on a page
MARKER = b"<!-- ember-prefork-ok -->"

WORDS = ("river stone glass winter garden lantern harbour orchard silver "
         "thunder meadow compass archive ember falcon willow tide quiet "
         "northern hidden golden paper clock mountain letter").split()
FIRST = "Ada Bram Cleo Dov Elin Farid Greta Hugo Ines Jon Kira Luis".split()
LAST = "Okafor Lindqvist Moreau Tanaka Novak Silva Brennan Haddad".split()
COUNTRIES = ["DE", "FR", "JP", "NG", "BR", "SE", "IE", "LB"]


def authors():
    rng = random.Random(11)
    for i in range(N_AUTHORS):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        yield {"name": name, "country": rng.choice(COUNTRIES),
               "email": f"{name.lower().replace(' ', '.')}.{i}@example.org"}


def books():
    rng = random.Random(29)
    start = datetime.date(1990, 1, 1)
    for i in range(N_BOOKS):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5)))
        yield {"title": f"{title} & <{i}>", "author_index": rng.randrange(N_AUTHORS),
               "genre": GENRES[i % len(GENRES)],
               "published": start + datetime.timedelta(days=rng.randrange(12000)),
               "price": f"{rng.randint(400, 9900) / 100:.2f}",
               "pages": rng.randint(60, 900), "rating": round(rng.uniform(1, 5), 2)}
