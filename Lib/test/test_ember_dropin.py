"""Ember is a drop-in replacement for Debian's python3.11: extension modules
that Debian built for stock 3.11 import and work, and Debian's uWSGI serves
a WSGI app in prefork mode on Ember's libpython (docs/uwsgi.md)."""

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
import unittest
import http.client
from test import support
from test.support import socket_helper

DIST_PACKAGES = "/usr/lib/python3/dist-packages"
UWSGI = "/usr/bin/uwsgi-core"
UWSGI_PLUGINS = "/usr/lib/uwsgi/plugins"
UWSGI_PLUGIN = "python311"


def ensure_debian_package(testcase, package, path):
    """Make sure Debian's PACKAGE, which provides PATH, is installed.

    Installs it with apt-get when we can (root, apt-get present), and skips
    the test with the reason when we cannot."""
    if os.path.exists(path):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        testcase.skipTest(f"Debian package {package} is not installed and this "
                          f"process cannot install it (not root or no apt-get); "
                          f"run Tools/scripts/install-deps")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    proc = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", package],
                          capture_output=True, text=True, env=env, timeout=900)
    if not os.path.exists(path):
        testcase.skipTest(f"apt-get could not install {package}: "
                          f"{proc.stderr.strip()[-500:]}")


def run_with_dist_packages(code):
    """Run CODE in a fresh Ember with Debian's dist-packages on sys.path and
    return what it printed as JSON."""
    prelude = f"import sys, json; sys.path.append({DIST_PACKAGES!r})\n"
    proc = subprocess.run([sys.executable, "-I", "-c", prelude + code],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode:
        raise AssertionError(f"child failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


@support.requires_subprocess()
class DebianExtensionTests(unittest.TestCase):
    def assertFromDebian(self, path):
        self.assertTrue(path.startswith(DIST_PACKAGES + "/"), path)
        self.assertTrue(path.endswith(".cpython-311-x86_64-linux-gnu.so"), path)

    def test_yaml_libyaml_extension(self):
        ensure_debian_package(self, "python3-yaml", f"{DIST_PACKAGES}/yaml")
        out = run_with_dist_packages(
            "import yaml, yaml._yaml\n"
            "doc = {'name': 'ember', 'base': [3, 11, 2], 'nested': {'a': None, 'b': 1.5}}\n"
            "text = yaml.dump(doc, Dumper=yaml.CDumper)\n"
            "back = yaml.load(text, Loader=yaml.CLoader)\n"
            "events = [type(e).__name__ for e in yaml.parse('[1, 2]', Loader=yaml.CLoader)]\n"
            "print(json.dumps({'file': yaml._yaml.__file__, 'libyaml': yaml.__with_libyaml__,\n"
            "                  'same': back == doc, 'events': events}))\n")
        self.assertFromDebian(out["file"])
        self.assertTrue(out["libyaml"])
        self.assertTrue(out["same"])
        self.assertEqual(out["events"], [
            "StreamStartEvent", "DocumentStartEvent", "SequenceStartEvent",
            "ScalarEvent", "ScalarEvent", "SequenceEndEvent",
            "DocumentEndEvent", "StreamEndEvent"])

    def test_numpy(self):
        ensure_debian_package(self, "python3-numpy", f"{DIST_PACKAGES}/numpy")
        out = run_with_dist_packages(
            "import numpy as np\n"
            "from numpy.core import _multiarray_umath as m\n"
            "a = np.arange(12.0).reshape(3, 4)\n"
            "g = a @ a.T\n"
            "x = np.linalg.solve(np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([9.0, 8.0]))\n"
            "objs = np.array([object(), 'ember', 3], dtype=object)\n"
            "print(json.dumps({'file': m.__file__, 'g': g.tolist(), 'x': x.tolist(),\n"
            "                  'objs': [type(o).__name__ for o in objs]}))\n")
        self.assertFromDebian(out["file"])
        self.assertEqual(out["g"], [[14.0, 38.0, 62.0], [38.0, 126.0, 214.0],
                                    [62.0, 214.0, 366.0]])
        self.assertEqual([round(v, 9) for v in out["x"]], [2.0, 3.0])
        self.assertEqual(out["objs"], ["object", "str", "int"])


WSGI_APP = r'''
import json, os, sys
def application(environ, start_response):
    with open("/proc/self/maps") as f:
        libs = sorted({l.split()[-1] for l in f if "libpython" in l})
    body = json.dumps({"version": sys.version, "pid": os.getpid(),
                       "ppid": os.getppid(), "libpython": libs,
                       "os_file": os.__file__}).encode()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]
'''


def python_home(tmp):
    """A PYTHONHOME for the embedded interpreter: the installation's prefix,
    or, in a build tree, an installed-style layout of links into it."""
    if not sysconfig.is_python_build():
        return sys.prefix
    stdlib = os.path.dirname(os.__file__)
    import _ctypes
    home = os.path.join(tmp, "home")
    libdir = os.path.join(home, "lib", "python3.11")
    os.makedirs(libdir)
    for name in os.listdir(stdlib):
        os.symlink(os.path.join(stdlib, name), os.path.join(libdir, name))
    os.symlink(os.path.dirname(_ctypes.__file__), os.path.join(libdir, "lib-dynload"))
    return home


@unittest.skipUnless(sys.platform == "linux", "uWSGI prefork test runs on Linux")
@support.requires_subprocess()
class UwsgiTests(unittest.TestCase):
    WORKERS = 4

    def setUp(self):
        if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
            self.skipTest("needs Ember's libpython3.11.so.1.0: configure with --enable-shared")
        ensure_debian_package(self, "uwsgi-core", UWSGI)
        ensure_debian_package(self, "uwsgi-plugin-python3",
                              f"{UWSGI_PLUGINS}/{UWSGI_PLUGIN}_plugin.so")
        if sysconfig.is_python_build():
            self.libdir = os.path.dirname(os.path.realpath(sys.executable))
        else:
            self.libdir = sysconfig.get_config_var("LIBDIR")
        self.libpython = os.path.join(self.libdir, "libpython3.11.so.1.0")
        self.assertTrue(os.path.exists(self.libpython), self.libpython)

    def get(self, port, deadline):
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", "/")
                reply = conn.getresponse()
                self.assertEqual(reply.status, 200)
                return json.loads(reply.read())
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
            finally:
                conn.close()

    def test_prefork_workers_run_embers_libpython(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        with open(os.path.join(tmp, "app.py"), "w") as f:
            f.write(WSGI_APP)
        port = socket_helper.find_unused_port()
        env = dict(os.environ, LD_LIBRARY_PATH=self.libdir)
        env.pop("PYTHONHOME", None)
        env.pop("PYTHONPATH", None)
        log = open(os.path.join(tmp, "uwsgi.log"), "w+")
        self.addCleanup(log.close)
        proc = subprocess.Popen(
            [UWSGI, "--plugin-dir", UWSGI_PLUGINS, "--plugin", UWSGI_PLUGIN,
             "--http-socket", f"127.0.0.1:{port}", "--master",
             "--processes", str(self.WORKERS), "--wsgi-file", os.path.join(tmp, "app.py"),
             "--home", python_home(tmp), "--need-app", "--die-on-term",
             "--disable-logging"],
            cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)

        def stop():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.addCleanup(stop)

        def uwsgi_log():
            log.seek(0)
            return log.read()

        try:
            deadline = time.monotonic() + 60
            replies = [self.get(port, deadline) for _ in range(20)]
            with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as f:
                workers = f.read().split()
        except Exception:
            raise AssertionError("uWSGI did not serve; its log:\n" + uwsgi_log())

        try:
            self.assertEqual(len(workers), self.WORKERS)
            for reply in replies:
                self.assertEqual(reply["version"], sys.version)
                self.assertEqual(reply["ppid"], proc.pid)  # a forked worker...
                self.assertIn(str(reply["pid"]), workers)  # ...of our master
                self.assertEqual([os.path.realpath(p) for p in reply["libpython"]],
                                 [os.path.realpath(self.libpython)])
                self.assertEqual(os.path.realpath(reply["os_file"]),  # our stdlib
                                 os.path.realpath(os.__file__))

            stop()
            self.assertEqual(proc.returncode, 0)
        except AssertionError as e:
            raise AssertionError(f"{e}\nuWSGI's log:\n{uwsgi_log()}") from e

if __name__ == "__main__":
    unittest.main()
