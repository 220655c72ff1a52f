#!/usr/bin/env python3
"""Which writes make a forked worker copy the master's pages?

    ./python Tools/bench/prefork/dirty_pages.py [--action none|freeze|immortalize]
                                                 [--requests N] [--top K]

Runs as root (page frame numbers in /proc/PID/pagemap need it).  In one
process it loads the pre-fork benchmark's Django app (app/wsgi.py, which
also serves one warm-up request per page), records a map of every object it
can find (address, size, type; built before the pre-fork action so that the
map itself is shared, not copied), applies the action, and forks one worker.
The worker serves N requests through the WSGI handler in-process, then
compares its anonymous memory with the parent's, page by page:

- a page is *copied* when both processes map it but to different physical
  frames (the kernel copied it on a write);
- in each copied page, the 8-byte words that differ from the parent's copy
  are attributed to the object that holds them: its reference count (offset
  0), its GC header (the 16 bytes before a tracked object), the two managed
  dict/values pointers before that, or a field at some offset; words outside
  every known object are "outside objects" (allocator pool headers, dict key
  tables, list item arrays, free blocks reused by new objects).

Data: the object map (three arrays: start address, size, type index) and
the list of type names, both owned by the parent and inherited by the
worker.  Prints a table of copied pages and changed words by kind."""

import argparse
import array
import bisect
import collections
import gc
import os
import struct
import sys
import tempfile
import wsgiref.util

HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.path.join(HERE, "app")
DIST_PACKAGES = "/usr/lib/python3/dist-packages"
PAGE = os.sysconf("SC_PAGE_SIZE")
GC_HEAD = 16          # sizeof(PyGC_Head) on 64-bit
PRE_HEADER = 16       # 3.11: managed dict and values pointers before it
POOL_SIZE = 16384     # 3.11's pymalloc pools on 64-bit (Objects/obmalloc.c)
POOL_HEADER = 48      # sizeof(struct pool_header)


def object_map():
    """(starts, sizes, kinds, names, found) for every object reachable from
    the collector's lists, following referents, dict keys and code objects.
    The caller keeps `found` alive until the fork, so no mapped object dies
    and lends its memory to another."""
    seen = set()
    todo = list(gc.get_objects())
    found = []
    while todo:
        o = todo.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        found.append(o)
        todo.extend(gc.get_referents(o))
        todo.append(type(o))
        if isinstance(o, dict):
            todo.extend(o.keys())
        elif isinstance(o, type(object_map.__code__)):
            todo.extend((o.co_consts, o.co_names, o.co_varnames, o.co_filename,
                         o.co_name, o.co_qualname, o.co_linetable,
                         o.co_exceptiontable))
    del seen, todo
    names, index = [], {}
    n = len(found)
    ids = array.array("Q", map(id, found))
    order = sorted(range(n), key=ids.__getitem__)
    starts = array.array("Q", bytes(8 * n))
    sizes = array.array("Q", bytes(8 * n))
    kinds = array.array("I", bytes(4 * n))
    for k, i in enumerate(order):
        o = found[i]
        tp = type(o)
        if tp.__itemsize__:
            size = sys.getsizeof(o) - (GC_HEAD if gc.is_tracked(o) else 0)
        else:
            size = tp.__basicsize__
        kind = index.get(tp.__name__)
        if kind is None:
            kind = index[tp.__name__] = len(names)
            names.append(tp.__name__)
        has_gc = bool(tp.__flags__ & (1 << 14))        # Py_TPFLAGS_HAVE_GC
        managed = bool(tp.__flags__ & (1 << 4))        # Py_TPFLAGS_MANAGED_DICT
        starts[k], sizes[k] = ids[i], size
        kinds[k] = kind | (has_gc << 31) | (managed << 30)
    return starts, sizes, kinds, names, found


def anonymous_ranges(pid):
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            fields = line.split()
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            path = fields[5] if len(fields) > 5 else ""
            if "w" in fields[1] and (path == "" or path == "[heap]"):
                yield lo, hi


