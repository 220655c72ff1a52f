"""Ember's build tools (Tools/scripts): the base tarball is verified before
anything is built, the patch series is checked and edited as git commits,
and the repository holds no file of the base.

These tests need an Ember checkout (the repository this test file lives in)
with a configured build; they skip in an installed copy."""

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
import unittest
from test import support

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPTS = os.path.join(ROOT, "Tools", "scripts")
BASE_SHA256 = "2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"


def base_tarball():
    """The verified base tarball the build used."""
    proc = subprocess.run([os.path.join(SCRIPTS, "fetch-base")],
                          capture_output=True, text=True)
    if proc.returncode:
        raise unittest.SkipTest("no base tarball: " + proc.stderr.strip())
    return proc.stdout.strip()


def run(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


@unittest.skipUnless(os.path.exists(os.path.join(SCRIPTS, "base.sh")),
                     "not running from an Ember checkout")
@support.requires_subprocess()
class BaseTarballTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        # A copy of the build scripts, so that a failed configure cannot
        # touch the real build/.
        self.root = os.path.join(self.tmp, "ember")
        os.makedirs(self.root)
        shutil.copy2(os.path.join(ROOT, "configure"), self.root)
        shutil.copytree(os.path.join(ROOT, "Tools"), os.path.join(self.root, "Tools"))
        shutil.copytree(os.path.join(ROOT, "patches"), os.path.join(self.root, "patches"))

    def configure_with(self, tarball):
        cache = os.path.join(self.tmp, "cache")
        return run(os.path.join(self.root, "configure"), "--enable-shared",
                   f"--with-base-tarball={tarball}", f"--with-base-cache={cache}",
                   cwd=self.root)

    def assertRefused(self, proc, got_sha):
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn(f"expected sha256 {BASE_SHA256}", proc.stderr)
        self.assertIn(f"got sha256 {got_sha}", proc.stderr)
        self.assertIn("python3.11_3.11.2.orig.tar.gz", proc.stderr)  # how to fix
        self.assertIn("nothing was built", proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.root, "build")))
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "cache")))

    def test_wrong_tarball_is_refused(self):
        wrong = os.path.join(self.tmp, "wrong.tar.gz")
        with tarfile.open(wrong, "w:gz") as tar:
            tar.add(os.path.join(self.root, "configure"), "Python-3.11.2/configure")
        with open(wrong, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        self.assertRefused(self.configure_with(wrong), sha)

    def test_corrupt_tarball_is_refused(self):
        with open(base_tarball(), "rb") as f:
            data = bytearray(f.read())
        data[len(data) // 2] ^= 0xFF
        corrupt = os.path.join(self.tmp, "python3.11_3.11.2.orig.tar.gz")
        with open(corrupt, "wb") as f:
            f.write(data)
        self.assertRefused(self.configure_with(corrupt), hashlib.sha256(data).hexdigest())

    def test_bad_cached_tarball_is_removed(self):
        cache = os.path.join(self.tmp, "cache")
        os.makedirs(cache)
        bad = os.path.join(cache, "python3.11_3.11.2.orig.tar.gz")
        with open(bad, "wb") as f:
            f.write(b"not a tarball")
        proc = run(os.path.join(self.root, "Tools", "scripts", "fetch-base"),
                   f"--cache-dir={cache}")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("is not the Ember base", proc.stderr)
        self.assertFalse(os.path.exists(bad))

    def test_good_tarball_is_cached(self):
        cache = os.path.join(self.tmp, "cache")
        proc = run(os.path.join(self.root, "Tools", "scripts", "fetch-base"),
                   f"--with-base-tarball={base_tarball()}", f"--cache-dir={cache}")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        cached = os.path.join(cache, "python3.11_3.11.2.orig.tar.gz")
        self.assertEqual(proc.stdout.strip(), cached)
        with open(cached, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), BASE_SHA256)


@unittest.skipUnless(os.path.exists(os.path.join(SCRIPTS, "base.sh")),
                     "not running from an Ember checkout")
@support.requires_subprocess()
class PatchSeriesTests(unittest.TestCase):
    def setUp(self):
        self.tarball = base_tarball()
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        self.patches = os.path.join(self.tmp, "patches")
        shutil.copytree(os.path.join(ROOT, "patches"), self.patches)

    def patches_tool(self, *args):
        return run(os.path.join(SCRIPTS, "patches"), *args,
                   f"--patches-dir={self.patches}", f"--base-tarball={self.tarball}")

    def series(self):
        with open(os.path.join(self.patches, "series")) as f:
            return [l.strip() for l in f if l.strip() and not l.startswith("#")]

    def test_series_applies(self):
        proc = self.patches_tool("check")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(f"all {len(self.series())} patches", proc.stdout)

    def test_every_patch_has_a_header(self):
        for name in self.series():
            with open(os.path.join(self.patches, name)) as f:
                header = f.read().split("\ndiff --git ", 1)[0]
            self.assertGreater(len(header.strip().splitlines()), 2, name)

    def test_broken_patch_is_named_with_its_hunk(self):
        name = self.series()[0]
        path = os.path.join(self.patches, name)
        with open(path) as f:
            lines = f.read().split("\n")
        # Change the first context line of the first hunk.
        first = next(i for i, l in enumerate(lines) if l.startswith("@@ "))
        hunk_header = lines[first]
        ctx = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(" "))
        lines[ctx] = " this line is not in the base"
        with open(path, "w") as f:
            f.write("\n".join(lines))
        proc = self.patches_tool("check")
        self.assertEqual(proc.returncode, 1)
        target = next(l for l in lines if l.startswith("+++ "))[len("+++ b/"):]
        self.assertIn(f"{name} does not apply", proc.stderr)
        self.assertIn(f"{name}: hunk #1 of {target} ({hunk_header}) FAILED", proc.stderr)

    def test_edit_then_export_is_byte_stable(self):
        work = os.path.join(self.tmp, "work")
        before = {n: open(os.path.join(self.patches, n), "rb").read()
                  for n in os.listdir(self.patches)}
        proc = self.patches_tool("edit", work)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        log = run("git", "-C", work, "log", "--format=%s", "ember-base..HEAD").stdout.split()
        self.assertEqual(log[::-1], self.series())
        proc = self.patches_tool("export", work)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn("wrote", proc.stdout)
        after = {n: open(os.path.join(self.patches, n), "rb").read()
                 for n in os.listdir(self.patches)}
        self.assertEqual(after, before)

        # A new patch, committed in the work tree, comes out as a file and
        # a line of the series, and the new series applies.
        with open(os.path.join(work, "README.rst"), "a") as f:
            f.write("\nThis tree is patched by Ember.\n")
        with open(os.path.join(self.tmp, "msg"), "w") as f:
            f.write("0099-readme.patch\n\nA test patch.\n\n")
        git = ["git", "-C", work, "-c", "user.name=t", "-c", "user.email=t@t"]
        subprocess.run(git + ["commit", "-q", "-a", "--cleanup=verbatim", "-F",
                              os.path.join(self.tmp, "msg")], check=True)
        proc = self.patches_tool("export", work)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.series()[-1], "0099-readme.patch")
        with open(os.path.join(self.patches, "0099-readme.patch")) as f:
            text = f.read()
        self.assertTrue(text.startswith("A test patch.\n\ndiff --git a/README.rst b/README.rst\n"), text)
        self.assertIn("+This tree is patched by Ember.\n", text)
        self.assertEqual(self.patches_tool("check").returncode, 0)

    def test_export_refuses_uncommitted_work(self):
        work = os.path.join(self.tmp, "work")
        self.assertEqual(self.patches_tool("edit", work).returncode, 0)
        with open(os.path.join(work, "README.rst"), "a") as f:
            f.write("uncommitted\n")
        proc = self.patches_tool("export", work)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("uncommitted changes", proc.stderr)


