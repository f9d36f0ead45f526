# SPDX-License-Identifier: MIT
"""Lets `import alliance` work from the repository root.

The binding lives in bindings/python/alliance; this file only loads that
package under the name `alliance` (elsewhere, put bindings/python on
PYTHONPATH instead). See bindings/python/alliance/__init__.py.
"""
import importlib.util
import os
import sys

_package = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bindings", "python", "alliance")
_spec = importlib.util.spec_from_file_location(__name__, os.path.join(_package, "__init__.py"),
                                               submodule_search_locations=[_package])
_module = importlib.util.module_from_spec(_spec)
sys.modules[__name__] = _module  # the import statement returns whatever is here once this file ran
_spec.loader.exec_module(_module)
