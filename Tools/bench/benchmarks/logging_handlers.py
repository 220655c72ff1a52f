"""Logging: logger hierarchy, level filtering, formatting to StringIO handlers.

A simulated service handles REQUESTS requests and logs about each through a
hierarchy of loggers under "emberbench" (app, app.http, app.db,
app.db.pool, audit) with per-logger levels, so that some calls are
rejected by the logger's level (disabled calls), some are created but
rejected by a handler's level, some are dropped by a Filter (heartbeats),
and the rest are formatted with %-style arguments (%s, %d, %.1f, %r, and a
dict argument for %(name)s fields) and written.  The top logger has a
handler writing to an io.StringIO through a %-style Formatter (level name,
logger name, a request id injected by the filter, function name, message;
no times, threads or line numbers); app.db has a second handler with a
{-style Formatter, and its records also propagate to the top.  Handlers
are attached at the start of each iteration and removed at the end; the
top logger does not propagate to the root.  It exercises Logger level
checks and caching, LogRecord creation, findCaller, Filters, Formatters
and StreamHandler.  The result is the number of lines and the length and
zlib.crc32 of each output: the line counts follow from the schedule below;
the lengths and crcs were computed once and pinned.
"""

import io
import logging
import zlib

GROUP = "stdlib"

REQUESTS = 4500
TOP = "emberbench"
MAIN_FORMAT = "%(levelname)-8s %(name)s [%(request_id)s] %(funcName)s: %(message)s"
DB_FORMAT = "{levelname}|{name}|{message}"

PATHS = ["/", "/login", "/api/items", "/api/items/42", "/ümlaut/straße"]
USERS = ["alice", "bob", "carol", "dave", "Zoë"]
ACTIONS = ["read", "update", "delete"]


class RequestContext(logging.Filter):
    """Stamps each record with the current request id; drops heartbeats."""

    def __init__(self):
        logging.Filter.__init__(self)
        self.request_id = "-"

    def filter(self, record):
        record.request_id = self.request_id
        return not record.msg.startswith("heartbeat")


class Service(object):
    """Holds the loggers, handlers and outputs of one iteration."""

    def __init__(self):
        self.top = logging.getLogger(TOP)
        self.app = logging.getLogger(TOP + ".app")
        self.http = logging.getLogger(TOP + ".app.http")
        self.db = logging.getLogger(TOP + ".app.db")
        self.pool = logging.getLogger(TOP + ".app.db.pool")
        self.audit = logging.getLogger(TOP + ".audit")
        self.top.setLevel(logging.DEBUG)
        self.top.propagate = False           # never reach the root logger
        self.app.setLevel(logging.NOTSET)    # inherit DEBUG from the top
        self.http.setLevel(logging.DEBUG)
        self.db.setLevel(logging.WARNING)
        self.pool.setLevel(logging.ERROR)
        self.audit.setLevel(logging.INFO)

        self.context = RequestContext()
        self.main_out = io.StringIO()
        self.main_handler = logging.StreamHandler(self.main_out)
        self.main_handler.setLevel(logging.INFO)
        self.main_handler.setFormatter(logging.Formatter(MAIN_FORMAT))
        self.main_handler.addFilter(self.context)
        self.top.addHandler(self.main_handler)

        self.db_out = io.StringIO()
        self.db_handler = logging.StreamHandler(self.db_out)
        self.db_handler.setLevel(logging.WARNING)
        self.db_handler.setFormatter(logging.Formatter(DB_FORMAT, style="{"))
        self.db.addHandler(self.db_handler)

    def close(self):
        self.top.removeHandler(self.main_handler)
        self.db.removeHandler(self.db_handler)
        self.main_handler.close()
        self.db_handler.close()

    def handle_http(self, i):
        path = PATHS[i % len(PATHS)]
        self.http.debug("parsing headers for %s", path)   # handler drops it
        status = 200 if i % 13 else 500
        ms = (i * 37 % 1000) / 10.0
        if status == 200:
            self.http.info("GET %s -> %d (%.1f ms)", path, status, ms)
        else:
            self.http.error("GET %s -> %d (%.1f ms)", path, status, ms)

    def query_db(self, i):
        sql = "SELECT * FROM t%d WHERE id = %d" % (i % 4, i)
        self.db.debug("query %s", sql)                  # disabled
        self.db.info("rows=%d", i % 17)                 # disabled
        if i % 7 == 0:
            self.db.warning("slow query %r took %d ms", sql, 100 + i % 400)
        self.pool.warning("pool at %d%%", i % 100)      # disabled (ERROR)
        if i % 50 == 0:
            self.pool.error("connection %d lost", i // 50)

    def record_audit(self, i):
        if i % 3 == 0:
            self.audit.info("%(user)s did %(action)s",
                            {"user": USERS[i % 5],
                             "action": ACTIONS[i // 3 % 3]})
        self.audit.debug("audit buffer %d", i)          # disabled

    def serve(self):
        for i in range(REQUESTS):
            self.context.request_id = "req-%05d" % i
            self.handle_http(i)
            self.query_db(i)
            self.record_audit(i)
            if i % 10 == 0:
                self.app.info("heartbeat %d", i)         # filtered out
        return self.main_out.getvalue(), self.db_out.getvalue()


def run():
    service = Service()
    try:
        main_text, db_text = service.serve()
    finally:
        service.close()
    return (main_text.count("\n"), len(main_text),
            zlib.crc32(main_text.encode("utf-8")),
            db_text.count("\n"), len(db_text),
            zlib.crc32(db_text.encode("utf-8")))


def expected_lines():
    """Lines each handler must write, counted from the schedule in serve()."""
    slow = sum(1 for i in range(REQUESTS) if i % 7 == 0)
    lost = sum(1 for i in range(REQUESTS) if i % 50 == 0)
    audits = sum(1 for i in range(REQUESTS) if i % 3 == 0)
    http = REQUESTS                      # one info or error per request
    return http + slow + lost + audits, slow + lost


MAIN_LINES, DB_LINES = expected_lines()
# Golden values: lengths and crc32 of the two outputs, computed once with
# this file and pinned.
EXPECTED = (MAIN_LINES, 557355, 1186644531, DB_LINES, 58162, 552593496)
NAMES = ("main lines", "main length", "main crc32", "db lines", "db length",
         "db crc32")


def check(result):
    assert len(result) == len(EXPECTED), "expected %d values, got %r" % (
        len(EXPECTED), result)
    for name, want, got in zip(NAMES, EXPECTED, result):
        assert type(got) is type(want) and got == want, (
            "expected %s %r, got %r" % (name, want, got))
