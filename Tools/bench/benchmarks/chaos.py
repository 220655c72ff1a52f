"""Chaos game: render three iterated-function-system fractals into small pixel grids.

The chaos game draws the attractor of an iterated function system (a few
contractive affine maps of the plane, each with a probability) by starting
anywhere, repeatedly applying a randomly chosen map and plotting every point
after a short burn-in.  Three classic systems are drawn, each into its own
Canvas through a Viewport: Barnsley's fern, the Sierpinski triangle and the
Heighway dragon.  Every step allocates a Point object and goes through
method calls on the map, the viewport and the canvas, so it exercises
small-object allocation, attribute access, method calls and float
arithmetic.  Randomness comes from a private 64-bit LCG, and only the four
basic float operations are used, so the pictures are identical on every
IEEE-754 machine and interpreter.  The result is, per fractal, the number
of points plotted and clipped (which must add up to the steps taken, a
fact), the number of lit pixels and a checksum of the hit counts of all
pixels; the last two were computed once and pinned.
"""

GROUP = "object"

STEPS = 25000      # plotted steps of the chaos game per fractal
BURN_IN = 20       # steps taken before plotting starts (to reach the attractor)
WIDTH = 72         # pixels of each canvas
HEIGHT = 72
SEED = 0x2545F491  # seed of the LCG

MASK64 = (1 << 64) - 1
CHECK_MOD = (1 << 61) - 1   # modulus of the grid checksum


class Lcg(object):
    """64-bit linear congruential generator; random() is a float in [0, 1)."""

    MULTIPLIER = 6364136223846793005
    INCREMENT = 1442695040888963407

    def __init__(self, seed):
        self.state = seed & MASK64

    def random(self):
        self.state = (self.state * self.MULTIPLIER + self.INCREMENT) & MASK64
        return (self.state >> 11) * (1.0 / (1 << 53))


class Point(object):
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class AffineMap(object):
    """(x, y) -> (a*x + b*y + e, c*x + d*y + f), chosen with probability weight."""

    def __init__(self, a, b, c, d, e, f, weight):
        self.a, self.b, self.c, self.d = a, b, c, d
        self.e, self.f = e, f
        self.weight = weight

    def apply(self, p):
        return Point(self.a * p.x + self.b * p.y + self.e,
                     self.c * p.x + self.d * p.y + self.f)


class FunctionSystem(object):
    """A named set of affine maps with a cumulative table for picking one."""

    def __init__(self, name, maps):
        self.name = name
        self.maps = maps
        total = sum(m.weight for m in maps)
        self.thresholds = []
        running = 0.0
        for m in maps:
            running += m.weight / total
            self.thresholds.append(running)
        self.thresholds[-1] = 1.0   # guard against rounding

    def pick(self, u):
        for threshold, m in zip(self.thresholds, self.maps):
            if u < threshold:
                return m
        return self.maps[-1]


class Viewport(object):
    """Maps the rectangle [x0, x1] x [y0, y1] of the plane onto a canvas (y up)."""

    def __init__(self, x0, y0, x1, y1, width, height):
        self.x0, self.y0 = x0, y0
        self.sx = width / (x1 - x0)
        self.sy = height / (y1 - y0)
        self.width, self.height = width, height

    def column(self, p):
        return int((p.x - self.x0) * self.sx) if p.x >= self.x0 else -1

    def row(self, p):
        return self.height - 1 - int((p.y - self.y0) * self.sy) if p.y >= self.y0 else -1


class Canvas(object):
    """A grid of hit counters, plus counts of plotted and clipped points."""

    def __init__(self, viewport):
        self.viewport = viewport
        self.rows = [[0] * viewport.width for _ in range(viewport.height)]
        self.plotted = 0
        self.clipped = 0

    def plot(self, p):
        view = self.viewport
        col, row = view.column(p), view.row(p)
        if 0 <= col < view.width and 0 <= row < view.height:
            self.rows[row][col] += 1
            self.plotted += 1
        else:
            self.clipped += 1

    def lit(self):
        return sum(1 for line in self.rows for hits in line if hits)

    def checksum(self):
        h = 0
        for line in self.rows:
            for hits in line:
                h = (h * 1000003 + hits) % CHECK_MOD
        return h


