# Ember's top-level makefile.  Every target is a script in Tools/scripts;
# this file only names them.  Run ./configure first.
#
#   make            build Ember; ./python is the interpreter
#   make test       the patch check, Ember's tests and the CPython suite,
#                   then all of it again with -X immortalize-heap and
#                   -X eager-coro (builds the vanilla base too: tests
#                   compare against it)
#   make vanilla    the untouched base, same options: build-vanilla/python
#   make install    install (prefix from ./configure --prefix)
#   make patches-check   does the patch series apply to the pristine base?
#   make bench      Ember's benchmarks against vanilla, Debian's python3.11
#                   and PyPy (docs/benchmarks.md).  Narrow or change it with
#                   BENCH="richards nbody" (names or groups),
#                   MODES='ember-jit="./python -X jit" vanilla' (contenders),
#                   METRIC=time|instructions|memory, BENCHOPTS=... (more
#                   options of Tools/bench/run).  Without BENCH, MODES or
#                   METRIC it also runs the prefork memory benchmark
#                   (uWSGI + Django, Tools/bench/prefork/run)
#   make bench-prefork   only the prefork memory benchmark

.PHONY: all test vanilla install patches-check bench bench-prefork clean distclean

all:
	+MAKE="$(MAKE)" Tools/scripts/build

test: all vanilla
	+Tools/scripts/run-tests $(TESTOPTS)
	+Tools/scripts/run-tests --immortalize-heap --eager-coro $(TESTOPTS)

vanilla:
	+MAKE="$(MAKE)" Tools/scripts/build-vanilla

install: all
	+$(MAKE) -C build/ember install

bench: all vanilla
	Tools/bench/run --metric "$(or $(METRIC),time)" $(if $(BENCH),--bench "$(BENCH)") $(BENCHOPTS) $(MODES)
	$(if $(BENCH)$(MODES)$(METRIC),,Tools/bench/prefork/run)

bench-prefork: all vanilla
	Tools/bench/prefork/run

patches-check:
	Tools/scripts/patches check

clean:
	+if [ -f build/ember/Makefile ]; then $(MAKE) -C build/ember clean; fi
	rm -f python

distclean:
	rm -rf build build-vanilla python
