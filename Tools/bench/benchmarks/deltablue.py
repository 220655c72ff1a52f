"""DeltaBlue: the incremental one-way constraint solver on a chain and a projection.

DeltaBlue (Freeman-Benson, Maloney and Borning) keeps a network of
variables and constraints, each constraint with a strength from "required"
down to "weakest", and incrementally decides which method of each
constraint to use (which variable it writes) so that stronger constraints
win; walk strengths and marks propagate through the network when
constraints are added and removed, and a plan (an ordered list of
constraints) re-solves the network after an input changes.  Two tests run:
the chain test (a long chain of equality constraints whose first variable
is edited) and the projection test (many destination variables tied to
sources by dst = src * scale + offset, then edited at either end and
through the shared scale and offset).  It exercises method calls,
polymorphism, attribute access and list operations.  The result records
the plan lengths and the values each test reads back; all of them are facts
of the problem (e.g. the last variable of the chain equals what was written
into the first; every destination equals its source times scale plus
offset) and are checked exactly.
"""

GROUP = "object"

SIZE = 100         # equalities in the chain test / (src, dst) pairs in the projection test
REPEATS = 30       # chain + projection rounds per run() (sized for ~40-120 ms on CPython)
CHAIN_EDITS = 100  # values pushed through the chain by its plan
EDIT_STEPS = 10    # times a plan is executed when one variable is changed

# Directions of a binary constraint: which variable it writes.
NO_DIRECTION, FORWARD, BACKWARD = 0, 1, 2


# --- strengths -------------------------------------------------------------

class Strength(object):
    """A constraint's priority: a smaller rank is stronger."""

    def __init__(self, rank, name):
        self.rank = rank
        self.name = name

    def __repr__(self):
        return "Strength(%s)" % self.name

    def stronger_than(self, other):
        return self.rank < other.rank

    def weaker_than(self, other):
        return self.rank > other.rank

    def weaker(self):
        """The next weaker strength (the weakest is its own successor)."""
        return LADDER[min(self.rank + 1, len(LADDER) - 1)]


LADDER = [Strength(rank, name) for rank, name in enumerate(
    ("required", "strong preferred", "preferred", "strong default",
     "normal", "weak default", "weakest"))]
REQUIRED, STRONG_PREFERRED, PREFERRED, STRONG_DEFAULT, NORMAL, WEAK_DEFAULT, WEAKEST = LADDER


def weakest_of(a, b):
    return a if a.weaker_than(b) else b


# --- variables -------------------------------------------------------------

class Variable(object):
    """A value plus the solver's bookkeeping about who determines it."""

    def __init__(self, name, value=0):
        self.name = name
        self.value = value
        self.constraints = []       # every constraint that mentions this variable
        self.determined_by = None   # the satisfied constraint that writes it
        self.walk_strength = WEAKEST
        self.stay = True            # true when its value cannot change during a plan
        self.mark = 0

    def __repr__(self):
        return "Variable(%s=%r)" % (self.name, self.value)

    def attach(self, constraint):
        self.constraints.append(constraint)

    def detach(self, constraint):
        self.constraints.remove(constraint)
        if self.determined_by is constraint:
            self.determined_by = None


# --- constraints -----------------------------------------------------------

class Constraint(object):
    """Abstract constraint.  Subclasses decide which variable they write."""

    def __init__(self, solver, strength):
        self.solver = solver
        self.strength = strength

    def install(self):
        """Add to the network and let the solver satisfy it incrementally."""
        self.add_to_graph()
        self.solver.incremental_add(self)

    def uninstall(self):
        if self.is_satisfied():
            self.solver.incremental_remove(self)
        else:
            self.remove_from_graph()

    def is_input(self):
        """True for constraints through which the outside world sets values."""
        return False

    def satisfy(self, mark):
        """Pick a method if possible; return the constraint it overrode, if any."""
        self.choose_method(mark)
        if not self.is_satisfied():
            if self.strength is REQUIRED:
                raise RuntimeError("could not satisfy a required constraint")
            return None
        self.mark_inputs(mark)
        out = self.output()
        overridden = out.determined_by
        if overridden is not None:
            overridden.mark_unsatisfied()
        out.determined_by = self
        if not self.solver.propagate_from(self, mark):
            raise RuntimeError("cycle encountered")
        out.mark = mark
        return overridden


class UnaryConstraint(Constraint):
    """A constraint on one variable, which it always writes."""

    def __init__(self, solver, variable, strength):
        Constraint.__init__(self, solver, strength)
        self.variable = variable
        self.satisfied = False
        self.install()

    def add_to_graph(self):
        self.variable.attach(self)
        self.satisfied = False

    def remove_from_graph(self):
        self.variable.detach(self)
        self.satisfied = False

    def choose_method(self, mark):
        v = self.variable
        self.satisfied = v.mark != mark and self.strength.stronger_than(v.walk_strength)

    def is_satisfied(self):
        return self.satisfied

    def mark_unsatisfied(self):
        self.satisfied = False

    def mark_inputs(self, mark):
        pass

    def output(self):
        return self.variable

    def inputs_known(self, mark):
        return True

    def recalculate(self):
        v = self.variable
        v.walk_strength = self.strength
        v.stay = not self.is_input()
        if v.stay:
            self.execute()

    def execute(self):
        pass


