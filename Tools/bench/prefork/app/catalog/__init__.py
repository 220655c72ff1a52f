"""A small book catalogue: the pre-fork benchmark's Django app."""
