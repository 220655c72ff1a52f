# Facts about Ember's base, shared by the scripts in Tools/scripts.
# Sourced, not run.  The base is upstream CPython 3.11.2, exactly the
# tarball Debian 12 ships as python3.11's orig tarball.
EMBER_VERSION=0.1
BASE_VERSION=3.11.2
BASE_TARBALL=python3.11_3.11.2.orig.tar.gz
BASE_SHA256=2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849
BASE_TOPDIR=Python-3.11.2

# The repository root: the folder above Tools/.
EMBER_ROOT=${EMBER_ROOT:-$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)}
EMBER_CACHE=${EMBER_BASE_CACHE:-$EMBER_ROOT/.cache/base}

# shquote ARG: ARG in single quotes, for a shell to read back.
shquote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# configure_upstream SRC_DIR: run the base's configure from SRC_DIR in the
# current directory, with the options ./configure saved in build/config.sh
# and the run path below.
configure_upstream() {
    _src=$1
    . "$EMBER_ROOT/build/config.sh"
    eval "set -- $EMBER_CONFIGURE_ARGS"
    LDFLAGS_NODIST="$EMBER_LDFLAGS_NODIST $EMBER_RPATH" "$_src/configure" "$@"
}

die() {
    echo "$(basename -- "$0"): $*" >&2
    exit 1
}

# Linker flags for python and libpython.  With --enable-shared, python
# finds its libpython next to itself (a build), in ../lib or in the
# configured $(LIBDIR) (an installation, also when a venv copied the
# binary), never another libpython3.11.so on the system, such as Debian's.
# Written for the Makefile, where $$ is a dollar and $(LIBDIR) is expanded.
# The dollar is escaped with a backslash, not quoted: the Makefile also
# hands these flags to setup.py inside single quotes (LDSHARED='...'),
# where quotes of our own would let the shell expand $ORIGIN to nothing and
# leave an empty RUNPATH entry (the current directory) in every extension
# module.  distutils drops the backslash there, as the shell does here.
EMBER_RPATH="-Wl,-rpath,\\\$\$ORIGIN:\\\$\$ORIGIN/../lib:\$(LIBDIR)"