class StayConstraint(UnaryConstraint):
    """Asks that a variable keep its value (weaker constraints may not change it)."""


class EditConstraint(UnaryConstraint):
    """Marks a variable as set from outside (an input of the plan)."""

    def is_input(self):
        return True


class BinaryConstraint(Constraint):
    """A constraint between a and b that can write either of them."""

    def __init__(self, solver, a, b, strength, install=True):
        Constraint.__init__(self, solver, strength)
        self.a = a
        self.b = b
        self.direction = NO_DIRECTION
        if install:
            self.install()

    def add_to_graph(self):
        self.a.attach(self)
        self.b.attach(self)
        self.direction = NO_DIRECTION

    def remove_from_graph(self):
        self.a.detach(self)
        self.b.detach(self)
        self.direction = NO_DIRECTION

    def choose_method(self, mark):
        a, b, strength = self.a, self.b, self.strength
        if a.mark == mark:
            ok = b.mark != mark and strength.stronger_than(b.walk_strength)
            self.direction = FORWARD if ok else NO_DIRECTION
        elif b.mark == mark:
            ok = a.mark != mark and strength.stronger_than(a.walk_strength)
            self.direction = BACKWARD if ok else NO_DIRECTION
        elif a.walk_strength.weaker_than(b.walk_strength):
            ok = strength.stronger_than(a.walk_strength)
            self.direction = BACKWARD if ok else NO_DIRECTION
        else:
            ok = strength.stronger_than(b.walk_strength)
            self.direction = FORWARD if ok else BACKWARD

    def is_satisfied(self):
        return self.direction != NO_DIRECTION

    def mark_unsatisfied(self):
        self.direction = NO_DIRECTION

    def input(self):
        return self.a if self.direction == FORWARD else self.b

    def output(self):
        return self.b if self.direction == FORWARD else self.a

    def mark_inputs(self, mark):
        self.input().mark = mark

    def inputs_known(self, mark):
        source = self.input()
        return source.mark == mark or source.stay or source.determined_by is None

    def recalculate(self):
        source, out = self.input(), self.output()
        out.walk_strength = weakest_of(self.strength, source.walk_strength)
        out.stay = source.stay
        if out.stay:
            self.execute()


class EqualityConstraint(BinaryConstraint):
    """a == b."""

    def execute(self):
        self.output().value = self.input().value


class ScaleConstraint(BinaryConstraint):
    """b == a * scale + offset, where scale and offset are variables too."""

    def __init__(self, solver, a, scale, offset, b, strength):
        BinaryConstraint.__init__(self, solver, a, b, strength, install=False)
        self.scale = scale
        self.offset = offset
        self.install()

    def add_to_graph(self):
        BinaryConstraint.add_to_graph(self)
        self.scale.attach(self)
        self.offset.attach(self)

    def remove_from_graph(self):
        BinaryConstraint.remove_from_graph(self)
        self.scale.detach(self)
        self.offset.detach(self)

    def mark_inputs(self, mark):
        BinaryConstraint.mark_inputs(self, mark)
        self.scale.mark = mark
        self.offset.mark = mark

    def recalculate(self):
        source, out = self.input(), self.output()
        out.walk_strength = weakest_of(self.strength, source.walk_strength)
        out.stay = source.stay and self.scale.stay and self.offset.stay
        if out.stay:
            self.execute()

    def execute(self):
        # The tests only ask for exact quotients, so integer division is exact.
        if self.direction == FORWARD:
            self.b.value = self.a.value * self.scale.value + self.offset.value
        else:
            self.a.value = (self.b.value - self.offset.value) // self.scale.value


# --- the solver ------------------------------------------------------------

class Solver(object):
    """Incremental addition/removal of constraints and plan extraction."""

    def __init__(self):
        self.mark = 0

    def new_mark(self):
        self.mark += 1
        return self.mark

    def incremental_add(self, constraint):
        mark = self.new_mark()
        overridden = constraint.satisfy(mark)
        while overridden is not None:
            overridden = overridden.satisfy(mark)

    def incremental_remove(self, constraint):
        out = constraint.output()
        constraint.mark_unsatisfied()
        constraint.remove_from_graph()
        unsatisfied = self.unpropagate_from(out)
        strength = REQUIRED
        while True:
            for c in unsatisfied:
                if c.strength is strength:
                    self.incremental_add(c)
            strength = strength.weaker()
            if strength is WEAKEST:
                break

    def propagate_from(self, constraint, mark):
        """Recompute walk strengths downstream; False (and undo) on a cycle."""
        todo = [constraint]
        while todo:
            c = todo.pop(0)
            if c.output().mark == mark:
                self.incremental_remove(constraint)
                return False
            c.recalculate()
            self.collect_consumers(c.output(), todo)
        return True

    def unpropagate_from(self, out):
        """Forget what determined out; return the unsatisfied constraints reached."""
        out.determined_by = None
        out.walk_strength = WEAKEST
        out.stay = True
        unsatisfied = []
        todo = [out]
        while todo:
            v = todo.pop(0)
            for c in v.constraints:
                if not c.is_satisfied():
                    unsatisfied.append(c)
            determining = v.determined_by
            for c in v.constraints:
                if c is not determining and c.is_satisfied():
                    c.recalculate()
                    todo.append(c.output())
        return unsatisfied

    def collect_consumers(self, v, into):
        determining = v.determined_by
        for c in v.constraints:
            if c is not determining and c.is_satisfied():
                into.append(c)

    def plan_from(self, sources):
        """Order the constraints downstream of sources so each runs after its inputs."""
        mark = self.new_mark()
        plan = []
        todo = list(sources)
        while todo:
            c = todo.pop(0)
            out = c.output()
            if out.mark != mark and c.inputs_known(mark):
                plan.append(c)
                out.mark = mark
                self.collect_consumers(out, todo)
        return plan

    def plan_for_inputs(self, constraints):
        return self.plan_from([c for c in constraints if c.is_input() and c.is_satisfied()])


