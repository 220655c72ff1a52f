"""Ember's own Python-level tools, and its run-time switches.

eager_coro() and set_eager_coro(enabled) read and set eager evaluation of
awaited coroutines (-X eager-coro; docs/eager.md).  ember.memreport prints
the memory of a pre-fork server's workers (docs/uwsgi.md).
"""

from _ember import eager_coro, set_eager_coro
