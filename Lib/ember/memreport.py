"""Memory of a pre-fork server: its master and each worker, from /proc.

    python -m ember.memreport MASTER_PID          # a table in MiB
    python -m ember.memreport --json MASTER_PID   # the same data as JSON (kB)

The first row is the master (MASTER_PID itself), then one row per child
process of the master (found in /proc/MASTER_PID/task/*/children), labelled
worker, then the workers' mean and total.  The numbers come from the
kernel's per-process summary of all mappings, /proc/PID/smaps_rollup (the
per-mapping /proc/PID/smaps, summed, on kernels without it).  On Linux a
forked worker starts out sharing every page of the master; a page becomes
the worker's own copy the first time either process writes to it (copy on
write).  The columns:

  RSS            resident set: every page of the process now in memory,
                 whether it shares it or not.
  PSS            proportional set size: each resident page divided by the
                 number of processes that map it.  Summed over the master
                 and its workers, it is the memory the whole server costs.
  shared         Shared_Clean + Shared_Dirty: resident pages that other
                 processes map too -- for a worker, mostly pages still
                 shared with the master or its sibling workers.
  private dirty  Private_Dirty: pages only this process maps and that were
                 written to.  For a worker, the pages it (or the master)
                 wrote to since the fork, i.e. copied on write, plus memory
                 it allocated itself.  This is what each extra worker costs
                 and what heap immortalization before fork aims to reduce.
  private clean  Private_Clean: pages only this process maps, unmodified
                 (e.g. file pages no other process has mapped).
  swap           anonymous memory of the process that is swapped out.

All values are read in kB and printed in MiB with one decimal; --json gives
kB.  The tool uses only the standard library and runs on any Python 3.9+,
so it can inspect a server running on another interpreter.  Reading
another user's process needs that user's rights or root.

Exit status: 0 on success, 2 with a one-line message when the PID is not
an integer, there is no such process, reading it is not permitted, or the
system is not Linux.
"""

import argparse
import json
import os
import sys

__all__ = ["MemReportError", "read_rollup", "children", "report", "summary",
           "format_table", "main"]

# Columns of a row: (key in the row, header, smaps fields summed).
COLUMNS = [
    ("rss", "RSS", ("Rss",)),
    ("pss", "PSS", ("Pss",)),
    ("shared", "shared", ("Shared_Clean", "Shared_Dirty")),
    ("private_dirty", "priv dirty", ("Private_Dirty",)),
    ("private_clean", "priv clean", ("Private_Clean",)),
    ("swap", "swap", ("Swap",)),
]
KEYS = [key for key, _, _ in COLUMNS]


class MemReportError(Exception):
    """A problem reported to the user in one line (exit status 2)."""


def _check_linux():
    if not sys.platform.startswith("linux") or not os.path.isdir("/proc/self"):
        raise MemReportError(
            f"memreport reads Linux's /proc; this system is {sys.platform}")


def _open_proc(pid, name):
    path = f"/proc/{pid}/{name}"
    try:
        return open(path)
    except FileNotFoundError:
        if os.path.exists(f"/proc/{pid}"):
            raise
        raise MemReportError(f"no such process: {pid}") from None
    except PermissionError:
        raise MemReportError(
            f"permission denied reading {path}: run as the process's user "
            f"or as root") from None
    except ProcessLookupError:
        raise MemReportError(f"no such process: {pid}") from None


def _parse_kb_lines(lines, totals):
    """Add the 'Name:   123 kB' lines of LINES into TOTALS."""
    for line in lines:
        name, sep, rest = line.partition(":")
        if not sep or " " in name:
            continue                      # a mapping's header line
        fields = rest.split()
        if len(fields) == 2 and fields[1] == "kB" and fields[0].isdigit():
            totals[name] = totals.get(name, 0) + int(fields[0])
    return totals


def read_rollup(pid):
    """The memory summary of process PID: {field: kB} from smaps_rollup.

    Falls back to summing the per-mapping /proc/PID/smaps when the kernel
    has no smaps_rollup.  Raises MemReportError when the process does not
    exist or may not be read."""
    _check_linux()
    pid = int(pid)
    try:
        with _open_proc(pid, "smaps_rollup") as f:
            text = f.read()
    except FileNotFoundError:            # kernel before 4.14
        text = None
    except ProcessLookupError:
        raise MemReportError(f"no such process: {pid}") from None
    if text is None:
        try:
            with _open_proc(pid, "smaps") as f:
                text = f.read()
        except (FileNotFoundError, ProcessLookupError):
            raise MemReportError(f"no such process: {pid}") from None
    if not text and not os.path.exists(f"/proc/{pid}"):
        raise MemReportError(f"no such process: {pid}")
    # A zombie or a kernel thread has no mappings: all zero.
    return _parse_kb_lines(text.splitlines(), {})