def execute_plan(plan):
    for c in plan:
        c.execute()


def change(solver, variable, value, log):
    """Set variable to value through an edit constraint; log the plan length."""
    edit = EditConstraint(solver, variable, PREFERRED)
    plan = solver.plan_for_inputs([edit])
    log.append(len(plan))
    for _ in range(EDIT_STEPS):
        variable.value = value
        execute_plan(plan)
    edit.uninstall()


# --- the two tests ---------------------------------------------------------

def chain_test(n):
    """Chain v0 == v1 == ... == vn, edit v0; return (plan length, values seen at vn)."""
    solver = Solver()
    chain = [Variable("v%d" % i) for i in range(n + 1)]
    for left, right in zip(chain, chain[1:]):
        EqualityConstraint(solver, left, right, REQUIRED)
    first, last = chain[0], chain[-1]
    StayConstraint(solver, last, STRONG_DEFAULT)
    edit = EditConstraint(solver, first, PREFERRED)
    plan = solver.plan_for_inputs([edit])
    seen = []
    for value in range(CHAIN_EDITS):
        first.value = value
        execute_plan(plan)
        seen.append(last.value)
    edit.uninstall()
    return len(plan), seen


def projection_test(n):
    """dst_i == src_i * scale + offset for n pairs; edit both ends, scale and offset."""
    solver = Solver()
    scale = Variable("scale", 10)
    offset = Variable("offset", 1000)
    sources, dests = [], []
    for i in range(n):
        src = Variable("src%d" % i, i)
        dst = Variable("dst%d" % i, i)
        sources.append(src)
        dests.append(dst)
        StayConstraint(solver, src, NORMAL)
        ScaleConstraint(solver, src, scale, offset, dst, REQUIRED)
    src, dst = sources[-1], dests[-1]
    plans = []
    change(solver, src, 17, plans)
    after_src = dst.value
    change(solver, dst, 1050, plans)
    after_dst = src.value
    change(solver, scale, 5, plans)
    after_scale = [d.value for d in dests]
    change(solver, offset, 2000, plans)
    after_offset = [d.value for d in dests]
    return plans, after_src, after_dst, after_scale, after_offset


def run():
    result = []
    for _ in range(REPEATS):
        plan_length, seen = chain_test(SIZE)
        plans, after_src, after_dst, after_scale, after_offset = projection_test(SIZE)
        result.append((plan_length, sum(seen), seen[0], seen[-1],
                       plans, after_src, after_dst,
                       sum(after_scale), after_scale[0], after_scale[-1],
                       sum(after_offset), after_offset[0], after_offset[-1]))
    return result


def expected_round(n):
    """The facts every round must reproduce (n = SIZE)."""
    # The last source was set to 5 by the dst edit; every other source kept i.
    after_scale = [5 * i + 1000 for i in range(n - 1)] + [5 * 5 + 1000]
    after_offset = [5 * i + 2000 for i in range(n - 1)] + [5 * 5 + 2000]
    return (
        n + 1,                                  # edit + n equalities in the chain plan
        sum(range(CHAIN_EDITS)), 0, CHAIN_EDITS - 1,
        # plan lengths: edit src or dst (edit + 1 scale constraint), edit scale or
        # offset (edit + all n scale constraints)
        [2, 2, n + 1, n + 1],
        17 * 10 + 1000,                         # dst after src := 17
        (1050 - 1000) // 10,                    # src after dst := 1050
        sum(after_scale), after_scale[0], after_scale[-1],
        sum(after_offset), after_offset[0], after_offset[-1],
    )


def check(result):
    assert isinstance(result, list) and len(result) == REPEATS, (
        "expected a list of %d rounds, got %r" % (REPEATS, result))
    want = expected_round(SIZE)
    for k, got in enumerate(result):
        assert isinstance(got, tuple) and len(got) == len(want), (
            "round %d: expected %r, got %r" % (k, want, got))
        for i, (w, g) in enumerate(zip(want, got)):
            assert type(g) is type(w) and g == w, (
                "round %d, field %d: expected %r, got %r" % (k, i, w, g))
