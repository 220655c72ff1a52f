"""Control and inspect Ember's method JIT (docs/jit.md), under the names of
Cinder's cinderjit module.

The JIT is switched on at start-up (-X jit, -X jit-all, -X jit-auto=N,
-X jit-list-file=PATH or PYTHONJIT=1); this module cannot switch it on.
"""

import _ember

__all__ = ["force_compile", "is_jit_compiled", "disable", "is_enabled",
           "get_compiled_functions", "get_compile_failures", "get_stats"]


def force_compile(func):
    """Compile func now, whatever its call count or the list file say.

    True if func's code is compiled for func's globals (now or before);
    False if the compiler refused it or the JIT is off.  An error of the
    compiler itself (MemoryError) is raised.  TypeError unless func is a
    Python function.
    """
    return _ember._jit_force_compile(func)


def is_jit_compiled(func):
    """Whether func's code has compiled code for func's globals."""
    return _ember._jit_is_compiled(func)


def disable():
    """Switch the JIT off for good: compiled code is no longer run, and
    nothing is counted or compiled.  Calls running compiled code finish."""
    _ember._jit_disable()


def is_enabled():
    """Whether the JIT is on (and disable() has not been called)."""
    return _ember._jit_is_enabled()


def get_compiled_functions():
    """A list of the code objects that have compiled code and are alive.

    Code objects, not functions: compiled code belongs to a code object
    (for one globals dict), shared by every function made from it.
    """
    return _ember._jit_compiled_code()


def get_compile_failures():
    """A dict 'module:qualname' -> reason of the functions the JIT refused
    (generators, coroutines, what the compiler does not support) or
    failed to compile.  The module is the function's globals' __name__."""
    return _ember._jit_compile_failures()


def get_stats():
    """A dict of statistics (docs/jit.md, "Statistics")::

        compiled_functions   successful compilations so far
        compile_failures     refusals and failures so far
        compiled_code_runs   calls that ran compiled code
        total_compile_time   seconds spent compiling
        total_code_size      bytes of machine code
        functions            'module:qualname' -> {'compile_time': s,
                             'code_size': bytes}
        deopts               deoptimization kind -> count
        threshold            calls after which a function is compiled
    """
    return _ember._jit_stats()
