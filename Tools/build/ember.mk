# Ember's part of the CPython build, included by Makefile.pre.in (patch
# 0001-build-hook) through the Makefile.ember that Tools/scripts/overlay
# writes.  Make runs in the object directory; EMBER_ROOT is this repository.
#
# Data: EMBER_OBJS, the objects of every C file of ours in the folders below,
# compiled straight from the repository into Ember/ in the object directory
# and linked into the core library like CPython's own.  A new file needs no
# change here.

# The rules below name targets; keep the first of them from becoming make's
# default goal (upstream's `all`, defined after this file): see the end.
ember_default_goal := $(.DEFAULT_GOAL)

EMBER_C_DIRS = Python Objects Modules Jit StaticPython StrictModules
EMBER_SRCS := $(foreach d,$(EMBER_C_DIRS),$(wildcard $(EMBER_ROOT)/$(d)/*.c))
EMBER_OBJS := $(patsubst $(EMBER_ROOT)/%.c,Ember/%.o,$(EMBER_SRCS))

LIBRARY_OBJS_OMIT_FROZEN += $(EMBER_OBJS)

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

-include $(EMBER_OBJS:.o=.d)

# sys.version reads "3.11.2 (Ember 0.1:<commit>, <date>, <time>) [<compiler>]"
# and sys._git is ('CPython', 'Ember 0.1', '<commit>'): Modules/getbuildinfo.c
# builds both from these three commands.
GITTAG = echo "Ember $(EMBER_VERSION)"
GITVERSION = git -C $(EMBER_ROOT) rev-parse --short=10 HEAD 2>/dev/null || true
GITBRANCH = echo

.DEFAULT_GOAL := $(ember_default_goal)
