"""Ray tracer: a 72x72 scene of spheres on a checkered plane, with reflections.

A small object-oriented ray tracer: a Vec class with operator overloading,
Sphere and Plane shapes behind a common intersect()/normal_at() interface,
point lights with shadow rays, Lambert plus Blinn-Phong shading and mirror
reflection up to a fixed depth.  The fixed scene is rendered to a list of
(r, g, b) integer tuples.  It exercises attribute access, method calls,
small-object allocation and float arithmetic.  The result is the image size,
a checksum of every pixel and the number of pixels not showing the sky;
the last two were computed once and pinned (only sqrt and the four basic
float operations are used, so they are the same on every IEEE-754 machine).
"""

from math import sqrt

GROUP = "object"

WIDTH = 72
HEIGHT = 72
MAX_DEPTH = 3          # reflection bounces after the primary ray
EPSILON = 1e-7         # ignore hits closer than this (self-intersection)
SKY = (0.45, 0.6, 0.85)


class Vec(object):
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y, self.z + other.z)

    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y, self.z - other.z)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def __neg__(self):
        return Vec(-self.x, -self.y, -self.z)

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def cross(self, other):
        return Vec(self.y * other.z - self.z * other.y,
                   self.z * other.x - self.x * other.z,
                   self.x * other.y - self.y * other.x)

    def length(self):
        return sqrt(self.dot(self))

    def normalized(self):
        return self * (1.0 / self.length())

    def times(self, other):
        """Component-wise product (used for colours)."""
        return Vec(self.x * other.x, self.y * other.y, self.z * other.z)


class Ray(object):
    __slots__ = ("origin", "direction")

    def __init__(self, origin, direction):
        self.origin = origin
        self.direction = direction.normalized()

    def at(self, t):
        return self.origin + self.direction * t


class Material(object):
    def __init__(self, colour, diffuse=0.8, specular=0.3, shininess=16,
                 reflect=0.0, checker=None):
        self.colour = colour
        self.diffuse = diffuse
        self.specular = specular
        self.shininess = shininess      # integer exponent (see power())
        self.reflect = reflect
        self.checker = checker          # second colour of a checkerboard

    def colour_at(self, point):
        if self.checker is None:
            return self.colour
        if (int(point.x + 1000.0) + int(point.z + 1000.0)) % 2:
            return self.checker
        return self.colour


class Shape(object):
    def __init__(self, material):
        self.material = material

    def intersect(self, ray):
        """Distance along the ray to the nearest hit beyond EPSILON, or None."""
        raise NotImplementedError

    def normal_at(self, point):
        raise NotImplementedError


