"""The benchmark's page: several ORM queries and a template with a loop.

GET /books/?page=N shows genre N (mod the number of genres): the 50 best
rated books with their authors, the genre's statistics and its most
prolific authors.  Response headers tell the load
generator which worker answered, what its garbage collector did since fork
and which interpreter runs it."""

import gc
import os
import sys

from django.db.models import Avg, Count, Max, Min, Sum
from django.shortcuts import render

from .data import GENRES, ROWS
from .models import Author, Book

# The collector's per-generation collection counts when the master forked
# (set by wsgi.py), so that replies count the worker's own collections.
GC_AT_FORK = None

_frozen = {}


def frozen_count():
    """gc.get_freeze_count(), read once per process: it walks the whole
    permanent generation (a 40,000-object list), which cost a sixth of a
    request's time when it ran on every request."""
    pid = os.getpid()
    if pid not in _frozen:
        _frozen[pid] = gc.get_freeze_count()
    return _frozen[pid]


def books(request):
    try:
        page = int(request.GET.get("page", "0"))
    except ValueError:
        page = 0
    genre = GENRES[page % len(GENRES)]
    in_genre = Book.objects.filter(genre=genre)
    rows = list(in_genre.select_related("author").order_by("-rating", "title")[:ROWS])
    stats = in_genre.aggregate(count=Count("id"), avg_price=Avg("price"),
                               pages=Sum("pages"), first=Min("published"),
                               last=Max("published"))
    top_authors = list(Author.objects.filter(books__genre=genre)
                       .annotate(n=Count("books")).order_by("-n", "name")[:5])
    response = render(request, "catalog/books.html", {
        "genre": genre, "genres": GENRES, "rows": rows, "stats": stats,
        "top_authors": top_authors,
    })
    response["X-Worker-Pid"] = str(os.getpid())
    response["X-GC-Collections"] = ",".join(
        str(s["collections"] - base)
        for s, base in zip(gc.get_stats(), GC_AT_FORK or [0, 0, 0]))
    response["X-GC-Frozen"] = str(frozen_count())
    response["X-Python"] = sys.version.replace("\n", " ")
    return response