def _children_by_scan(pid):
    """Children of PID found from every process's parent (no
    /proc/PID/task/TID/children on this kernel)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may contain anything.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and fields[1] == str(pid):
            found.append(int(name))
    return sorted(found)


def children(pid):
    """The child processes of PID (all its threads' children), in the
    order the kernel lists them, without duplicates."""
    _check_linux()
    pid = int(pid)
    task_dir = f"/proc/{pid}/task"
    try:
        tids = os.listdir(task_dir)
    except FileNotFoundError:
        raise MemReportError(f"no such process: {pid}") from None
    except PermissionError:
        raise MemReportError(
            f"permission denied reading {task_dir}: run as the process's "
            f"user or as root") from None
    found = []
    for tid in sorted(tids, key=int):
        path = f"{task_dir}/{tid}/children"
        try:
            with open(path) as f:
                found.extend(int(c) for c in f.read().split())
        except FileNotFoundError:
            if os.path.exists(f"{task_dir}/{tid}"):
                return _children_by_scan(pid)   # no CONFIG_PROC_CHILDREN
            continue                            # the thread has exited
        except PermissionError:
            raise MemReportError(
                f"permission denied reading {path}: run as the process's "
                f"user or as root") from None
    seen = set()
    return [c for c in found if not (c in seen or seen.add(c))]


def _row(pid, role, rollup):
    row = {"pid": pid, "role": role}
    for key, _, fields in COLUMNS:
        row[key] = sum(rollup.get(f, 0) for f in fields)
    return row


def report(master_pid):
    """One dict per process: the master first, then its children (role
    'worker'), each with pid, role and the COLUMNS keys in kB.

    A child that exits while it is being read is left out."""
    master_pid = int(master_pid)
    rows = [_row(master_pid, "master", read_rollup(master_pid))]
    for pid in children(master_pid):
        try:
            rows.append(_row(pid, "worker", read_rollup(pid)))
        except MemReportError:
            if os.path.exists(f"/proc/{pid}"):
                raise
    return rows


def summary(rows):
    """{'count': n, 'mean': {key: kB}, 'total': {key: kB}} of the workers."""
    workers = [r for r in rows if r["role"] == "worker"]
    total = {k: sum(r[k] for r in workers) for k in KEYS}
    mean = {k: (total[k] / len(workers) if workers else 0.0) for k in KEYS}
    return {"count": len(workers), "mean": mean, "total": total}


def _mib(kb):
    return f"{kb / 1024:.1f}"


def format_table(rows):
    """The report as an aligned text table in MiB (a string)."""
    header = ["pid", "role"] + [title for _, title, _ in COLUMNS]
    lines = [[str(r["pid"]), r["role"]] + [_mib(r[k]) for k in KEYS]
             for r in rows]
    s = summary(rows)
    if s["count"]:
        lines.append(["", f"mean of {s['count']}"] + [_mib(s["mean"][k]) for k in KEYS])
        lines.append(["", "workers total"] + [_mib(s["total"][k]) for k in KEYS])
    widths = [max(len(cell) for cell in column)
              for column in zip(header, *lines)]

    def fmt(cells):
        left = [cells[0].rjust(widths[0]), cells[1].ljust(widths[1])]
        right = [c.rjust(w) for c, w in zip(cells[2:], widths[2:])]
        return "  ".join(left + right).rstrip()

    title = fmt(header) + "   (MiB)"
    out = [title, "-" * len(title)]
    out.extend(fmt(cells) for cells in lines[:len(rows)])
    if s["count"]:
        out.append(out[1])
        out.extend(fmt(cells) for cells in lines[len(rows):])
    return "\n".join(out)


def _parse_pid(text):
    try:
        pid = int(text, 10)
    except ValueError:
        raise MemReportError(
            f"MASTER_PID must be an integer process id, not {text!r}") from None
    if pid <= 0:
        raise MemReportError(f"MASTER_PID must be a positive process id, not {pid}")
    return pid


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m ember.memreport",
        description="Memory of a pre-fork server's master and its workers "
                    "(RSS, PSS, shared, private dirty/clean, swap) from "
                    "/proc/PID/smaps_rollup.")
    parser.add_argument("master_pid", metavar="MASTER_PID",
                        help="process id of the server's master process")
    parser.add_argument("--json", action="store_true",
                        help="print JSON (values in kB) instead of a table")
    args = parser.parse_args(argv)
    try:
        _check_linux()
        pid = _parse_pid(args.master_pid)
        rows = report(pid)
    except MemReportError as e:
        print(f"memreport: {e}", file=sys.stderr)
        return 2
    try:
        if args.json:
            json.dump({"master": pid, "unit": "kB", "processes": rows,
                       "workers": summary(rows)}, sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            print(format_table(rows))
        sys.stdout.flush()
    except BrokenPipeError:               # e.g. piped into head
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
