"""Bounded HTTP load generator of the pre-fork benchmark.

    python3 loadgen.py --port PORT --requests N [--concurrency C] [--keepalive]

Sends exactly N requests GET /books/?page=I (I cycling over the pages) from
C concurrent clients to 127.0.0.1:PORT, each on a fresh connection (the
default: "Connection: close", as uWSGI's --http-socket serves) or, with
--keepalive, on one HTTP/1.1 connection per client (--http11-socket).
Every reply must be 200 and contain the page's marker.  Prints one JSON
object: the count, the failures (and the first few messages), the elapsed
time, requests per second, latency percentiles, and per worker process
(X-Worker-Pid) the requests it served, its garbage collector's collection
counts per generation (X-GC-Collections, the last reply's) and its frozen
object count (X-GC-Frozen); and the CPU time the generator itself used.  Exit status 0 when every request succeeded,
1 otherwise.

Run by Tools/bench/prefork/run with /usr/bin/python3; standard library
only, Python 3.9+.
"""

import argparse
import json
import resource
import socket
import sys
import threading
import time

MARKER = b"<!-- ember-prefork-ok -->"


class ReplyError(Exception):
    pass


def read_reply(sock, buf, keepalive):
    """Read one HTTP reply from SOCK; BUF holds bytes already received.

    Returns (status, headers, body, leftover bytes)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ReplyError("connection closed before the reply's headers")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise ReplyError(f"bad status line {lines[0]!r}")
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = headers.get("content-length")
    if length is not None:
        length = int(length)
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                raise ReplyError("connection closed in the reply's body")
            rest += chunk
        return status, headers, rest[:length], rest[length:]
    if keepalive:
        raise ReplyError("keep-alive reply without Content-Length")
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return status, headers, rest, b""
        rest += chunk


class Load:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.next = 0
        self.served = 0
        self.failures = []
        self.latencies = []
        self.workers = {}           # pid -> {"requests", "gc", "frozen"}
        self.pythons = set()

    def take(self):
        with self.lock:
            if self.next >= self.args.requests:
                return None
            self.next += 1
            return self.next - 1

    def record(self, headers, latency):
        pid = headers.get("x-worker-pid", "?")
        with self.lock:
            self.served += 1
            self.latencies.append(latency)
            w = self.workers.setdefault(pid, {"requests": 0, "gc": None, "frozen": None})
            w["requests"] += 1
            gc_counts = [int(c) for c in headers.get("x-gc-collections", "").split(",") if c]
            if w["gc"] is None or gc_counts > w["gc"]:
                w["gc"] = gc_counts
            if "x-gc-frozen" in headers:
                w["frozen"] = int(headers["x-gc-frozen"])
            if "x-python" in headers:
                self.pythons.add(headers["x-python"])

    def fail(self, index, message):
        with self.lock:
            self.failures.append(f"request {index}: {message}")

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.args.port),
                                        timeout=self.args.timeout)

    def client(self):
        args = self.args
        sock, buf = None, b""
        try:
            while True:
                index = self.take()
                if index is None:
                    return
                path = f"/books/?page={index % args.pages}"
                conn_header = "" if args.keepalive else "Connection: close\r\n"
                request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\n"
                           f"{conn_header}\r\n").encode()
                started = time.perf_counter()
                try:
                    if sock is None:
                        sock, buf = self.connect(), b""
                    sock.sendall(request)
                    status, headers, body, buf = read_reply(sock, buf, args.keepalive)
                    if not args.keepalive or headers.get("connection", "").lower() == "close":
                        sock.close()
                        sock = None
                except (OSError, ReplyError, ValueError) as e:
                    self.fail(index, f"{type(e).__name__}: {e}")
                    if sock is not None:
                        sock.close()
                        sock = None
                    continue
                latency = time.perf_counter() - started
                if status != 200:
                    self.fail(index, f"status {status}")
                elif MARKER not in body:
                    self.fail(index, f"no marker in a {len(body)}-byte body")
                else:
                    self.record(headers, latency)
        finally:
            if sock is not None:
                sock.close()

    def wait_ready(self):
        """Wait until the server accepts a connection (the socket exists)."""
        deadline = time.monotonic() + self.args.startup_timeout
        while True:
            try:
                self.connect().close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def run(self):
        self.wait_ready()
        threads = [threading.Thread(target=self.client, daemon=True)
                   for _ in range(self.args.concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        lat = sorted(self.latencies)

        def pct(p):
            return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000 if lat else None

        return {
            "requests": self.args.requests, "ok": self.served,
            "failed": len(self.failures), "failures": self.failures[:5],
            "seconds": elapsed, "rps": self.served / elapsed if elapsed else 0.0,
            "client_cpu_seconds": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
            "latency_ms": {"p50": pct(50), "p90": pct(90), "p99": pct(99)},
            "concurrency": self.args.concurrency, "keepalive": self.args.keepalive,
            "workers": self.workers, "pythons": sorted(self.pythons),
        }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--requests", type=int, required=True)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--pages", type=int, default=8)
    p.add_argument("--keepalive", action="store_true")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="seconds for one request (default 30)")
    p.add_argument("--startup-timeout", type=float, default=30.0)
    args = p.parse_args(argv)
    result = Load(args).run()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0 if result["failed"] == 0 and result["ok"] == args.requests else 1


if __name__ == "__main__":
    sys.exit(main())
