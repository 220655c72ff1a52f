# Ember's part of the CPython build, included by Makefile.pre.in (patch
# 0001-build-hook) through the Makefile.ember that Tools/scripts/overlay
# writes.  Make runs in the object directory; EMBER_ROOT is this repository.
#
# Data: EMBER_OBJS, the objects of every C file of ours in the folders below,
# compiled straight from the repository into Ember/ in the object directory
# and linked into the core library like CPython's own, and EMBER_CXX_OBJS,
# the same for the one C++ file (Jit/asm.cpp, the asmjit wrapper), which
# reaches the library through Ember/Jit/asmjit-linked.o.  A new
# file needs no change here.

# The rules below name targets; keep the first of them from becoming make's
# default goal (upstream's `all`, defined after this file): see the end.
ember_default_goal := $(.DEFAULT_GOAL)

EMBER_C_DIRS = Python Objects Modules Jit StaticPython StrictModules
EMBER_SRCS := $(foreach d,$(EMBER_C_DIRS),$(wildcard $(EMBER_ROOT)/$(d)/*.c))
EMBER_OBJS := $(patsubst $(EMBER_ROOT)/%.c,Ember/%.o,$(EMBER_SRCS))

LIBRARY_OBJS_OMIT_FROZEN += $(EMBER_OBJS)

# C++ is allowed in Jit/ only, for the wrapper around asmjit's assembler
# (docs/jit.md).  asmjit comes from Debian's libasmjit-dev, which ships only
# a static libasmjit.a.  The C++ objects and the archive members they need
# are linked (ld -r) into one relocatable object, Ember/Jit/asmjit-linked.o,
# in which every global symbol but our _PyJitAsm_* API is made local: the
# core library (libpython.so and libpython.a alike) carries asmjit without
# exporting it, and its users need no -lasmjit.  They need the C++ runtime,
# which patch 0001 appends to LIBS.
EMBER_CXX_SRCS := $(wildcard $(EMBER_ROOT)/Jit/*.cpp)
EMBER_CXX_OBJS := $(patsubst $(EMBER_ROOT)/%.cpp,Ember/%.o,$(EMBER_CXX_SRCS))
EMBER_CXXFLAGS = -std=c++17 -fPIC -fno-exceptions -fvisibility=hidden \
	-fvisibility-inlines-hidden -DASMJIT_STATIC
EMBER_ASMJIT_LIB := $(shell $(CXX) -print-file-name=libasmjit.a)
LIBRARY_OBJS_OMIT_FROZEN += Ember/Jit/asmjit-linked.o

Ember/Jit/asmjit-linked.o: $(EMBER_CXX_OBJS) $(EMBER_ASMJIT_LIB)
	ld -r -o $@.tmp $(EMBER_CXX_OBJS) $(EMBER_ASMJIT_LIB)
	objcopy --wildcard -G '_PyJitAsm_*' $@.tmp $@
	rm -f $@.tmp

# Our own folders under Lib/ (the overlay links their files into the source
# tree); the build hook adds them to LIBSUBDIRS so `make install` installs
# them.  A new folder of ours goes here.
EMBER_LIBSUBDIRS = ember
PY_CPPFLAGS += -I$(EMBER_ROOT)/Include

# Upstream objects depend on a fixed list of headers (PYTHON_HEADERS), and
# upstream headers include ours (Include/object.h includes
# ember_immortal.h): a change to a header of ours rebuilds them too.
EMBER_HEADERS := $(wildcard $(EMBER_ROOT)/Include/*.h $(EMBER_ROOT)/Include/*/*.h)
$(LIBRARY_OBJS) $(MODOBJS) Programs/python.o: $(EMBER_HEADERS)

Ember/%.o: $(EMBER_ROOT)/%.c
	@mkdir -p $(@D)
	$(CC) -c $(PY_CORE_CFLAGS) -MMD -MP -o $@ $<

Ember/%.o: $(EMBER_ROOT)/%.cpp
	@mkdir -p $(@D)
	$(CXX) -c $(OPT) $(EMBER_CXXFLAGS) $(PY_CPPFLAGS) -MMD -MP -o $@ $<

-include $(EMBER_OBJS:.o=.d) $(EMBER_CXX_OBJS:.o=.d)

# sys.version reads "3.11.2 (Ember 0.1:<commit>, <date>, <time>) [<compiler>]"
# and sys._git is ('CPython', 'Ember 0.1', '<commit>'): Modules/getbuildinfo.c
# builds both from these three commands.
GITTAG = echo "Ember $(EMBER_VERSION)"
GITVERSION = git -C $(EMBER_ROOT) rev-parse --short=10 HEAD 2>/dev/null || true
GITBRANCH = echo

.DEFAULT_GOAL := $(ember_default_goal)
