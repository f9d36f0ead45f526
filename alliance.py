# SPDX-License-Identifier: MIT
"""Lets `import alliance` work from the repository root, against this repository's build.

The binding lives in bindings/python/alliance; this file only loads that
package under the name `alliance`. Because this is the repository's own code,
it also asks for the repository's own library: ALLIANCE_LIBRARY is set to
build/lib/liballiance.so.0 when that exists and ALLIANCE_LIBRARY is not set
already (an installed binding never looks at a repository: see
bindings/python/alliance/capi.py). Elsewhere, install the binding
(`python3 -m pip install ./bindings/python`) or put bindings/python on PYTHONPATH.
"""
import importlib.util
import os
import sys

_root = os.path.dirname(os.path.abspath(__file__))
_build = os.path.join(_root, "build", "lib", "liballiance.so.0")
if not os.environ.get("ALLIANCE_LIBRARY") and os.path.exists(_build):
    os.environ["ALLIANCE_LIBRARY"] = _build
_package = os.path.join(_root, "bindings", "python", "alliance")
_spec = importlib.util.spec_from_file_location(__name__, os.path.join(_package, "__init__.py"),
                                               submodule_search_locations=[_package])
_module = importlib.util.module_from_spec(_spec)
sys.modules[__name__] = _module  # the import statement returns whatever is here once this file ran
_spec.loader.exec_module(_module)
