"""A stand-in for the interpreter under test, for the fuzzer's own tests.

Takes the options the fuzzer passes (-X ..., a script and its arguments)
and runs the script on the Python that runs this file.  Two -X options of
its own make it misbehave the way a broken JIT would:

  -X fake-crash   gc.get_referents() kills the process with SIGSEGV
  -X fake-differ  abs() of a negative int returns one too many
"""
import os
import runpy
import signal
import sys

args = sys.argv[1:]
xopts = []
while args and args[0].startswith("-"):
    opt = args.pop(0)
    if opt == "-X":
        xopts.append(args.pop(0))
    elif opt.startswith("-X"):
        xopts.append(opt[2:])
if "fake-crash" in xopts:
    import gc
    def referents(*objs):
        os.kill(os.getpid(), signal.SIGSEGV)
    gc.get_referents = referents
if "fake-differ" in xopts:
    import builtins
    real_abs = builtins.abs
    builtins.abs = lambda x: real_abs(x) + 1 if isinstance(x, int) and x < 0 else real_abs(x)
sys.argv = args
del sys.path[0]
sys.path.insert(0, os.path.dirname(os.path.abspath(args[0])))
runpy.run_path(args[0], run_name="__main__")
