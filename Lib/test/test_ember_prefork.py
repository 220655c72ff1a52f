"""The pre-fork memory tools: `python -m ember.memreport` reads the memory
of a master and its forked workers right, and the pre-fork benchmark
(Tools/bench/prefork/run) serves its Django app from Debian's uWSGI, has
every worker answer, writes its JSON and fails cleanly for a configuration
that cannot serve."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest
from test import support

try:
    from ember import memreport
except ImportError:            # an installation without Lib/ember
    memreport = None

MIB_KB = 1024                  # memreport's values are in kB
PRIVATE_MIB = 20               # each grandchild writes this much of its own
SHARED_MIB = 50                # written before fork, only read after it

# A master that fills a buffer, forks two workers that read it (so it stays
# shared) and write a buffer of their own (private dirty), then prints the
# workers' pids and sleeps.
TREE = f"""
import os, sys, time
MIB = 1024 * 1024
shared = bytearray(b"\\x01") * ({SHARED_MIB} * MIB)
r, w = os.pipe()
workers = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        os.close(r)
        total = sum(shared[::4096])            # one byte of every page
        private = bytearray(b"\\x02") * ({PRIVATE_MIB} * MIB)
        os.write(w, b"ready\\n")
        time.sleep(300)
        os._exit(0)
    workers.append(pid)
os.close(w)
with os.fdopen(r) as ready:
    for _ in workers:
        ready.readline()
print(" ".join(map(str, workers)), flush=True)
time.sleep(300)
"""


def repo_root():
    """The checkout this test file lives in (the build links Lib/test's
    files from it), or None for an installed copy."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    if os.path.exists(os.path.join(root, "Tools", "bench", "prefork", "run")):
        return root
    return None


@unittest.skipUnless(sys.platform == "linux", "reads Linux's /proc")
@support.requires_subprocess()
class MemReportTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if memreport is None:
            raise unittest.SkipTest("the ember package is not installed with this interpreter")
        cls.master = subprocess.Popen([sys.executable, "-c", TREE],
                                      stdout=subprocess.PIPE, text=True,
                                      start_new_session=True)
        try:
            line = cls.master.stdout.readline()
            cls.workers = [int(p) for p in line.split()]
            if len(cls.workers) != 2:
                raise AssertionError(f"the process tree did not start: {line!r}")
        except BaseException:
            cls.stop_tree()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.stop_tree()

    @classmethod
    def stop_tree(cls):
        try:
            os.killpg(cls.master.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        cls.master.wait()
        cls.master.stdout.close()

    def memreport(self, *args):
        return subprocess.run([sys.executable, "-m", "ember.memreport", *args],
                              capture_output=True, text=True, timeout=60)

    def check_rows(self, rows):
        self.assertEqual([(r["pid"], r["role"]) for r in rows],
                         [(self.master.pid, "master")] +
                         [(p, "worker") for p in self.workers])
        for row in rows:
            self.assertGreaterEqual(row["shared"], SHARED_MIB * 0.95 * MIB_KB, row)
            self.assertGreaterEqual(row["rss"], row["shared"] + row["private_dirty"], row)
            self.assertLess(row["pss"], row["rss"], row)
        for row in rows[1:]:
            self.assertGreaterEqual(row["private_dirty"], PRIVATE_MIB * 0.95 * MIB_KB, row)
            # The shared buffer was only read: it did not become private.
            self.assertLess(row["private_dirty"], (PRIVATE_MIB + SHARED_MIB / 2) * MIB_KB, row)

    def test_functions(self):
        self.assertEqual(memreport.children(self.master.pid), self.workers)
        rollup = memreport.read_rollup(self.workers[0])
        self.assertGreaterEqual(rollup["Private_Dirty"], PRIVATE_MIB * 0.95 * MIB_KB)
        self.assertIn("Rss", rollup)
        self.assertTrue(all(isinstance(v, int) for v in rollup.values()))
        self.check_rows(memreport.report(self.master.pid))

    def test_json(self):
        proc = self.memreport("--json", str(self.master.pid))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = json.loads(proc.stdout)
        self.assertEqual(doc["master"], self.master.pid)
        self.assertEqual(doc["unit"], "kB")
        self.check_rows(doc["processes"])
        workers = doc["workers"]
        self.assertEqual(workers["count"], 2)
        rows = doc["processes"][1:]
        for key in ("rss", "pss", "shared", "private_dirty", "private_clean", "swap"):
            self.assertEqual(workers["total"][key], sum(r[key] for r in rows))
            self.assertAlmostEqual(workers["mean"][key], workers["total"][key] / 2)

    def test_table(self):
        proc = self.memreport(str(self.master.pid))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.splitlines()
        self.assertEqual(lines[0].split()[:8],
                         ["pid", "role", "RSS", "PSS", "shared", "priv", "dirty", "priv"])
        rows = {int(line.split()[0]): line.split()[1:] for line in lines
                if line.split() and line.split()[0].isdigit()}
        self.assertEqual(sorted(rows), sorted([self.master.pid] + self.workers))
        self.assertEqual(rows[self.master.pid][0], "master")
        for pid in self.workers:
            role, rss, pss, shared, dirty, clean, swap = rows[pid]
            self.assertEqual(role, "worker")
            self.assertGreaterEqual(float(dirty), PRIVATE_MIB * 0.95)   # MiB, one decimal
            self.assertGreaterEqual(float(shared), SHARED_MIB * 0.95)
            self.assertRegex(rss, r"^\d+\.\d$")
        self.assertTrue(any(line.split()[:3] == ["mean", "of", "2"] for line in lines), lines)
        self.assertTrue(any(line.split()[:2] == ["workers", "total"] for line in lines), lines)

    def test_errors(self):
        proc = self.memreport("abc")
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stdout, "")
        self.assertEqual(proc.stderr.strip().count("\n"), 0, proc.stderr)
        self.assertIn("integer", proc.stderr)
        with open("/proc/sys/kernel/pid_max") as f:
            missing = int(f.read()) + 1          # no process can have it
        proc = self.memreport(str(missing))
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr.strip(), f"memreport: no such process: {missing}")
        with self.assertRaises(memreport.MemReportError):
            memreport.report(missing)