def fern():
    """Barnsley's fern (his published coefficients and probabilities)."""
    return FunctionSystem("fern", [
        AffineMap(0.0, 0.0, 0.0, 0.16, 0.0, 0.0, 0.01),
        AffineMap(0.85, 0.04, -0.04, 0.85, 0.0, 1.6, 0.85),
        AffineMap(0.2, -0.26, 0.23, 0.22, 0.0, 1.6, 0.07),
        AffineMap(-0.15, 0.28, 0.26, 0.24, 0.0, 0.44, 0.07),
    ]), Viewport(-2.25, -0.05, 2.75, 10.05, WIDTH, HEIGHT)


def sierpinski():
    """Halve the distance to one of the corners of an equilateral triangle."""
    height = 0.8660254037844386   # sqrt(3) / 2
    return FunctionSystem("sierpinski", [
        AffineMap(0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 1.0),
        AffineMap(0.5, 0.0, 0.0, 0.5, 0.5, 0.0, 1.0),
        AffineMap(0.5, 0.0, 0.0, 0.5, 0.25, height / 2, 1.0),
    ]), Viewport(-0.02, -0.02, 1.02, 0.9, WIDTH, HEIGHT)


def dragon():
    """Heighway dragon: z -> (1+i)z/2 and z -> 1 - (1-i)z/2."""
    return FunctionSystem("dragon", [
        AffineMap(0.5, -0.5, 0.5, 0.5, 0.0, 0.0, 1.0),
        AffineMap(-0.5, -0.5, 0.5, -0.5, 1.0, 0.0, 1.0),
    ]), Viewport(-0.4, -0.4, 1.2, 0.75, WIDTH, HEIGHT)


def play(system, viewport, rng):
    """Run the chaos game on system and return the canvas it drew."""
    canvas = Canvas(viewport)
    p = Point(rng.random(), rng.random())
    for _ in range(BURN_IN):
        p = system.pick(rng.random()).apply(p)
    for _ in range(STEPS):
        p = system.pick(rng.random()).apply(p)
        canvas.plot(p)
    return canvas


def run():
    rng = Lcg(SEED)
    result = []
    for make in (fern, sierpinski, dragon):
        system, viewport = make()
        canvas = play(system, viewport, rng)
        result.append((system.name, canvas.plotted, canvas.clipped,
                       canvas.lit(), canvas.checksum()))
    return result


# Golden values computed once with this file (SEED, STEPS, WIDTH x HEIGHT)
# and pinned: (name, plotted, clipped, lit pixels, checksum) per fractal.
EXPECTED = [
    ("fern", 25000, 0, 2439, 1058165382909012131),
    ("sierpinski", 25000, 0, 1312, 1136255644198215001),
    ("dragon", 25000, 0, 2021, 953075564456552849),
]


def check(result):
    assert isinstance(result, list) and len(result) == len(EXPECTED), (
        "expected %d fractals, got %r" % (len(EXPECTED), result))
    for want, got in zip(EXPECTED, result):
        assert isinstance(got, tuple) and len(got) == 5, (
            "expected %r, got %r" % (want, got))
        name = want[0]
        assert got[0] == name, "expected fractal %r, got %r" % (name, got[0])
        # A fact: every plotted step either lands on the canvas or is clipped.
        assert got[1] + got[2] == STEPS, "%s: expected %d steps, got %r + %r" % (
            name, STEPS, got[1], got[2])
        fields = ("name", "plotted", "clipped", "lit pixels", "checksum")
        for field, w, g in zip(fields, want, got):
            assert type(g) is type(w) and g == w, "%s: expected %s %r, got %r" % (
                name, field, w, g)
