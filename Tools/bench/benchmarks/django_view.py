"""Django view: ORM queries and a template page, served through the WSGI handler.

Django (Debian's python3-django, 3.2) is configured in-process at import: an
in-memory SQLite database, a cached locmem template loader, one URLconf and
CommonMiddleware.  The tables are created with the schema editor and filled
with a fixed dataset (20 authors, 200 articles, 12 tags, article<->tag
many-to-many) made by a small LCG.  Each run() sends 8 GET requests through
Django's WSGI handler (middleware, URL routing, view, response), cycling
through the five year pages.  The view runs real ORM queries (filter on a date
year, order_by, select_related, prefetch_related, annotate with Count,
aggregate with Sum/Avg) and renders a template that extends a base layout,
includes a row template in a loop and uses |upper, |title, |date,
|floatformat, |truncatewords, |pluralize, |yesno and autoescaping of names,
titles and tags with <, >, & and quotes.  The result is (requests, status,
length and CRC-32 of the last body, article rows in the last body, chained
CRC-32 of all bodies).  The row count is checked against the count computed
directly from the dataset generator; the lengths and CRCs were computed once
and pinned.
"""

import datetime
import os
import sys
import types
import zlib

try:
    import django
except ImportError:
    # Interpreters other than Debian's own python3 (PyPy, a locally built
    # CPython) do not search the distribution's package directory; append it
    # so that their own standard library still comes first.
    sys.path.append("/usr/lib/python3/dist-packages")
    import django

from django.conf import settings

GROUP = "app"

APP = "ember_bench_app"     # the installed app (a synthetic module) holding the models
N_AUTHORS = 20
N_TAGS = 12
N_ARTICLES = 200
FIRST_DAY = datetime.date(2019, 1, 1)
SPAN_DAYS = 5 * 365 + 1     # published dates fall in 2019..2023
YEARS = (2019, 2020, 2021, 2022, 2023)
REQUESTS = 8                # requests per run(), cycling through YEARS
LAST_YEAR = YEARS[(REQUESTS - 1) % len(YEARS)]


# --------------------------------------------------------------------------
# The dataset, as plain Python (also used by check() for independent facts).

def lcg(seed):
    """Endless stream of 31-bit pseudo-random ints (Park-Miller style)."""
    state = seed
    while True:
        state = (state * 48271) % 2147483647
        yield state


FIRST_NAMES = ("Ada", "Brian", "Chloe", "Dmitri", "Elena", "Farid", "Grace",
               "Hiro", "Ines", "Jonas")
LAST_NAMES = ("O'Brien & Sons", "Smith", "<Lovelace>", "Kernighan", "Noether",
              "Tanaka & Co", "Ritchie", "Hopper", "Dijkstra", "Turing")
TAG_NAMES = ("python", "c&c++", "<web>", "databases", "compilers", "jit",
             "gc", "async", "testing", "perf", "unicode", "security")
WORDS = ("fast", "slow", "cache", "lookup", "<tag>", "frame", "object", "dict",
         "list", "tuple", "&amp;", "query", "render", "loop", "branch", "heap",
         "stack", "opcode", "inline", "escape", "quote", "\"quoted\"", "it's")


