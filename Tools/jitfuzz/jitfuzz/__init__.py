"""Ember's differential fuzzer for the method JIT (docs/jit.md, "The
differential fuzzer").

- gen: random, valid, deterministic Python programs (one per seed);
- child: runs a batch of programs in one process, output captured;
- driver: runs the programs under each mode, compares with the plain
  interpreter, pins a crash to its program, minimizes, saves reproducers;
- minimize: delta debugging over the statements of a program.
"""
