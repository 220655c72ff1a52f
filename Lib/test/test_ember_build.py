"""Ember is a drop-in CPython 3.11: it names itself in sys.version but keeps
3.11's implementation name, bytecode cache tag, magic number and
extension-module suffix, and it has the usual optional modules."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import unittest
from test import support

DEBIAN_PYTHON = "/usr/bin/python3.11"


class VersionTests(unittest.TestCase):
    def test_sys_version_names_ember_and_base(self):
        self.assertRegex(sys.version, r"^3\.11\.2 \(Ember \d+\.\d+[:,]")
        self.assertEqual(sys.version_info[:5], (3, 11, 2, "final", 0))
        self.assertEqual(sys._git[:2], ("CPython", "Ember 0.1"))

    def test_platform_parses_the_version(self):
        import platform
        self.assertEqual(platform.python_version(), "3.11.2")
        self.assertEqual(platform.python_implementation(), "CPython")
        self.assertTrue(platform.python_build()[0].startswith("Ember 0.1"))

    def test_implementation_is_cpython_311(self):
        self.assertEqual(sys.implementation.name, "cpython")
        self.assertEqual(sys.implementation.cache_tag, "cpython-311")
        self.assertEqual(sys.implementation.version[:2], (3, 11))

    def test_pyc_and_extension_names_are_311s(self):
        self.assertEqual(importlib.util.MAGIC_NUMBER, (3495).to_bytes(2, "little") + b"\r\n")
        self.assertEqual(importlib.util.cache_from_source("/x/m.py"),
                         "/x/__pycache__/m.cpython-311.pyc")
        if sys.platform == "linux" and os.uname().machine == "x86_64":
            self.assertEqual(sysconfig.get_config_var("EXT_SUFFIX"),
                             ".cpython-311-x86_64-linux-gnu.so")
            self.assertEqual(sysconfig.get_config_var("SOABI"),
                             "cpython-311-x86_64-linux-gnu")

    @support.requires_subprocess()
    def test_same_tags_as_debian_python(self):
        if not os.path.exists(DEBIAN_PYTHON):
            self.skipTest(f"{DEBIAN_PYTHON} is not installed (Debian's python3.11)")
        code = ("import importlib.util, sys, sysconfig;"
                "print(importlib.util.MAGIC_NUMBER.hex(), sys.implementation.cache_tag,"
                " sysconfig.get_config_var('EXT_SUFFIX'), sys.implementation.name)")
        theirs = subprocess.run([DEBIAN_PYTHON, "-I", "-c", code], check=True,
                                capture_output=True, text=True).stdout
        ours = subprocess.run([sys.executable, "-I", "-c", code], check=True,
                              capture_output=True, text=True).stdout
        self.assertEqual(ours, theirs)


class OptionalModuleTests(unittest.TestCase):
    """The modules CPython builds only when their libraries are found."""

    def test_ssl(self):
        import ssl
        ctx = ssl.create_default_context()
        self.assertEqual(ctx.verify_mode, ssl.CERT_REQUIRED)
        self.assertTrue(ssl.OPENSSL_VERSION.startswith("OpenSSL 3"))

    def test_ctypes(self):
        import ctypes
        import ctypes.util
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        self.assertEqual(libc.strlen(b"ember"), 5)

    def test_zlib_lzma_bz2(self):
        import bz2
        import lzma
        import zlib
        data = b"ember " * 1000
        for mod in (zlib, lzma, bz2):
            with self.subTest(mod=mod.__name__):
                packed = mod.compress(data)
                self.assertLess(len(packed), len(data))
                self.assertEqual(mod.decompress(packed), data)

    def test_sqlite3(self):
        import sqlite3
        con = sqlite3.connect(":memory:")
        con.execute("create table t (x)")
        con.executemany("insert into t values (?)", [(i,) for i in range(10)])
        self.assertEqual(con.execute("select sum(x) from t").fetchone(), (45,))

    def test_readline(self):
        import readline
        readline.add_history("ember")
        self.assertEqual(readline.get_history_item(readline.get_current_history_length()), "ember")


@unittest.skipUnless(sys.platform == "linux", "reads /proc/self/maps")
class SharedLibraryTests(unittest.TestCase):
    def test_loads_its_own_libpython(self):
        if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
            self.skipTest("built without --enable-shared")
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "libpython" in line}
        self.assertEqual(len(libs), 1, libs)
        lib = libs.pop()
        if sysconfig.is_python_build():
            here = os.path.dirname(os.path.realpath(sys.executable))
        else:
            here = sysconfig.get_config_var("LIBDIR")
        self.assertEqual(os.path.realpath(lib),
                         os.path.realpath(os.path.join(here, "libpython3.11.so.1.0")))

    @unittest.skipUnless(shutil.which("readelf"), "needs readelf (binutils)")
    def test_no_search_path_names_the_current_directory(self):
        # An empty RUNPATH entry means the current directory: a library
        # planted there (libssl.so.3, say) would load on import.  Check the
        # interpreter, libpython and every extension module.
        import _ssl
        files = [os.path.realpath(sys.executable), os.path.realpath(_ssl.__file__)]
        dynload = os.path.dirname(files[1])
        files += [os.path.join(dynload, f) for f in os.listdir(dynload)
                  if f.endswith(".so")]
        for f in files:
            out = subprocess.run(["readelf", "-d", f], capture_output=True,
                                 text=True, check=True).stdout
            for path in re.findall(r"\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]", out):
                with self.subTest(file=os.path.basename(f)):
                    entries = path.split(":")
                    self.assertNotIn("", entries, path)
                    for entry in entries:
                        self.assertTrue(entry.startswith(("$ORIGIN", "/")), path)


@unittest.skipUnless(sysconfig.is_python_build(), "needs the build tree")
@support.requires_subprocess()
class OurCodeTests(unittest.TestCase):
    """Our C files (Tools/build/ember.mk) are compiled into this libpython."""

    def test_our_c_code_is_linked_in(self):
        import gc
        self.assertTrue(callable(getattr(gc, "immortalize_heap", None)))
        self.assertTrue(gc.is_immortal(None))

    def test_builds_every_extension_module_vanilla_builds(self):
        # setup.py reports a module that fails to compile and goes on, so a
        # header of ours that breaks one would only show as a missing .so.
        builddir = os.path.dirname(os.path.realpath(sys.executable))
        vanilla = os.path.join(builddir, os.pardir, os.pardir, "build-vanilla")
        def modules(top):
            with open(os.path.join(top, "pybuilddir.txt")) as f:
                libdir = os.path.join(top, f.read().strip())
            return sorted(n.split(".")[0] for n in os.listdir(libdir)
                          if n.endswith(".so"))
        if not os.path.exists(os.path.join(vanilla, "pybuilddir.txt")):
            self.skipTest("no vanilla build beside this one (make vanilla)")
        theirs = modules(vanilla)
        self.assertGreater(len(theirs), 30)
        self.assertEqual(modules(builddir), theirs)

    def test_makes_default_goal_is_still_all(self):
        # Rules in ember.mk come before upstream's `all`; if one of them
        # became the default goal, `make` would compile and not relink.
        builddir = os.path.dirname(os.path.realpath(sys.executable))
        proc = subprocess.run(["make", "-C", builddir, "-n", "-p"],
                              capture_output=True, text=True, timeout=300,
                              errors="replace")
        goals = [line for line in proc.stdout.splitlines()
                 if line.startswith(".DEFAULT_GOAL")]
        self.assertEqual(goals[-1:], [".DEFAULT_GOAL := all"], proc.stderr[-2000:])


if __name__ == "__main__":
    unittest.main()