"""The small random-number generator the benchmarks share.

Random's methods are not guaranteed to give the same numbers on every
Python implementation; this generator does, so pinned results hold on
CPython and PyPy alike.
"""


class Lcg(object):
    """A 64-bit linear congruential generator (same on every Python)."""

    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        """An int in range(bound), from the high bits of the state."""
        self.state = (self.state * 6364136223846793005 +
                      1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.state >> 33) % bound

    def pick(self, seq):
        return seq[self.next(len(seq))]