DIST_PACKAGES = "/usr/lib/python3/dist-packages"


@unittest.skipUnless(sys.platform == "linux", "uWSGI prefork benchmark runs on Linux")
@support.requires_subprocess()
class PreforkBenchmarkTests(unittest.TestCase):
    """Tools/bench/prefork/run --quick on the vanilla build (about 15 s)."""

    @classmethod
    def setUpClass(cls):
        cls.root = repo_root()
        if cls.root is None:
            raise unittest.SkipTest("not run from an Ember checkout (no Tools/bench/prefork/run)")
        cls.vanilla = os.path.join(cls.root, "build-vanilla")
        if not os.path.exists(os.path.join(cls.vanilla, "libpython3.11.so.1.0")):
            raise unittest.SkipTest("needs the vanilla shared build: "
                                    "./configure --enable-shared && make vanilla")

    def setUp(self):
        from test.test_ember_dropin import ensure_debian_package, UWSGI, UWSGI_PLUGINS
        ensure_debian_package(self, "uwsgi-core", UWSGI)
        ensure_debian_package(self, "uwsgi-plugin-python3",
                              os.path.join(UWSGI_PLUGINS, "python311_plugin.so"))
        ensure_debian_package(self, "python3-django", os.path.join(DIST_PACKAGES, "django"))

    def run_bench(self, *args, timeout=240):
        runner = os.path.join(self.root, "Tools", "bench", "prefork", "run")
        python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("PYTHON") and k != "LD_LIBRARY_PATH"}
        return subprocess.run([python, runner, *args], capture_output=True, text=True,
                              env=env, timeout=timeout, cwd=self.root)

    def test_bad_arguments(self):
        for args in (["--config", "nobuild"], ["--config", "x=build-vanilla:thaw"],
                     ["no-such-config"], ["--requests", "0"]):
            with self.subTest(args=args):
                proc = self.run_bench(*args, timeout=60)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn("error:", proc.stderr)

    def test_quick_run(self):
        out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, out, ignore_errors=True)
        proc = self.run_bench(
            "--quick", "--out", out,
            "--config", f"vanilla-immortalize={self.vanilla}:immortalize",
            "vanilla", "vanilla-freeze", "vanilla-immortalize")
        report = f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        # The vanilla base has no gc.immortalize_heap: that configuration
        # fails with uWSGI's log, the two others are measured.
        self.assertEqual(proc.returncode, 1, report)
        self.assertIn("vanilla-immortalize failed", proc.stderr, report)
        self.assertIn("gc.immortalize_heap", proc.stderr, report)
        table = proc.stdout.splitlines()
        rows = {line.split()[0]: line.split()[1:] for line in table
                if line.split() and line.split()[0].startswith("vanilla")}
        self.assertEqual(rows["vanilla-immortalize"], ["failed"], report)
        self.assertGreater(float(rows["vanilla"][0]), 0, report)         # req/s
        self.assertEqual(rows["vanilla"][-1], "1.00x", report)             # rps/vanilla
        self.assertEqual(rows["vanilla-freeze"][-2], "1.00x", report)      # dirty/vanilla-freeze

        with open(os.path.join(out, "results-prefork.json")) as f:
            doc = json.load(f)
        self.assertEqual(doc["options"]["requests"], 400)
        self.assertTrue(doc["uwsgi"].startswith("2."), doc["uwsgi"])
        configs = doc["configs"]
        self.assertEqual(sorted(configs), ["vanilla", "vanilla-freeze", "vanilla-immortalize"])
        broken = configs["vanilla-immortalize"]
        self.assertEqual(broken["samples"], [])
        self.assertIn("gc.immortalize_heap", broken["error"] + broken["log"])
        for name, action in (("vanilla", "none"), ("vanilla-freeze", "freeze")):
            config = configs[name]
            self.assertEqual(config["action"], action)
            self.assertNotIn("error", config)
            self.assertIn("3.11.2", config["interpreter"])
            [sample] = config["samples"]
            self.assertGreater(sample["rps"], 0)
            self.assertIn(f"action={action}", sample["prefork_log"])
            workers = sample["workers"]
            self.assertEqual(len(workers), 4)
            self.assertEqual(len({w["pid"] for w in workers}), 4)
            self.assertEqual(sum(w["requests"] for w in workers), 400)
            for w in workers:
                self.assertGreater(w["requests"], 0, w)          # every worker served
                self.assertEqual((w["gc_frozen"] > 0), action == "freeze", w)
                for phase in ("idle", "loaded"):
                    self.assertGreater(w[phase]["rss"], 0)
                    self.assertGreater(w[phase]["shared"], 0)
                    self.assertGreater(w[phase]["private_dirty"], 0)
                self.assertGreater(w["loaded"]["private_dirty"], w["idle"]["private_dirty"])
            summary = config["summary"]
            for key in ("rps", "private_dirty", "idle_private_dirty", "shared", "rss", "pss"):
                self.assertGreater(summary[key], 0, key)
        # No server is left behind.
        app = os.path.join(self.root, "Tools", "bench", "prefork", "app", "wsgi.py").encode()
        leftovers = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if app in f.read().split(b"\0"):
                        leftovers.append(int(pid))
            except OSError:
                pass
        self.assertEqual(leftovers, [])


if __name__ == "__main__":
    unittest.main()
