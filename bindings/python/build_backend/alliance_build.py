# SPDX-License-Identifier: MIT
"""A PEP 517 build backend for the liballiance binding, in the standard library only.

Why not setuptools: pip builds a package in an isolated environment into which it
installs the backend named by pyproject.toml from the package index. This backend
lives in the package itself (`backend-path`) and requires nothing, so
`pip install ./bindings/python` works on a machine without access to PyPI, with
pip's default isolated build, in a venv or for the user.

The binding is pure Python (ctypes), so the wheel is `py3-none-any`: the package
`alliance`, plus `alliance/_install.py` written here, which records where
liballiance was installed when the binding was (pkg-config's libdir, or the
`library` config setting), so that `import alliance` finds it later with no
environment variable. See bindings/python/README.md.
"""

import base64
import hashlib
import io
import os
import re
import subprocess
import tarfile
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # bindings/python
REPOSITORY = os.path.dirname(os.path.dirname(HERE))
PACKAGE = "alliance"
TAG = "py3-none-any"


def _project():
    """(name, version, summary, requires-python) from pyproject.toml (a regex: tomllib is 3.11+)."""
    with open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    project = text.split("[project]", 1)[1]

    def field(key):
        return re.search(r'^%s = "([^"]*)"' % key, project, re.M).group(1)
    return field("name"), field("version"), field("description"), field("requires-python")


def _dist_info():
    name, version, _, _ = _project()
    return "%s-%s.dist-info" % (name, version)


def _license_text():
    for path in (os.path.join(REPOSITORY, "LICENSE"), os.path.join(HERE, "LICENSE")):
        if os.path.exists(path):  # the repository's, or the one an sdist carries
            with open(path, "rb") as f:
                return f.read()
    raise FileNotFoundError("LICENSE: neither %s nor %s" % (REPOSITORY, HERE))


def _metadata():
    name, version, summary, requires_python = _project()
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return ("Metadata-Version: 2.1\n"
            "Name: %s\n"
            "Version: %s\n"
            "Summary: %s\n"
            "License: MIT\n"
            "Requires-Python: %s\n"
            "Classifier: License :: OSI Approved :: MIT License\n"
            "Classifier: Programming Language :: Python :: 3\n"
            "Description-Content-Type: text/markdown\n"
            "\n%s" % (name, version, summary, requires_python, readme)).encode("utf-8")


def _wheel_file():
    return ("Wheel-Version: 1.0\nGenerator: alliance_build\nRoot-Is-Purelib: true\nTag: %s\n" % TAG).encode()


def _library_soname():
    with open(os.path.join(HERE, PACKAGE, "capi.py"), encoding="utf-8") as f:
        major = re.search(r"^VERSION_MAJOR = (\d+)", f.read(), re.M).group(1)
    return "liballiance.so." + major


def _installed_library(config_settings):
    """The liballiance to record: the `library` config setting, else the library in
    pkg-config's libdir for `alliance` (honouring PKG_CONFIG_PATH), else None."""
    chosen = (config_settings or {}).get("library")
    if chosen:
        if not os.path.exists(chosen):
            raise FileNotFoundError("config setting library=%s: no such file" % chosen)
        return os.path.abspath(chosen)
    try:
        libdir = subprocess.run(["pkg-config", "--variable=libdir", "alliance"], capture_output=True, text=True,
                                timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = os.path.join(libdir, _library_soname()) if libdir else None
    # The SONAME link, not the file it points to: a later release of the same MAJOR replaces the file.
    return os.path.abspath(path) if path and os.path.exists(path) else None


def _install_module(config_settings):
    library = _installed_library(config_settings)
    return ("# SPDX-License-Identifier: MIT\n"
            "# Written by build_backend/alliance_build.py when this package was built: the\n"
            "# liballiance found then (pkg-config's libdir, or --config-settings library=PATH);\n"
            "# None if there was none. alliance.capi explains the order of the search.\n"
            "LIBRARY = %r\n" % library).encode("utf-8")


def _package_files():
    """(archive name, bytes) of the package's own modules."""
    out = []
    for name in sorted(os.listdir(os.path.join(HERE, PACKAGE))):
        if name.endswith(".py") and name != "_install.py":
            with open(os.path.join(HERE, PACKAGE, name), "rb") as f:
                out.append(("%s/%s" % (PACKAGE, name), f.read()))
    return out


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d\n" % (name, digest, len(data))


# ---- the PEP 517 hooks ----------------------------------------------------------------


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    dist_info = os.path.join(metadata_directory, _dist_info())
    os.makedirs(dist_info, exist_ok=True)
    with open(os.path.join(dist_info, "METADATA"), "wb") as f:
        f.write(_metadata())
    with open(os.path.join(dist_info, "WHEEL"), "wb") as f:
        f.write(_wheel_file())
    return _dist_info()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name, version, _, _ = _project()
    wheel_name = "%s-%s-%s.whl" % (name, version, TAG)
    dist_info = _dist_info()
    files = _package_files() + [
        ("%s/_install.py" % PACKAGE, _install_module(config_settings)),
        ("%s/METADATA" % dist_info, _metadata()),
        ("%s/WHEEL" % dist_info, _wheel_file()),
        ("%s/LICENSE" % dist_info, _license_text()),
    ]
    record = "".join(_record_line(n, d) for n, d in files) + "%s/RECORD,,\n" % dist_info
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as whl:
        for archive_name, data in files:
            whl.writestr(archive_name, data)
        whl.writestr("%s/RECORD" % dist_info, record)
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    name, version, _, _ = _project()
    base = "%s-%s" % (name, version)
    members = [("pyproject.toml", None), ("README.md", None), ("build_backend/alliance_build.py", None),
               ("LICENSE", _license_text()), ("PKG-INFO", _metadata())]
    members += [(n, d) for n, d in _package_files()]
    path = os.path.join(sdist_directory, base + ".tar.gz")
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for member, data in members:
            if data is None:
                with open(os.path.join(HERE, member), "rb") as f:
                    data = f.read()
            info = tarfile.TarInfo("%s/%s" % (base, member))
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return base + ".tar.gz"