def dataset():
    """Return (authors, tags, articles) as tuples of plain values.

    authors:  (name, email)
    tags:     name
    articles: (author_index, title, body, published, rating, views, tag_indexes)
    """
    rnd = lcg(20240501)
    authors = []
    for i in range(N_AUTHORS):
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last = LAST_NAMES[(i * 3 + i // 10) % len(LAST_NAMES)]   # all pairs distinct
        authors.append(("%s %s" % (first, last), "%s%d@example.org" % (first.lower(), i)))
    articles = []
    for i in range(N_ARTICLES):
        author = next(rnd) % N_AUTHORS
        n_title = 3 + next(rnd) % 4
        title = " ".join(WORDS[next(rnd) % len(WORDS)] for _ in range(n_title))
        n_body = 20 + next(rnd) % 30
        body = " ".join(WORDS[next(rnd) % len(WORDS)] for _ in range(n_body))
        published = FIRST_DAY + datetime.timedelta(days=next(rnd) % SPAN_DAYS)
        rating = (next(rnd) % 5001) / 1000.0       # 0.000 .. 5.000
        views = next(rnd) % 100000
        n_tags = next(rnd) % 4
        tag_ids = sorted({next(rnd) % N_TAGS for _ in range(n_tags)})
        articles.append((author, "#%d %s" % (i, title.capitalize()), body,
                         published, rating, views, tuple(tag_ids)))
    return tuple(authors), TAG_NAMES, tuple(articles)


def articles_in_year(year):
    return sum(1 for art in dataset()[2] if art[3].year == year)


# --------------------------------------------------------------------------
# Templates (served from memory by the cached locmem loader).

TEMPLATES = {
    "base.html": (
        "<!DOCTYPE html>\n<html><head><title>{% block title %}Site{% endblock %}"
        "</title></head>\n<body>\n<header>{{ site_name|upper }}</header>\n"
        "{% block content %}{% endblock %}\n"
        "<footer>{% block footer %}Fixed date: "
        "{{ fixed_date|date:\"l, j F Y\" }}{% endblock %}</footer>\n"
        "</body></html>\n"
    ),
    "year.html": (
        "{% extends \"base.html\" %}\n"
        "{% block title %}Articles of {{ year }}{% endblock %}\n"
        "{% block content %}\n"
        "<h1>{{ year }}: {{ articles|length }} article{{ articles|length|pluralize }}</h1>\n"
        "<p>Views {{ stats.total_views }}, mean rating "
        "{{ stats.mean_rating|floatformat:3 }}</p>\n"
        "<table>\n"
        "{% for article in articles %}"
        "{% include \"row.html\" %}"
        "{% empty %}<tr><td>none</td></tr>{% endfor %}"
        "</table>\n"
        "<h2>Top authors</h2>\n<ol>\n"
        "{% for author in top_authors %}"
        "<li>{{ author.name }} ({{ author.n_articles }})"
        "{% if forloop.first %} &#9733;{% endif %}</li>\n"
        "{% endfor %}</ol>\n"
        "<h2>Tags</h2>\n<ul>\n"
        "{% for tag in tags %}"
        "<li class=\"{% cycle 'odd' 'even' %}\">{{ tag.name|title }}: "
        "{{ tag.n_year }}/{{ tag.n_all }}</li>\n"
        "{% endfor %}</ul>\n"
        "{% endblock %}\n"
    ),
    "row.html": (
        "<tr class=\"article {{ forloop.counter|divisibleby:2|yesno:'even,odd' }}\">"
        "<td>{{ forloop.counter }}</td>"
        "<td>{{ article.title }}</td>"
        "<td>{{ article.author.name|upper }} &lt;{{ article.author.email }}&gt;</td>"
        "<td>{{ article.published|date:\"D, j M Y\" }}</td>"
        "<td>{{ article.rating|floatformat:2 }}</td>"
        "<td>{{ article.views|default:\"-\" }}</td>"
        "<td>{{ article.body|truncatewords:8 }}</td>"
        "<td>{% for tag in article.tags.all %}{{ tag.name }}"
        "{% if not forloop.last %}, {% endif %}{% empty %}untagged{% endfor %}</td>"
        "</tr>\n"
    ),
}


# --------------------------------------------------------------------------
# Django configuration, models, URLconf and view.

def configure():
    # Reverse relations (author.articles, tag.articles) are only wired up for
    # models of installed apps, so install an app.  It is an empty module made
    # here, registered in sys.modules; the models below declare it as their
    # app_label, and nothing is looked up on disk.
    app_module = types.ModuleType(APP)
    app_module.__file__ = os.path.abspath(__file__)
    sys.modules[APP] = app_module
    settings.configure(
        DEBUG=False,
        SECRET_KEY="benchmark-not-secret",
        ALLOWED_HOSTS=["testserver"],
        USE_TZ=False,
        USE_I18N=False,
        INSTALLED_APPS=[APP],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3",
                               "NAME": ":memory:"}},
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
        TEMPLATES=[{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.cached.Loader", [
                    ("django.template.loaders.locmem.Loader", TEMPLATES),
                ])],
            },
        }],
        LOGGING_CONFIG=None,
    )
    django.setup()


if not settings.configured:
    configure()

from django.db import connection, models                      # noqa: E402
from django.db.models import Avg, Count, Prefetch, Q, Sum      # noqa: E402
from django.core.handlers.wsgi import WSGIHandler              # noqa: E402
from django.shortcuts import render                            # noqa: E402
from django.urls import path                                   # noqa: E402


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=100)

    class Meta:
        app_label = APP


class Tag(models.Model):
    name = models.CharField(max_length=40)

    class Meta:
        app_label = APP


