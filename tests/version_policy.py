#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""version_policy: the one version policy of docs/abi.md ("Versions") is what every
place that states a version or decides compatibility does.

Usage: version_policy.py SOURCE_DIR BUILD_DIR CMAKE [SHARED_LIBRARY]
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest

SOURCE, BUILD, CMAKE = sys.argv[1:4]
LIBRARY = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
del sys.argv[1:]


def read(*parts):
    with open(os.path.join(*parts), encoding="utf-8") as f:
        return f.read()


def project_version():
    m = re.search(r"project\(alliance VERSION (\d+)\.(\d+)\.(\d+)", read(SOURCE, "CMakeLists.txt"))
    return tuple(int(x) for x in m.groups())


def dotted(v):
    return ".".join(str(x) for x in v)


class TheVersionIsOne(unittest.TestCase):
    """One version, written in several places, the same everywhere."""

    def test_the_header_macros_are_the_projects_version(self):
        header = read(SOURCE, "include", "alliance.h")
        macro = {k: v for k, v in re.findall(r"#define ALLIANCE_VERSION_(MAJOR|MINOR|PATCH) (\d+)", header)}
        self.assertEqual((int(macro["MAJOR"]), int(macro["MINOR"]), int(macro["PATCH"])), project_version())
        self.assertIn('#define ALLIANCE_VERSION_STRING "%s"' % dotted(project_version()), header)

    def test_the_pkg_config_file_states_it(self):
        self.assertIn("\nVersion: %s\n" % dotted(project_version()), read(BUILD, "alliance.pc"))

    def test_the_bindings_state_it(self):
        version = dotted(project_version())
        capi = read(SOURCE, "bindings", "python", "alliance", "capi.py")
        self.assertIn('VERSION_STRING = "%s"' % version, capi)
        pyproject = read(SOURCE, "bindings", "python", "pyproject.toml")
        self.assertRegex(pyproject, r'\nversion = "%s"\n' % re.escape(version))
        node = read(SOURCE, "bindings", "node", "package.json")
        self.assertRegex(node, r'\n  "version": "%s",\n' % re.escape(version))
        node_capi = read(SOURCE, "bindings", "node", "lib", "capi.js")
        self.assertIn("const VERSION_STRING = '%s';" % version, node_capi)
        go = read(SOURCE, "bindings", "go", "version.go")
        self.assertIn('const BindingVersion = "%s"' % version, go)
        major, minor, patch = project_version()
        self.assertIn("const VERSION_MAJOR = %d;\nconst VERSION_MINOR = %d;\nconst VERSION_PATCH = %d;"
                      % (major, minor, patch), node_capi)

    def test_the_manual_pages_name_it(self):
        for page in (("docs", "liballiance.3"), ("examples", "drill", "alliance-drill.1")):
            with self.subTest(page="/".join(page)):
                self.assertRegex(read(SOURCE, *page), r'\.TH \S+ \d \S+ "liballiance %s"'
                                 % re.escape(dotted(project_version())))

    def test_news_has_an_entry_for_it(self):
        self.assertRegex(read(SOURCE, "NEWS.md"), r"\n## %s\n" % re.escape(dotted(project_version())))


class TheSonameIsTheMajor(unittest.TestCase):
    def test_the_shared_librarys_soname(self):
        if LIBRARY is None:
            self.skipTest("a static-only build has no SONAME")
        out = subprocess.run(["readelf", "-d", LIBRARY], check=True, capture_output=True, text=True).stdout
        m = re.search(r"\(SONAME\)\s+Library soname: \[(.*)\]", out)
        self.assertIsNotNone(m, out)
        self.assertEqual(m.group(1), "liballiance.so.%d" % project_version()[0])

    def test_cmake_derives_it_and_never_sets_it_by_hand(self):
        self.assertRegex(read(SOURCE, "CMakeLists.txt"), r"set\(ALLIANCE_SOVERSION \$\{PROJECT_VERSION_MAJOR\}\)")


def documented_find_package_table():
    """docs/abi.md: (installed version, [(requested or None, accepted?)])."""
    text = read(SOURCE, "docs", "abi.md")
    m = re.search(r"\| requested \| installed (\d+\.\d+\.\d+) \|\n\|---\|---\|\n((?:\|.*\|\n)+)", text)
    if not m:
        raise AssertionError("docs/abi.md lost its find_package table")
    rows = []
    for line in m.group(2).splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        requested = None if cells[0] == "(none)" else cells[0]
        rows.append((requested, {"accepted": True, "refused": False}[cells[1]]))
    return m.group(1), rows


class TheCMakePackageFollowsTheDocs(unittest.TestCase):
    def evaluate(self, version_file_text, requested):
        """Runs the package's version file as find_package would; returns PACKAGE_VERSION_COMPATIBLE."""
        lines = []
        if requested is not None:
            parts = requested.split(".")
            lines.append('set(PACKAGE_FIND_VERSION "%s")' % requested)
            lines.append('set(PACKAGE_FIND_VERSION_COUNT %d)' % len(parts))
            for name, value in zip(("MAJOR", "MINOR", "PATCH", "TWEAK"), parts + ["0"] * (4 - len(parts))):
                lines.append('set(PACKAGE_FIND_VERSION_%s %s)' % (name, value))
        with tempfile.TemporaryDirectory() as tmp:
            version_file = os.path.join(tmp, "allianceConfigVersion.cmake")
            with open(version_file, "w") as f:
                f.write(version_file_text)
            script = os.path.join(tmp, "ask.cmake")
            with open(script, "w") as f:
                f.write("\n".join(lines) + '\ninclude("%s")\nmessage("COMPATIBLE=${PACKAGE_VERSION_COMPATIBLE}")\n'
                        'message("UNSUITABLE=${PACKAGE_VERSION_UNSUITABLE}")\n' % version_file)
            out = subprocess.run([CMAKE, "-P", script], check=True, capture_output=True, text=True).stderr

        def truth(name):
            return re.search(name + r"=(\S*)", out).group(1).upper() in ("TRUE", "1", "ON", "YES")
        if requested is None:
            # Without a requested version find_package only refuses an unsuitable package.
            return not truth("UNSUITABLE")
        return truth("COMPATIBLE") and not truth("UNSUITABLE")

    def test_every_row_of_the_table(self):
        installed, rows = documented_find_package_table()
        self.assertGreaterEqual(len(rows), 5)
        self.assertTrue(any(ok for _, ok in rows) and any(not ok for _, ok in rows))
        text = read(BUILD, "allianceConfigVersion.cmake")
        # The build's file, as it would be for the documented installed version.
        current = '"%s"' % dotted(project_version())
        self.assertIn(current, text)
        text = text.replace(current, '"%s"' % installed)
        for requested, accepted in rows:
            with self.subTest(requested=requested):
                self.assertEqual(self.evaluate(text, requested), accepted)

    def test_the_file_is_for_this_version(self):
        self.assertIn('set(PACKAGE_VERSION "%s")' % dotted(project_version()),
                      read(BUILD, "allianceConfigVersion.cmake"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