def frames(pid, lo, hi):
    """Physical frame number of each present page in [lo, hi), else 0."""
    with open(f"/proc/{pid}/pagemap", "rb") as f:
        f.seek(lo // PAGE * 8)
        data = f.read((hi - lo) // PAGE * 8)
    out = []
    for (entry,) in struct.iter_unpack("Q", data):
        present = entry >> 63 & 1
        out.append(entry & ((1 << 55) - 1) if present else 0)
    return out


def classify(addr, starts, sizes, kinds, names, code_adaptive):
    i = bisect.bisect_right(starts, addr + GC_HEAD + PRE_HEADER) - 1
    # The candidates: the object starting at or before addr, and one whose
    # GC header or pre-header (just before its start) holds addr.
    for j in (i, i - 1):
        if j < 0:
            continue
        start, size, kind = starts[j], sizes[j], kinds[j]
        name = names[kind & 0x3FFFFFFF]
        is_gc, managed = kind >> 31, kind >> 30 & 1
        if start <= addr < start + size:
            off = addr - start
            if off == 0:
                return f"{name}: reference count"
            if name == "code" and off >= code_adaptive:
                return "code: bytecode, inline caches and counters"
            return f"{name}: field at +{off}"
        if is_gc and start - GC_HEAD <= addr < start:
            return f"{name}: GC header"
        if managed and start - GC_HEAD - PRE_HEADER <= addr < start - GC_HEAD:
            return f"{name}: managed dict/values pointers"
    if addr % POOL_SIZE < POOL_HEADER:
        return "pymalloc pool header (blocks allocated or freed in the pool)"
    return "outside objects (free blocks reused, key tables, item arrays)"


def diff_with_parent(parent, objmap):
    starts, sizes, kinds, names, _ = objmap
    code = object_map.__code__
    code_adaptive = type(code).__basicsize__ - 8   # co_code_adaptive[] starts here
    pages = collections.Counter()
    words = collections.Counter()
    copied = 0
    with open(f"/proc/{parent}/mem", "rb") as pmem, open("/proc/self/mem", "rb") as smem:
        for lo, hi in list(anonymous_ranges(parent)):
            mine, theirs = frames("self", lo, hi), frames(parent, lo, hi)
            for k, (a, b) in enumerate(zip(mine, theirs)):
                if not a or not b or a == b:
                    continue
                copied += 1
                addr = lo + k * PAGE
                pmem.seek(addr); smem.seek(addr)
                old, new = pmem.read(PAGE), smem.read(PAGE)
                kinds_here = set()
                for w in range(0, PAGE, 8):
                    if old[w:w + 8] != new[w:w + 8]:
                        what = classify(addr + w, starts, sizes, kinds, names,
                                        code_adaptive)
                        words[what] += 1
                        kinds_here.add(what)
                for what in kinds_here:
                    pages[what] += 1
    return copied, pages, words


def serve(application, n):
    from catalog import data
    for i in range(n):
        environ = {"PATH_INFO": "/books/",
                   "QUERY_STRING": f"page={i % len(data.GENRES)}"}
        wsgiref.util.setup_testing_defaults(environ)
        status = []
        result = application(environ, lambda s, h, e=None: status.append(s))
        body = b"".join(result)
        result.close()
        assert status[0].startswith("200") and data.MARKER in body, status


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--action", default="immortalize",
                    choices=["none", "freeze", "immortalize"])
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("dirty_pages.py: needs root for /proc/PID/pagemap frame numbers")

    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "catalog.sqlite3")
    os.environ["EMBER_PREFORK_DB"] = db
    os.environ["EMBER_PREFORK"] = "none"          # the action is ours, below
    sys.path.insert(0, APP)
    sys.path.append(DIST_PACKAGES)
    import populate
    populate.main(db)
    import wsgi
    objmap = object_map()
    gc.collect()
    if args.action == "freeze":
        gc.freeze()
    elif args.action == "immortalize":
        gc.immortalize_heap()

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        parent = os.getppid()
        serve(wsgi.application, args.requests)
        copied, pages, words = diff_with_parent(parent, objmap)
        out = [f"action={args.action} requests={args.requests} "
               f"objects mapped={len(objmap[0])} copied pages={copied} "
               f"({copied * PAGE / 2**20:.1f} MiB)",
               f"{'pages':>7} {'words':>8}  written"]
        for what, n in pages.most_common(args.top):
            out.append(f"{n:7d} {words[what]:8d}  {what}")
        os.write(w, ("\n".join(out) + "\n").encode())
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        print(f.read(), end="")
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