class Article(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="articles")
    title = models.CharField(max_length=200)
    body = models.TextField()
    published = models.DateField()
    rating = models.FloatField()
    views = models.IntegerField()
    tags = models.ManyToManyField(Tag, related_name="articles")

    class Meta:
        app_label = APP


def year_view(request, year):
    """The page of one year: its articles, the top authors and tag counts."""
    in_year = Article.objects.filter(published__year=year)
    articles = list(in_year.select_related("author")
                    .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
                    .order_by("-published", "id"))
    stats = in_year.aggregate(total_views=Sum("views"), mean_rating=Avg("rating"))
    top_authors = (Author.objects
                   .annotate(n_articles=Count("articles",
                                              filter=Q(articles__published__year=year)))
                   .filter(n_articles__gt=0)
                   .order_by("-n_articles", "name", "id")[:5])
    tags = (Tag.objects
            .annotate(n_year=Count("articles", filter=Q(articles__published__year=year)),
                      n_all=Count("articles"))
            .order_by("-n_year", "name"))
    context = {
        "site_name": "ember & <friends>",
        "fixed_date": datetime.date(2023, 3, 14),
        "year": year,
        "articles": articles,
        "stats": stats,
        "top_authors": top_authors,
        "tags": tags,
    }
    return render(request, "year.html", context)


urlpatterns = [path("articles/<int:year>/", year_view)]


def populate():
    """Create the tables and insert the fixed dataset."""
    with connection.schema_editor() as editor:
        for model in (Author, Tag, Article):
            editor.create_model(model)
    authors, tag_names, articles = dataset()
    Author.objects.bulk_create(
        [Author(id=i + 1, name=n, email=e) for i, (n, e) in enumerate(authors)])
    Tag.objects.bulk_create([Tag(id=i + 1, name=n) for i, n in enumerate(tag_names)])
    Article.objects.bulk_create([
        Article(id=i + 1, author_id=a + 1, title=t, body=b, published=p,
                rating=r, views=v)
        for i, (a, t, b, p, r, v, _) in enumerate(articles)])
    Through = Article.tags.through
    Through.objects.bulk_create([
        Through(article_id=i + 1, tag_id=t + 1)
        for i, art in enumerate(articles) for t in art[6]])


populate()
HANDLER = WSGIHandler()


def get(url):
    """Send one GET through the WSGI handler; return (status code, body bytes)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": _EmptyInput(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    status = []

    def start_response(status_line, headers, exc_info=None):
        status.append(int(status_line.split(" ", 1)[0]))

    response = HANDLER(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()
    return status[0], body


class _EmptyInput(object):
    def read(self, size=-1):
        return b""

    def readline(self, size=-1):
        return b""


# --------------------------------------------------------------------------

def run():
    crc_all = 0
    status = 0
    body = b""
    for i in range(REQUESTS):
        year = YEARS[i % len(YEARS)]
        status, body = get("/articles/%d/" % year)
        if status != 200:
            break
        crc_all = zlib.crc32(body, crc_all)
    rows = body.count(b'<tr class="article ')
    return (REQUESTS, status, len(body), zlib.crc32(body), rows, crc_all)


# Golden values computed once and pinned on Debian 12's python3-django 3.2.25
# (identical on CPython 3.11 and PyPy 3.9; the markup depends on Django's
# filters and escaping, so another Django version may legitimately differ).
EXPECTED_LEN = 12189               # bytes of the last page (year 2021)
EXPECTED_CRC = 2137452369          # zlib.crc32 of the last page
EXPECTED_CRC_ALL = 122635480       # zlib.crc32 chained over all REQUESTS pages


def check(result):
    requests, status, length, crc, rows, crc_all = result
    assert requests == REQUESTS, "requests: expected %d, got %r" % (REQUESTS, requests)
    assert status == 200, "status: expected 200, got %r" % (status,)
    expected_rows = articles_in_year(LAST_YEAR)
    assert rows == expected_rows, "article rows in the %d page: expected %d, got %r" % (
        LAST_YEAR, expected_rows, rows)
    assert length == EXPECTED_LEN, "body length: expected %r, got %r" % (EXPECTED_LEN, length)
    assert crc == EXPECTED_CRC, "body crc32: expected %r, got %r" % (EXPECTED_CRC, crc)
    assert crc_all == EXPECTED_CRC_ALL, "crc32 of all bodies: expected %r, got %r" % (
        EXPECTED_CRC_ALL, crc_all)
