"""N-body: the Sun and the four Jovian planets integrated with symplectic Euler.

Five bodies (Sun, Jupiter, Saturn, Uranus, Neptune) start from the classic
initial conditions (positions in AU, velocities in AU/day scaled by 365.24 to
AU/year, masses in solar masses scaled by 4*pi**2 so that G = 1).  The Sun's
velocity is first adjusted so that the total momentum is zero, then the
system is advanced STEPS times with dt = 0.01: every step updates the
velocities from all ten pairwise gravitational interactions, then moves the
positions.  It exercises float arithmetic, list indexing and tight loops.
The result is the total energy before, after 1000 steps and after STEPS
steps.  The first two are checked against the well-known published values
(-0.169075164 and -0.169087605, which have 9 decimals); all three are also
checked against values computed once with this file and pinned (only
sqrt and the four basic operations are used, so they are identical on
every IEEE-754 machine).
"""

from math import sqrt

GROUP = "numeric"

STEPS = 20000          # steps per run(); the energy is also sampled at KNOWN_STEPS
KNOWN_STEPS = 1000     # the step count whose energy is a published fact
DT = 0.01

PI = 3.141592653589793
SOLAR_MASS = 4.0 * PI * PI
DAYS_PER_YEAR = 365.24

# name, position (AU), velocity (AU/day), mass (solar masses)
PLANETS = (
    ("sun", (0.0, 0.0, 0.0), (0.0, 0.0, 0.0), 1.0),
    ("jupiter",
     (4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01),
     (1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05),
     9.54791938424326609e-04),
    ("saturn",
     (8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01),
     (-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05),
     2.85885980666130812e-04),
    ("uranus",
     (1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01),
     (2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05),
     4.36624404335156298e-05),
    ("neptune",
     (1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01),
     (2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05),
     5.15138902046611451e-05),
)


def make_system():
    """Return a list of bodies, each [pos list, vel list, mass], in G=1 units."""
    bodies = []
    for _name, pos, vel, mass in PLANETS:
        bodies.append([list(pos),
                       [v * DAYS_PER_YEAR for v in vel],
                       mass * SOLAR_MASS])
    return bodies


def offset_momentum(bodies):
    """Give the Sun (body 0) the velocity that makes the total momentum zero."""
    px = py = pz = 0.0
    for _pos, vel, mass in bodies:
        px += vel[0] * mass
        py += vel[1] * mass
        pz += vel[2] * mass
    sun_vel, sun_mass = bodies[0][1], bodies[0][2]
    sun_vel[0] = -px / sun_mass
    sun_vel[1] = -py / sun_mass
    sun_vel[2] = -pz / sun_mass


def body_pairs(bodies):
    """Every unordered pair of bodies, in a fixed order."""
    return [(bodies[i], bodies[j])
            for i in range(len(bodies)) for j in range(i + 1, len(bodies))]


def energy(bodies):
    """Kinetic plus gravitational potential energy of the system."""
    total = 0.0
    for pos, vel, mass in bodies:
        total += 0.5 * mass * (vel[0] * vel[0] + vel[1] * vel[1] + vel[2] * vel[2])
    for (p1, _v1, m1), (p2, _v2, m2) in body_pairs(bodies):
        dx = p1[0] - p2[0]
        dy = p1[1] - p2[1]
        dz = p1[2] - p2[2]
        total -= m1 * m2 / sqrt(dx * dx + dy * dy + dz * dz)
    return total


def advance(bodies, pairs, steps, dt):
    """Advance the system by steps time steps of length dt."""
    for _ in range(steps):
        for (p1, v1, m1), (p2, v2, m2) in pairs:
            dx = p1[0] - p2[0]
            dy = p1[1] - p2[1]
            dz = p1[2] - p2[2]
            dist2 = dx * dx + dy * dy + dz * dz
            mag = dt / (dist2 * sqrt(dist2))
            k1 = m1 * mag
            k2 = m2 * mag
            v1[0] -= dx * k2
            v1[1] -= dy * k2
            v1[2] -= dz * k2
            v2[0] += dx * k1
            v2[1] += dy * k1
            v2[2] += dz * k1
        for pos, vel, _mass in bodies:
            pos[0] += dt * vel[0]
            pos[1] += dt * vel[1]
            pos[2] += dt * vel[2]


def run():
    bodies = make_system()
    offset_momentum(bodies)
    pairs = body_pairs(bodies)
    e_start = energy(bodies)
    advance(bodies, pairs, KNOWN_STEPS, DT)
    e_known = energy(bodies)
    advance(bodies, pairs, STEPS - KNOWN_STEPS, DT)
    e_end = energy(bodies)
    return (e_start, e_known, e_end)


# Published facts (9 decimals): energy at the start and after 1000 steps.
KNOWN_START = -0.169075164
KNOWN_AFTER_1000 = -0.169087605
KNOWN_TOL = 1e-9
# Golden values computed once with this file and pinned (start, 1000 steps, STEPS steps).
PINNED = (-0.16907516382852447, -0.1690876052346061, -0.16908926275527328)
PINNED_TOL = 1e-12


def check(result):
    assert len(result) == 3, "expected (start, after 1000, after %d), got %r" % (STEPS, result)
    e_start, e_known, e_end = result
    assert abs(e_start - KNOWN_START) <= KNOWN_TOL, (
        "expected initial energy %.9f, got %r" % (KNOWN_START, e_start))
    assert abs(e_known - KNOWN_AFTER_1000) <= KNOWN_TOL, (
        "expected energy %.9f after 1000 steps, got %r" % (KNOWN_AFTER_1000, e_known))
    labels = ("initial energy", "energy after 1000 steps", "energy after %d steps" % STEPS)
    for label, want, got in zip(labels, PINNED, result):
        assert abs(got - want) <= PINNED_TOL, "expected %s %r, got %r" % (label, want, got)
