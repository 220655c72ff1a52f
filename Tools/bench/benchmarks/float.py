"""Float: allocate many small Point objects, normalize them, reduce with max.

POINTS Point instances are created with coordinates derived from sin and
cos of their index, each is normalized in place to unit length, and the
list is reduced to one Point holding the largest x, y and z seen (a new
Point object per reduction step).  It exercises object allocation and
deallocation, attribute loads and stores, method calls and float math
(sin, cos, sqrt, arithmetic, comparisons).  The result is the reduced
point's coordinates, the sum of all normalized z coordinates and the point
count.  The coordinates of the maximum are checked to be on or inside the
unit sphere; all floats are golden values computed once and pinned,
compared with a 1e-12 relative tolerance (sin and cos come from the C
library and may differ in the last bit between platforms).
"""

from math import cos, sin, sqrt

GROUP = "numeric"

POINTS = 100000    # points created per run()


class Point(object):
    __slots__ = ("x", "y", "z")

    def __init__(self, i):
        self.x = x = sin(i)
        self.y = cos(i) * 3.0
        self.z = (x * x) / 2.0

    def __repr__(self):
        return "<Point: x=%s, y=%s, z=%s>" % (self.x, self.y, self.z)

    def normalize(self):
        x, y, z = self.x, self.y, self.z
        scale = 1.0 / sqrt(x * x + y * y + z * z)
        self.x = x * scale
        self.y = y * scale
        self.z = z * scale

    def componentwise_max(self, other):
        """A new Point holding the larger of each coordinate (self is unchanged)."""
        result = Point.__new__(Point)
        result.x = self.x if self.x > other.x else other.x
        result.y = self.y if self.y > other.y else other.y
        result.z = self.z if self.z > other.z else other.z
        return result


def make_points(n):
    return [Point(i) for i in range(n)]


def reduce_max(points):
    best = points[0]
    for p in points[1:]:
        best = best.componentwise_max(p)
    return best


def run():
    points = make_points(POINTS)
    for p in points:
        p.normalize()
    best = reduce_max(points)
    z_total = 0.0
    for p in points:
        z_total += p.z
    return (best.x, best.y, best.z, z_total, len(points))


# Golden values computed once with this file and pinned: max x, max y,
# max z, sum of normalized z.
PINNED = (0.8944271890997864, 1.0, 0.4472135954456972, 15954.543643888072)
REL_TOL = 1e-12


def check(result):
    assert len(result) == 5, "expected (x, y, z, z_total, count), got %r" % (result,)
    x, y, z, z_total, count = result
    assert count == POINTS, "expected %d points, got %r" % (POINTS, count)
    # Facts: each maximum comes from a unit vector, so it lies in [-1, 1].
    for label, v in (("x", x), ("y", y), ("z", z)):
        assert -1.0 <= v <= 1.0, "expected max %s within [-1, 1], got %r" % (label, v)
    labels = ("max x", "max y", "max z", "sum of z")
    for label, want, got in zip(labels, PINNED, result):
        assert abs(got - want) <= REL_TOL * abs(want), (
            "expected %s %r, got %r" % (label, want, got))
