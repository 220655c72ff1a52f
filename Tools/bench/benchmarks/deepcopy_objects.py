"""copy.deepcopy of a drawing document: instances, shared references, a cycle.

The document (generated once with a fixed LCG, then cached) is a Drawing
holding layers; each Layer points back at the drawing (a cycle) and holds
shapes; each Shape has a list of Point objects (a __slots__ class), a style
dict shared by many shapes, a tags list, a tuple holding a list (so the
tuple must be copied too), and a parent reference to its layer.  The
drawing also has an index dict from shape id to shape (more shared
references), a list that contains itself, Glyph objects with their own
__deepcopy__ (which drops a render cache), and plain tuples, strings and
numbers (which deepcopy may share).  Each iteration deep-copies the drawing
and walks the original and the copy side by side: every pair must have the
same type and equal scalars; an object reached twice in the original must
map to the same object in the copy and distinct originals to distinct
copies (shared references and the cycles survive), and no mutable object in
the copy may be one of the original's.  It exercises copy.deepcopy (memo
dict, __reduce_ex__, __deepcopy__, dispatch on type).  The result is the
walk's counts and three flags; the counts were computed once and pinned.
"""

import copy

from _lcg import Lcg

GROUP = "stdlib"

LAYERS = 30
SHAPES_PER_LAYER = 40
STYLES = 9
GLYPHS = 30


class Point(object):
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class Shape(object):
    def __init__(self, ident, kind, points, style, parent):
        self.ident = ident
        self.kind = kind
        self.points = points
        self.style = style              # shared with other shapes
        self.parent = parent            # the Layer: a cycle
        self.tags = ["k%d" % (ident % 5)]
        self.bbox = (ident, [0.0, 0.0])  # a tuple holding a mutable list


class Layer(object):
    def __init__(self, name, drawing):
        self.name = name
        self.drawing = drawing          # back to the root: a cycle
        self.shapes = []
        self.visible = True
        self.opacity = 1.0


class Glyph(object):
    """A glyph whose render cache is not worth copying."""

    def __init__(self, code, outline):
        self.code = code
        self.outline = outline
        self.rendered = {"px": [code] * 4}

    def __deepcopy__(self, memo):
        new = Glyph.__new__(Glyph)
        memo[id(self)] = new
        new.code = self.code
        new.outline = copy.deepcopy(self.outline, memo)
        new.rendered = None
        return new


class Drawing(object):
    def __init__(self):
        self.title = "Plan – Étage 2"
        self.layers = []
        self.index = {}
        self.styles = []
        self.glyphs = []
        self.loop = []
        self.loop.append(self.loop)     # a list that contains itself
        self.version = (3, 1, "β")


def make_drawing():
    rng = Lcg(777)
    drawing = Drawing()
    drawing.styles = [{"stroke": "#%06x" % rng.next(1 << 24),
                       "width": 0.5 * (1 + rng.next(6)),
                       "dash": [rng.next(5), rng.next(5)]}
                      for _ in range(STYLES)]
    ident = 0
    for n in range(LAYERS):
        layer = Layer("layer %d" % n, drawing)
        for _ in range(SHAPES_PER_LAYER):
            points = [Point(rng.next(1000) / 4.0, rng.next(1000) / 4.0)
                      for _ in range(2 + rng.next(6))]
            shape = Shape(ident, ("line", "poly", "rect")[rng.next(3)], points,
                          drawing.styles[rng.next(STYLES)], layer)
            layer.shapes.append(shape)
            drawing.index[ident] = shape
            ident += 1
        drawing.layers.append(layer)
    drawing.glyphs = [Glyph(0x41 + i, [Point(i, j) for j in range(3)])
                      for i in range(GLYPHS)]
    return drawing


_drawing = None


def drawing():
    """The document, built on first use and then reused."""
    global _drawing
    if _drawing is None:
        _drawing = make_drawing()
    return _drawing


SCALARS = (int, float, str, bool, type(None))


class Comparison(object):
    """Walks an original and its deep copy together, checking identities."""

    def __init__(self):
        self.pairs = {}          # id(original) -> its copy
        self.copies = {}         # id(copy) -> its original
        self.mutables = 0        # distinct mutable objects compared
        self.revisits = 0        # further references to an object seen before
        self.instances = 0
        self.scalars = 0
        self.shared = True       # sharing and cycles preserved
        self.equal = True        # same types and values

    def fail(self):
        self.equal = False

    def visit(self, a, b):
        kind = type(a)
        if type(b) is not kind:
            return self.fail()
        if kind in SCALARS:
            self.scalars += 1
            if a != b:
                self.fail()
            return
        if kind is tuple:        # immutable container: compare the contents
            if len(a) != len(b):
                return self.fail()
            for x, y in zip(a, b):
                self.visit(x, y)
            return
        seen = self.pairs.get(id(a))
        if seen is not None:
            self.revisits += 1
            if seen is not b:
                self.shared = False
            return
        if id(b) in self.copies:         # two originals, one copy
            self.shared = False
            return
        self.pairs[id(a)] = b
        self.copies[id(b)] = a
        self.mutables += 1
        if kind is list:
            if len(a) != len(b):
                return self.fail()
            for x, y in zip(a, b):
                self.visit(x, y)
        elif kind is dict:
            if len(a) != len(b):
                return self.fail()
            for key, value in a.items():
                if key not in b:
                    return self.fail()
                self.visit(value, b[key])
        elif kind is Point:
            self.instances += 1
            self.visit(a.x, b.x)
            self.visit(a.y, b.y)
        elif kind is Glyph:
            self.instances += 1
            if b.rendered is not None:
                self.fail()
            self.visit(a.code, b.code)
            self.visit(a.outline, b.outline)
        elif kind in (Shape, Layer, Drawing):
            self.instances += 1
            self.visit_attributes(a.__dict__, b.__dict__)
        else:
            raise TypeError("unexpected %r" % (kind,))

    def visit_attributes(self, a, b):
        # The instance dicts themselves are not tracked by identity: some
        # implementations build them on demand.
        if len(a) != len(b):
            return self.fail()
        for name, value in a.items():
            if name not in b:
                return self.fail()
            self.visit(value, b[name])

    def not_aliased(self):
        """No mutable object of the copy is an object of the original."""
        return self.pairs.keys().isdisjoint(self.copies)


def run():
    orig = drawing()
    dup = copy.deepcopy(orig)
    cmp = Comparison()
    cmp.visit(orig, dup)
    return (cmp.equal, cmp.shared, cmp.not_aliased(), cmp.mutables,
            cmp.instances, cmp.revisits, cmp.scalars)


# Facts: the copy must compare equal, keep its sharing, and share nothing
# mutable with the original; an object is reached again once per index
# entry, per shape's parent and per shape's style (every style's first
# visit is from a shape, and the styles list reaches each once more), once
# per layer's drawing and once by the self-containing list.  Golden values,
# computed once with this file and pinned: the counts of mutable objects,
# instances and scalars.
SHAPES = LAYERS * SHAPES_PER_LAYER
EXPECTED = (True, True, True, 10357, 6674, 3 * SHAPES + LAYERS + 1, 18186)
NAMES = ("copy equal", "sharing preserved", "nothing aliased",
         "mutable objects", "instances", "revisits", "scalars")


def check(result):
    assert len(result) == len(EXPECTED), "expected %d values, got %r" % (
        len(EXPECTED), result)
    for name, want, got in zip(NAMES, EXPECTED, result):
        assert type(got) is type(want) and got == want, (
            "expected %s %r, got %r" % (name, want, got))
