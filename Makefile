# Ember's top-level makefile.  Every target is a script in Tools/scripts;
# this file only names them.  Run ./configure first.
#
#   make            build Ember; ./python is the interpreter
#   make test       the patch check, Ember's tests and the CPython suite,
#                   then all of it again with -X immortalize-heap and
#                   -X eager-coro, then a representative part of it
#                   (JIT_TESTS) with every function JIT-compiled at its
#                   first call, -X jit-all, and once more compiled when
#                   warm, -X jit -X jit-auto=2 and =50 (two runs: compiled
#                   from a thin profile and from a settled one), so that the code takes the
#                   paths the interpreter's profile opens (direct calls);
#                   builds the vanilla base too: tests compare against it
#   make test-jit-full   the whole suite under -X jit-all, then under
#                   -X jit -X jit-auto=2 and =50
#   make vanilla    the untouched base, same options: build-vanilla/python
#   make install    install (prefix from ./configure --prefix)
#   make patches-check   does the patch series apply to the pristine base?
#   make bench      Ember's benchmarks, the JIT (ember-jit, ./python -X jit:
#                   the headline, first column and red bars) and the
#                   interpreter (ember), against vanilla, Debian's
#                   python3.11 and PyPy (docs/benchmarks.md).  Narrow or
#                   change it with
#                   BENCH="richards nbody" (names or groups),
#                   MODES='ember-jit="./python -X jit" vanilla' (contenders),
#                   METRIC=time|instructions|memory, BENCHOPTS=... (more
#                   options of Tools/bench/run).  Without BENCH, MODES or
#                   METRIC it also runs the prefork memory benchmark
#                   (uWSGI + Django, Tools/bench/prefork/run)
#   make bench-prefork   only the prefork memory benchmark
#   make fuzz-jit   the JIT's differential fuzzer (Tools/jitfuzz/run,
#                   docs/jit.md): N=1000 random programs under the
#                   interpreter and the JIT's modes, reproducers of what
#                   differs in build/jitfuzz/found; SEED=first seed,
#                   FUZZOPTS=... (more options of Tools/jitfuzz/run)

.PHONY: all test test-jit-full vanilla install patches-check bench bench-prefork fuzz-jit clean distclean

all:
	+MAKE="$(MAKE)" Tools/scripts/build

# The part of the suite that make test runs under -X jit-all and --jit-warm: Ember's JIT
# tests and the suites that exercise the language core, frames, tracing,
# exceptions and the standard types (about 1 minute on 2 cores each way;
# the whole suite both ways is make test-jit-full, about 15 minutes).
JIT_TESTS = test_ember_jit test_ember_jit_hir test_ember_jit_lir \
	test_ember_jit_runtime test_ember_jit_options test_ember_jit_asm \
	test_ember_jit_compile_time \
	test_grammar test_syntax test_exceptions test_traceback test_raise \
	test_sys test_sys_settrace test_sys_setprofile test_trace test_frame \
	test_scope test_generators test_coroutines test_contextlib test_with \
	test_builtin test_types test_class test_descr test_dataclasses \
	test_enum test_functools test_itertools test_collections test_dict \
	test_list test_tuple test_set test_unicode test_long test_float \
	test_int test_math test_re test_json test_pickle test_copy \
	test_keywordonlyarg test_unpack test_unpack_ex test_augassign \
	test_opcodes test_compile test_inspect test_typing test_threading \
	test_signal test_weakref test_gc test_pdb test_bdb test_dis \
	test_decimal test_fractions test_random test_operator test_string \
	test_ember_eager test_ember_immortal

test: all vanilla
	+Tools/scripts/run-tests $(TESTOPTS)
	+Tools/scripts/run-tests --immortalize-heap --eager-coro $(TESTOPTS)
	+Tools/scripts/run-tests --jit-all $(TESTOPTS) $(JIT_TESTS)
	+Tools/scripts/run-tests --jit-warm=2 $(TESTOPTS) $(JIT_TESTS)
	+Tools/scripts/run-tests --jit-warm=50 $(TESTOPTS) $(JIT_TESTS)

test-jit-full: all vanilla
	+Tools/scripts/run-tests --jit-all $(TESTOPTS)
	+Tools/scripts/run-tests --jit-warm=2 $(TESTOPTS)
	+Tools/scripts/run-tests --jit-warm=50 $(TESTOPTS)

vanilla:
	+MAKE="$(MAKE)" Tools/scripts/build-vanilla

install: all
	+$(MAKE) -C build/ember install

bench: all vanilla
	Tools/bench/run --metric "$(or $(METRIC),time)" $(if $(BENCH),--bench "$(BENCH)") $(BENCHOPTS) $(MODES)
	$(if $(BENCH)$(MODES)$(METRIC),,Tools/bench/prefork/run)

bench-prefork: all vanilla
	Tools/bench/prefork/run

fuzz-jit: all
	Tools/jitfuzz/run --count $(or $(N),1000) $(if $(SEED),--seed $(SEED)) $(FUZZOPTS)

patches-check:
	Tools/scripts/patches check

clean:
	+if [ -f build/ember/Makefile ]; then $(MAKE) -C build/ember clean; fi
	rm -f python

distclean:
	rm -rf build build-vanilla python