@unittest.skipUnless(os.path.exists(os.path.join(SCRIPTS, "base.sh")),
                     "not running from an Ember checkout")
@support.requires_subprocess()
class RepositoryTests(unittest.TestCase):
    def test_no_file_of_the_base_is_committed(self):
        proc = run("git", "-C", ROOT, "ls-files", "-s")
        if proc.returncode:
            self.skipTest("not a git checkout")
        ours = {}
        for line in proc.stdout.splitlines():
            meta, path = line.split("\t", 1)
            ours[meta.split()[1]] = path
        self.assertGreater(len(ours), 10)
        shared = []
        with tarfile.open(base_tarball()) as tar:
            for member in tar:
                if member.isfile():
                    data = tar.extractfile(member).read()
                    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
                    if blob in ours:
                        shared.append((ours[blob], member.name))
        self.assertEqual(shared, [])

    def test_overlay_refuses_to_replace_an_upstream_file(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        victim = os.path.join(tmp, "Lib", "test", os.path.basename(__file__))
        os.makedirs(os.path.dirname(victim))
        with open(victim, "w") as f:
            f.write("# an upstream file\n")
        proc = run(os.path.join(SCRIPTS, "overlay"), tmp)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("would replace the base's own", proc.stderr)
        with open(victim) as f:
            self.assertEqual(f.read(), "# an upstream file\n")

    def test_overlay_links_our_library_and_headers(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        os.makedirs(os.path.join(tmp, "Lib"))
        os.makedirs(os.path.join(tmp, "Include"))
        proc = run(os.path.join(SCRIPTS, "overlay"), tmp)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for path in ["Include/ember_immortal.h", "Include/internal/ember_heap.h",
                     "Lib/ember/memreport.py", "Lib/test/test_ember_immortal.py"]:
            with self.subTest(path=path):
                link = os.path.join(tmp, path)
                self.assertTrue(os.path.islink(link), link)
                self.assertEqual(os.readlink(link), os.path.join(ROOT, path))
        with open(os.path.join(tmp, "Makefile.ember")) as f:
            self.assertIn("include $(EMBER_ROOT)/Tools/build/ember.mk", f.read())

    def test_vanilla_build_is_the_untouched_base(self):
        vanilla = os.path.join(ROOT, "build-vanilla", "python")
        if not os.path.exists(vanilla):
            self.skipTest("no build-vanilla/python; run make vanilla")
        # Without LD_LIBRARY_PATH, which `make test` points at Ember's
        # libpython and which the dynamic linker prefers to the run path.
        env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
        proc = run(vanilla, "-I", "-c", "import sys; print(sys.version); print(sys._git)",
                   env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout
        self.assertRegex(out, r"^3\.11\.2 \(main, ")
        self.assertNotIn("Ember", out)
        # No file of ours in its source tree, and no patch hunk applied.
        src = os.path.join(ROOT, "build", "vanilla-src")
        self.assertFalse(os.path.exists(os.path.join(src, "Makefile.ember")))
        self.assertFalse(os.path.exists(os.path.join(src, "Lib", "test", os.path.basename(__file__))))
        with open(os.path.join(src, "Makefile.pre.in")) as f:
            self.assertNotIn("Makefile.ember", f.read())


if __name__ == "__main__":
    unittest.main()
