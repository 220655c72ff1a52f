"""The WSGI module the uWSGI master imports (--wsgi-file) before it forks.

It does in the master all that can be shared with the workers: sets up
Django, imports the URLconf, views and models, and serves one request per
page through Django's WSGI handler, so that lazy imports, URL resolvers and
compiled templates exist before fork.  It closes the master's database
connections (a SQLite connection must not cross a fork), then applies the
pre-fork action named by EMBER_PREFORK:

  none         nothing (stock CPython behaviour);
  freeze       gc.collect(), then gc.freeze(): the collector leaves every
               object that exists now alone in the workers, so it does not
               write to their pages;
  immortalize  gc.collect(), then gc.immortalize_heap() (Ember): every object
               that exists now becomes immortal, so neither reference
               counting nor the collector writes to it.

An unknown action, or immortalize on an interpreter without
gc.immortalize_heap, raises: under uWSGI's --need-app the server stops
with the message in its log."""

import gc
import os
import sys
import time
import wsgiref.util

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")

ACTIONS = ("none", "freeze", "immortalize")
ACTION = os.environ.get("EMBER_PREFORK", "none")
if ACTION not in ACTIONS:
    raise RuntimeError(f"EMBER_PREFORK={ACTION!r}: expected one of {', '.join(ACTIONS)}")
if ACTION == "immortalize" and not hasattr(gc, "immortalize_heap"):
    raise RuntimeError(
        "EMBER_PREFORK=immortalize needs gc.immortalize_heap(), which this "
        f"interpreter does not have ({sys.version.partition(',')[0]}))")

from django.core.wsgi import get_wsgi_application    # noqa: E402
from django.db import connections                   # noqa: E402

application = get_wsgi_application()                # django.setup()

import benchsite.urls                               # noqa: E402,F401
from catalog import data, models, views             # noqa: E402,F401


def _warm_up():
    """Serve every page once in the master."""
    for page in range(len(data.GENRES)):
        environ = {"PATH_INFO": "/books/", "QUERY_STRING": f"page={page}"}
        wsgiref.util.setup_testing_defaults(environ)
        status = []
        result = application(environ, lambda s, h, exc_info=None: status.append(s))
        try:
            body = b"".join(result)
        finally:
            result.close()                          # request_finished
        if not status[0].startswith("200") or data.MARKER not in body:
            raise RuntimeError(f"warm-up request for page {page} failed: {status[0]}")


_warm_up()
connections.close_all()

_objects = len(gc.get_objects())                   # for the log line
_started = time.perf_counter()
if ACTION != "none":
    gc.collect()
if ACTION == "freeze":
    gc.freeze()
elif ACTION == "immortalize":
    gc.immortalize_heap()
views.GC_AT_FORK = [s["collections"] for s in gc.get_stats()]
print(f"ember-prefork: action={ACTION} frozen={gc.get_freeze_count()} "
      f"gc_objects={_objects} "
      f"took={(time.perf_counter() - _started) * 1000:.1f}ms python={sys.version.split()[0]}",
      file=sys.stderr, flush=True)