class Sphere(Shape):
    def __init__(self, centre, radius, material):
        Shape.__init__(self, material)
        self.centre = centre
        self.radius = radius

    def intersect(self, ray):
        oc = ray.origin - self.centre
        b = oc.dot(ray.direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0.0:
            return None
        root = sqrt(disc)
        t = -b - root
        if t > EPSILON:
            return t
        t = -b + root
        if t > EPSILON:
            return t
        return None

    def normal_at(self, point):
        return (point - self.centre).normalized()


class Plane(Shape):
    def __init__(self, point, normal, material):
        Shape.__init__(self, material)
        self.point = point
        self.normal = normal.normalized()

    def intersect(self, ray):
        denom = ray.direction.dot(self.normal)
        if -1e-12 < denom < 1e-12:
            return None
        t = (self.point - ray.origin).dot(self.normal) / denom
        if t > EPSILON:
            return t
        return None

    def normal_at(self, point):
        return self.normal


class Light(object):
    def __init__(self, position, colour):
        self.position = position
        self.colour = colour


def power(x, n):
    """x ** n for a non-negative integer n, by repeated squaring (no libm pow)."""
    result = 1.0
    while n:
        if n & 1:
            result *= x
        x *= x
        n >>= 1
    return result


class Scene(object):
    def __init__(self, shapes, lights, ambient):
        self.shapes = shapes
        self.lights = lights
        self.ambient = ambient

    def nearest_hit(self, ray):
        best_t, best_shape = None, None
        for shape in self.shapes:
            t = shape.intersect(ray)
            if t is not None and (best_t is None or t < best_t):
                best_t, best_shape = t, shape
        return best_t, best_shape

    def in_shadow(self, point, light):
        to_light = light.position - point
        distance = to_light.length()
        ray = Ray(point, to_light)
        for shape in self.shapes:
            t = shape.intersect(ray)
            if t is not None and t < distance:
                return True
        return False

    def trace(self, ray, depth):
        t, shape = self.nearest_hit(ray)
        if shape is None:
            return Vec(*SKY)
        point = ray.at(t)
        normal = shape.normal_at(point)
        if normal.dot(ray.direction) > 0.0:
            normal = -normal
        material = shape.material
        base = material.colour_at(point)
        colour = base.times(self.ambient)
        for light in self.lights:
            if self.in_shadow(point, light):
                continue
            to_light = (light.position - point).normalized()
            lambert = normal.dot(to_light)
            if lambert <= 0.0:
                continue
            colour = colour + base.times(light.colour) * (material.diffuse * lambert)
            half = (to_light - ray.direction).normalized()
            spec = normal.dot(half)
            if spec > 0.0:
                colour = colour + light.colour * (
                    material.specular * power(spec, material.shininess))
        if material.reflect > 0.0 and depth < MAX_DEPTH:
            d = ray.direction
            mirrored = d - normal * (2.0 * d.dot(normal))
            bounced = self.trace(Ray(point, mirrored), depth + 1)
            colour = colour * (1.0 - material.reflect) + bounced * material.reflect
        return colour


class Camera(object):
    """Pinhole camera looking from eye towards target, field of view set by scale."""

    def __init__(self, eye, target, up, scale):
        self.eye = eye
        self.forward = (target - eye).normalized()
        self.right = self.forward.cross(up).normalized()
        self.up = self.right.cross(self.forward)
        self.scale = scale

    def ray_through(self, px, py, width, height):
        sx = (2.0 * (px + 0.5) / width - 1.0) * self.scale
        sy = (1.0 - 2.0 * (py + 0.5) / height) * self.scale
        direction = self.forward + self.right * sx + self.up * sy
        return Ray(self.eye, direction)


def build_scene():
    """The fixed scene: three spheres (two shiny) above a checkered floor."""
    shapes = [
        Plane(Vec(0.0, 0.0, 0.0), Vec(0.0, 1.0, 0.0),
              Material(Vec(0.9, 0.9, 0.9), reflect=0.2, checker=Vec(0.15, 0.15, 0.15))),
        Sphere(Vec(0.0, 1.0, 0.0), 1.0,
               Material(Vec(0.8, 0.2, 0.2), reflect=0.4, shininess=32)),
        Sphere(Vec(-2.2, 0.7, 1.0), 0.7,
               Material(Vec(0.2, 0.7, 0.3), specular=0.5, shininess=8)),
        Sphere(Vec(1.9, 0.6, 1.4), 0.6,
               Material(Vec(0.3, 0.3, 0.9), reflect=0.6, shininess=64)),
    ]
    lights = [
        Light(Vec(-4.0, 6.0, 5.0), Vec(0.8, 0.8, 0.8)),
        Light(Vec(5.0, 4.0, 3.0), Vec(0.35, 0.3, 0.25)),
    ]
    scene = Scene(shapes, lights, ambient=Vec(0.12, 0.12, 0.12))
    camera = Camera(Vec(0.0, 2.2, 6.5), Vec(0.0, 0.8, 0.0), Vec(0.0, 1.0, 0.0), 0.55)
    return scene, camera


def to_byte(c):
    if c <= 0.0:
        return 0
    if c >= 1.0:
        return 255
    return int(c * 255.0 + 0.5)


def render(width, height):
    """Render the scene; return the pixels row by row as (r, g, b) ints."""
    scene, camera = build_scene()
    pixels = []
    for py in range(height):
        for px in range(width):
            c = scene.trace(camera.ray_through(px, py, width, height), 0)
            pixels.append((to_byte(c.x), to_byte(c.y), to_byte(c.z)))
    return pixels


def run():
    pixels = render(WIDTH, HEIGHT)
    sky = tuple(to_byte(c) for c in SKY)
    checksum = 0
    for i, (r, g, b) in enumerate(pixels):
        checksum = (checksum * 16777619 + (r << 16 | g << 8 | b) + i) % 4294967311
    not_sky = sum(1 for p in pixels if p != sky)
    return (WIDTH, HEIGHT, checksum, not_sky)


# Golden values computed once from this file's render() and pinned.
EXPECTED_CHECKSUM = 2972632906
EXPECTED_NOT_SKY = 3600


def check(result):
    assert len(result) == 4, "expected a 4-tuple, got %r" % (result,)
    width, height, checksum, not_sky = result
    assert (width, height) == (WIDTH, HEIGHT), "expected size %dx%d, got %rx%r" % (
        WIDTH, HEIGHT, width, height)
    assert 0 < not_sky < width * height, "non-sky pixel count %r out of range" % (not_sky,)
    assert not_sky == EXPECTED_NOT_SKY, "expected %d non-sky pixels, got %r" % (
        EXPECTED_NOT_SKY, not_sky)
    assert checksum == EXPECTED_CHECKSUM, "expected checksum %d, got %r" % (
        EXPECTED_CHECKSUM, checksum)
