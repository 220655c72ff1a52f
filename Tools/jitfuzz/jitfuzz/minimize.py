"""Delta debugging over the statements of a program.

minimize(prefix, lines, failing) shrinks `lines` (the program's body; the
`prefix`, its prelude, is kept whole) to a shorter list for which
failing(prefix + body) is still true, keeping the program valid: a
candidate that does not compile is never passed to `failing`.

A *unit* is a line with the lines indented under it (a statement with
its block; `elif`, `else`, `except` and `finally` clauses are units of
their own).  Rounds, until nothing changes or the budget of calls of
`failing` is spent:

1. ddmin over the top-level units: remove runs of n units, n halving
   from half of them down to 1;
2. every unit at any depth, last first (uses go before the definitions
   they need): remove it, or replace it by `pass` if the block would be
   empty, or replace a compound statement by its dedented body.
"""

import time


def indent_of(line):
    return len(line) - len(line.lstrip(" "))


def is_blank(line):
    s = line.strip()
    return not s or s.startswith("#")


COMPOUND = ("if ", "for ", "while ", "try:", "with ")
CLAUSES = ("elif ", "else:", "except", "finally:")


def units(lines):
    """[(start, end, depth)] of every unit: lines[start:end]."""
    out = []
    n = len(lines)
    for i, line in enumerate(lines):
        if is_blank(line):
            continue
        ind = indent_of(line)
        j = i + 1
        while j < n and (is_blank(lines[j]) or indent_of(lines[j]) > ind):
            j += 1
        out.append((i, j, ind))
    # a compound statement together with its elif/else/except/finally
    # clauses is a unit too (a try alone cannot go)
    grouped = []
    for k, (i, j, ind) in enumerate(out):
        if not lines[i].lstrip().startswith(COMPOUND):
            continue
        end = j
        for i2, j2, ind2 in out[k + 1:]:
            if i2 < end:
                continue
            if i2 != end or ind2 != ind or not lines[i2].lstrip().startswith(CLAUSES):
                break
            end = j2
        if end != j:
            grouped.append((i, end, ind))
    return sorted(out + grouped)


def top_units(lines):
    return [(i, j) for i, j, d in units(lines) if d == 0]


def compiles(text):
    try:
        compile(text, "<candidate>", "exec")
        return True
    except (SyntaxError, ValueError, OverflowError, RecursionError, MemoryError):
        return False


class Minimizer:
    def __init__(self, prefix, failing, budget=300, deadline=None, log=None):
        self.prefix = prefix
        self.failing = failing
        self.budget = budget            # calls of failing()
        self.deadline = deadline        # time.monotonic() value, or None
        self.calls = 0
        self.seen = {}
        self.log = log

    def exhausted(self):
        if self.calls >= self.budget:
            return True
        return self.deadline is not None and time.monotonic() > self.deadline

    def test(self, lines):
        """Is this candidate valid and still failing?"""
        text = self.prefix + "\n".join(lines) + "\n"
        if text in self.seen:
            return self.seen[text]
        if not compiles(text):
            self.seen[text] = False
            return False
        if self.exhausted():
            return False
        self.calls += 1
        ok = bool(self.failing(text))
        self.seen[text] = ok
        return ok

    def ddmin_top(self, lines):
        us = top_units(lines)
        n = max(1, len(us) // 2)
        while n >= 1 and not self.exhausted():
            i = 0
            while i < len(us) and not self.exhausted():
                start, end = us[i][0], us[min(i + n, len(us)) - 1][1]
                cand = lines[:start] + lines[end:]
                if self.test(cand):
                    lines = cand
                    us = top_units(lines)
                else:
                    i += n
            if n == 1:
                break
            n //= 2
        return lines

    def each_unit(self, lines):
        pos = (len(lines), 0)
        while not self.exhausted():
            # the last unit before pos, found again after each change
            # (the ends of enclosing units move)
            before = [u for u in units(lines) if u[:2] < pos]
            if not before:
                break
            start, end, depth = before[-1]
            pos = (start, end)
            cand = lines[:start] + lines[end:]
            if self.test(cand):
                lines = cand
                continue
            pad = " " * depth
            cand = lines[:start] + [pad + "pass"] + lines[end:]
            if lines[start:end] != [pad + "pass"] and self.test(cand):
                lines = cand
                continue
            head = lines[start].strip()
            if end - start > 1 and head.endswith(":") and not head.startswith(("def ", "class ", "@")):
                body = [l[4:] if l.startswith(pad + "    ") else l for l in lines[start + 1:end]]
                cand = lines[:start] + body + lines[end:]
                if self.test(cand):
                    lines = cand
        return lines

    def run(self, lines):
        lines = [l for l in lines if not is_blank(l)]
        while not self.exhausted():
            before = list(lines)
            lines = self.ddmin_top(lines)
            lines = self.each_unit(lines)
            if lines == before:
                break
        return lines


def minimize(prefix, lines, failing, budget=300, deadline=None):
    """Shrunk body lines; see the module's docstring."""
    return Minimizer(prefix, failing, budget, deadline).run(list(lines))
